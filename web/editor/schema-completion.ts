/**
 * JSON-Schema completion for YAML documents: the keys valid where the cursor
 * is (with their schema descriptions), and the values a schema enumerates
 * (`enum`, `const`, booleans). Pure, so it is unit-tested without a browser;
 * web/editor/codemirror.ts adapts it to CodeMirror's autocompletion.
 *
 * The schema walk follows `properties`, `patternProperties`,
 * `additionalProperties`, `items`/`prefixItems`, `$ref` (within and across
 * the schemas given, by `$id`) and collects candidates from every branch of
 * `allOf`/`anyOf`/`oneOf`/`if`-`then`-`else`; at a key position, branches
 * that cannot hold the keys already written are dropped.
 */
import { yamlContextAt, type PathSegment, type YamlCursorContext } from './yaml-path.ts'

export { yamlContextAt, type PathSegment, type YamlCursorContext }

/** A JSON Schema (2020-12) object, or a boolean schema. */
export type JsonSchema = { [keyword: string]: unknown } | boolean

interface Located {
  schema: { [keyword: string]: unknown }
  /** Base URI that `$ref`s in `schema` resolve against. */
  base: string
}

/** One completion: `label` is what is matched and shown; `apply` what is inserted. */
export interface Suggestion {
  label: string
  type: 'property' | 'enum' | 'keyword'
  apply: string
  /** Short note after the label (`required`). */
  detail?: string
  /** The schema's description. */
  info?: string
}

export interface SuggestionList {
  /** Offset where the text being completed starts (replaced up to the cursor). */
  from: number
  options: Suggestion[]
}

