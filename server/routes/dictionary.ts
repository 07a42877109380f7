/**
 * The engine's lab-concept dictionary (names, LOINC codes, canonical and
 * accepted units), so the web UI can label measurements and offer unit
 * choices without bundling the engine.
 */
import { defaultDictionary } from '../../engine/index.ts'
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf } from '../http/json-schema.ts'

export function dictionaryRoutes(api: Api): void {
  api.route(
    {
      method: 'get',
      path: '/dictionary/lab-concepts',
      summary: 'Lab concepts: id, name, LOINC codes, canonical unit and accepted units, with sources',
      tag: 'dictionary',
      permission: 'read',
      responses: { 200: { description: 'Lab concepts', schema: arrayOf(anyObject('{ id, name, loinc, unit, accepted_units, source, ... }')) } },
    },
    c => {
      // the dictionary is built in; a day's caching is safe and spares a request per screen
      c.header('Cache-Control', 'private, max-age=86400')
      return c.json(defaultDictionary.labConcepts)
    },
  )
}
