/**
 * A protocol version exported to a standard (engine/export): CDISC USDM
 * 4.0.0 or an HL7 FHIR R4 / R5 Bundle, with the notes of what the standard
 * could not carry. Read-only; the protocol view's export buttons call it.
 */
import { EXPORT_FORMAT_TITLES, EXPORT_FORMATS, exportProtocol, isExportFormat, type ExportFormat, type ProtocolExport } from '../../engine/export/index.ts'
import type { ProtocolDocument } from '../../engine/index.ts'
import { badRequest } from '../errors.ts'
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, int, obj, oneOfStrings, str } from '../http/json-schema.ts'
import { etagOf, loadedVersion, perDocument } from '../protocol-cache.ts'
import { versionQuery } from './schemas.ts'

/** Each parsed document exported once per format. */
const exportsOf = Object.fromEntries(EXPORT_FORMATS.map(f => [f, perDocument(doc => exportProtocol(doc, f))])) as Record<
  ExportFormat,
  (doc: ProtocolDocument) => ProtocolExport<unknown>
>

const formatsInWords = EXPORT_FORMATS.map(f => `${f}: ${EXPORT_FORMAT_TITLES[f].long}`).join('; ')

export function exportRoutes(api: Api): void {
  api.route(
    {
      method: 'get',
      path: '/protocols/:id/export/:format',
      summary: `A version in a standard's JSON, with what the standard could not carry (${formatsInWords})`,
      tag: 'protocols',
      permission: 'read',
      query: { version: versionQuery },
      protocol: 'version',
      responses: {
        200: {
          description: '{ version, format, standard, document, notes: [{ where, note }] }',
          schema: obj({
            version: int(),
            format: oneOfStrings(EXPORT_FORMATS),
            standard: str('the standard and its version, e.g. CDISC USDM 4.0.0'),
            document: anyObject("the standard's document: a USDM Wrapper or a FHIR Bundle"),
            notes: arrayOf(obj({ where: str('where in the protocol'), note: str('what the standard does not carry, and how the export carries it instead') })),
          }),
        },
        400: { description: 'Not an export format' },
        404: { description: 'No such protocol or version' },
      },
    },
    (c, { version: row }) => {
      const format = c.req.param('format')!
      if (!isExportFormat(format)) throw badRequest(`no export format "${format}"; formats: ${EXPORT_FORMATS.join(', ')}`)
      const { doc } = loadedVersion(row)
      const out = exportsOf[format](doc)
      c.header('ETag', `${etagOf(row).slice(0, -1)}-${format}"`)
      return c.json({ version: row.version, format, standard: out.standard, document: out.document, notes: out.notes })
    },
  )
}