const MAX_DEPTH = 32
const isObject = (v: unknown): v is { [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v)
const asSchema = (v: unknown): { [k: string]: unknown } | undefined => (v === true ? {} : isObject(v) ? v : undefined)

/**
 * The schemas of one family (protocol, examples, patient...), indexed by
 * `$id` so that `$ref`s between them resolve.
 *
 * @example
 * const index = new SchemaIndex([protocolSchema])
 * index.at(protocolSchema.$id, ['criteria', 0, 'kind']) // [{ schema: { enum: ['inclusion', 'exclusion'], ... } }]
 */
export class SchemaIndex {
  private readonly byId = new Map<string, { [k: string]: unknown }>()

  constructor(schemas: readonly JsonSchema[]) {
    for (const s of schemas) if (isObject(s) && typeof s.$id === 'string') this.byId.set(s.$id.replace(/#$/, ''), s)
  }

  /** The `$id`s of the schemas given. */
  get ids(): string[] {
    return [...this.byId.keys()]
  }

  /** Follow a `$ref` from `base`; undefined when it points outside the schemas given. */
  private deref(ref: string, base: string): Located | undefined {
    let url: URL
    try {
      url = new URL(ref, base)
    } catch {
      return undefined
    }
    const docId = url.href.replace(/#.*$/, '')
    let node: unknown = this.byId.get(docId)
    const pointer = decodeURIComponent(url.hash.replace(/^#/, ''))
    for (const part of pointer.split('/').slice(1)) {
      if (!isObject(node) && !Array.isArray(node)) return undefined
      node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
    }
    const schema = asSchema(node)
    return schema ? { schema, base: docId } : undefined
  }

  /**
   * The concrete alternatives a schema stands for: `$ref`s followed, and
   * `allOf`/`anyOf`/`oneOf`/`if`-`then`-`else` branches flattened. A schema
   * with `$ref` and its own keywords (a description beside the `$ref`)
   * counts as itself and its target.
   */
  expand(start: Located, depth = 0, seen = new Set<object>()): Located[] {
    if (depth > MAX_DEPTH || seen.has(start.schema)) return []
    seen.add(start.schema)
    const s = start.schema
    const out: Located[] = [start]
    const base = typeof s.$id === 'string' ? s.$id : start.base
    if (typeof s.$ref === 'string') {
      const target = this.deref(s.$ref, base)
      if (target) out.push(...this.expand(target, depth + 1, seen))
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = s[key]
      if (Array.isArray(branches))
        for (const b of branches) {
          const schema = asSchema(b)
          if (schema) out.push(...this.expand({ schema, base }, depth + 1, seen))
        }
    }
    for (const key of ['then', 'else'] as const) {
      const schema = asSchema(s[key])
      if (schema) out.push(...this.expand({ schema, base }, depth + 1, seen))
    }
    return out
  }

  /** Sub-schemas for one step of a path, from every alternative. */
  private child(alternatives: Located[], segment: PathSegment): Located[] {
    const out: Located[] = []
    for (const { schema: s, base } of alternatives) {
      const add = (v: unknown) => {
        const schema = asSchema(v)
        if (schema) out.push(...this.expand({ schema, base }))
      }
      if (typeof segment === 'number') {
        if (Array.isArray(s.prefixItems) && segment < s.prefixItems.length) add(s.prefixItems[segment])
        else add(s.items)
        continue
      }
      const props = isObject(s.properties) ? s.properties : undefined
      if (props && segment in props) {
        add(props[segment])
        continue
      }
      let matched = false
      if (isObject(s.patternProperties)) {
        for (const [pattern, sub] of Object.entries(s.patternProperties)) {
          try {
            if (new RegExp(pattern, 'u').test(segment)) {
              add(sub)
              matched = true
            }
          } catch {
            // a pattern this browser cannot compile: no candidates from it
          }
        }
      }
      if (!matched && s.additionalProperties !== undefined && s.additionalProperties !== false) add(s.additionalProperties)
    }
    return out
  }

  /**
   * Every alternative schema at `path` in a document of schema `rootId`.
   * Empty when the path leaves the schema (an unknown key).
   */
  at(rootId: string, path: readonly PathSegment[]): Located[] {
    const root = this.byId.get(rootId.replace(/#$/, ''))
    if (!root) return []
    let current = this.expand({ schema: root, base: rootId })
    for (const segment of path) {
      current = this.child(current, segment)
      if (current.length === 0) break
    }
    return current
  }
}

/** The schema's own description, or the first among the alternatives it stands for. */
function descriptionOf(index: SchemaIndex, located: Located): string | undefined {
  for (const alt of index.expand(located)) if (typeof alt.schema.description === 'string') return alt.schema.description
  return undefined
}

/** What a property's value looks like, to insert `key:` then a line break for a block value. */
function shapeOf(index: SchemaIndex, located: Located): 'object' | 'array' | 'scalar' {
  const types = new Set<string>()
  for (const { schema: s } of index.expand(located)) {
    if (typeof s.type === 'string') types.add(s.type)
    else if (Array.isArray(s.type)) for (const t of s.type) types.add(String(t))
    else if (isObject(s.properties)) types.add('object')
    else if (s.enum !== undefined || s.const !== undefined) types.add('scalar')
  }
  if (types.size === 1 && types.has('object')) return 'object'
  if (types.size === 1 && types.has('array')) return 'array'
  return 'scalar'
}

/** Branches that can hold every key already written (all of them when none can). */
function compatible(alternatives: Located[], written: readonly string[]): Located[] {
  const objects = alternatives.filter(a => isObject(a.schema.properties) || a.schema.type === 'object')
  if (written.length === 0) return objects
  const fits = objects.filter(({ schema: s }) => {
    const props = isObject(s.properties) ? s.properties : {}
    return written.every(k => k in props || (s.additionalProperties !== undefined && s.additionalProperties !== false) || isObject(s.patternProperties))
  })
  return fits.length ? fits : objects
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_ ./()-]*$/
const RESERVED = /^(true|false|null|yes|no|on|off|~|[-+]?(\.inf|\.nan|[0-9][0-9_.e+-]*))$/i

/** A scalar written as YAML: quoted when it would otherwise read as something else. */
export function yamlScalar(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value)
  return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value)
}

function keySuggestions(index: SchemaIndex, alternatives: Located[], ctx: YamlCursorContext): Suggestion[] {
  const byKey = new Map<string, Suggestion>()
  for (const alt of compatible(alternatives, ctx.siblings)) {
    const props = isObject(alt.schema.properties) ? alt.schema.properties : {}
    const required = Array.isArray(alt.schema.required) ? alt.schema.required : []
    for (const [key, sub] of Object.entries(props)) {
      if (ctx.siblings.includes(key) || byKey.has(key)) continue
      const schema = asSchema(sub)
      if (!schema) continue
      const located = { schema, base: alt.base }
      const shape = ctx.flow ? 'scalar' : shapeOf(index, located)
      const inner = ' '.repeat(ctx.column + 2)
      const apply = shape === 'object' ? `${key}:\n${inner}` : shape === 'array' ? `${key}:\n${inner}- ` : `${key}: `
      const info = descriptionOf(index, located)
      byKey.set(key, { label: key, type: 'property', apply, ...(required.includes(key) ? { detail: 'required' } : {}), ...(info ? { info } : {}) })
    }
  }
  return [...byKey.values()]
}

function valueSuggestions(alternatives: Located[]): Suggestion[] {
  const out = new Map<string, Suggestion>()
  const add = (value: unknown, info: string | undefined, type: Suggestion['type']) => {
    const text = yamlScalar(value)
    if (!out.has(text)) out.set(text, { label: text, type, apply: text, ...(info ? { info } : {}) })
  }
  for (const { schema: s } of alternatives) {
    const info = typeof s.description === 'string' ? s.description : undefined
    if (Array.isArray(s.enum)) for (const v of s.enum) if (v === null || typeof v !== 'object') add(v, info, 'enum')
    if ('const' in s && (s.const === null || typeof s.const !== 'object')) add(s.const, info, 'enum')
    const types = Array.isArray(s.type) ? s.type : [s.type]
    if (types.includes('boolean')) {
      add(true, info, 'keyword')
      add(false, info, 'keyword')
    }
  }
  return [...out.values()]
}

/**
 * Completions at `offset` in a YAML `text` whose documents follow the
 * schema `rootId` of `index`; undefined where there is nothing to offer.
 *
 * @example
 * const list = completeYaml(index, PROTOCOL_ID, 'criteria:\n  - kind: ', 27)
 * list?.options.map((o) => o.label) // ['inclusion', 'exclusion']
 */
export function completeYaml(index: SchemaIndex, rootId: string, text: string, offset: number): SuggestionList | undefined {
  const ctx = yamlContextAt(text, offset)
  if (!ctx) return undefined
  const alternatives = index.at(rootId, ctx.path)
  if (alternatives.length === 0) return undefined
  let options: Suggestion[]
  if (ctx.kind === 'key') {
    options = keySuggestions(index, alternatives, ctx)
    // `- incl|` in a sequence of scalars: the item's own values
    if (ctx.item) options = [...options, ...valueSuggestions(alternatives)]
  } else {
    options = valueSuggestions(alternatives)
    // `key:|` with no space yet: keep the YAML readable
    if (text[ctx.from - 1] === ':') options = options.map(o => ({ ...o, apply: ` ${o.apply}` }))
  }
  return options.length ? { from: ctx.from, options } : undefined
}
