/**
 * The screening log: every evaluation with the exact protocol version, the
 * subject (when filed under one) and who ran it. Pages by id; a CSV export
 * for the trial master file; the CONSORT-style funnel over it
 * (screening-funnel.ts).
 */
import type { Api } from '../http/route.ts'
import { anyObject, arrayOf, int, merged, named, nullable, obj, str } from '../http/json-schema.ts'
import { overallSchema } from './schemas.ts'
import { notFound } from '../errors.ts'
import type { EvaluationRow, Store } from '../storage/store.ts'
import { screeningFunnelRoutes } from './screening-funnel.ts'

export const pageQuery = {
  after: { schema: { type: 'integer', minimum: 0 }, description: 'return rows with an id greater than this (the previous page’s next_after)' },
  limit: { schema: { type: 'integer', minimum: 1, maximum: 1000 }, description: 'rows per page (default 100, at most 1000)' },
}
export const DEFAULT_PAGE = 100
const CSV_PAGE = 1000

export const CSV_HEADER = ['id', 'created_at', 'protocol_id', 'version', 'subject_code', 'overall', 'failing', 'actor'] as const

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break, quotes doubled. A field a spreadsheet would run as a formula
 * (= + - @ at the start) gets a leading apostrophe (OWASP, CSV injection).
 */
export function csvField(value: string | number | null): string {
  let s = value === null ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function summary(e: EvaluationRow, codes: Map<string, string>) {
  return {
    id: e.id,
    created_at: e.created_at,
    protocol_id: e.protocol_id,
    version: e.version,
    subject_id: e.subject_id,
    subject_code: e.subject_id === null ? null : (codes.get(e.subject_id) ?? null),
    overall: e.overall,
    failing: JSON.parse(e.failing) as string[],
    actor: e.actor,
  }
}

const LOG_ENTRY = named(
  'ScreeningLogEntry',
  obj({
    id: int(),
    created_at: str(),
    protocol_id: str(),
    version: int(),
    subject_id: nullable(str()),
    subject_code: nullable(str()),
    overall: overallSchema,
    failing: arrayOf(str()),
    actor: str(),
  }),
)

async function subjectCodes(store: Store, protocolId: string): Promise<Map<string, string>> {
  return new Map((await store.subjects(protocolId)).map(s => [s.id, s.code]))
}

export function screeningLogRoutes(api: Api): void {
  const { store } = api

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/screening-log',
      summary: "A protocol's screening log, oldest first, without the full verdicts",
      tag: 'screening log',
      permission: 'read',
      query: pageQuery,
      protocol: 'latest',
      responses: {
        200: {
          description: '{ items: [{ id, created_at, version, subject_id, subject_code, overall, failing, actor }], next_after }',
          schema: obj({ items: arrayOf(LOG_ENTRY), next_after: nullable(int()) }),
        },
      },
    },
    async c => {
      const id = c.req.param('id')!
      const limit = Number(c.req.query('limit') ?? DEFAULT_PAGE)
      const after = c.req.query('after')
      const rows = await store.evaluations({ protocolId: id, limit, ...(after !== undefined ? { afterId: Number(after) } : {}) })
      const codes = await subjectCodes(store, id)
      return c.json({ items: rows.map(e => summary(e, codes)), next_after: rows.length === limit ? rows.at(-1)!.id : null })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/screening-log.csv',
      summary: "The whole screening log of a protocol as CSV (RFC 4180; failing criteria joined with ';')",
      tag: 'screening log',
      permission: 'read',
      protocol: 'latest',
      responses: { 200: { description: `CSV with the header ${CSV_HEADER.join(',')}`, contentType: 'text/csv', schema: { type: 'string' } } },
    },
    async c => {
      const id = c.req.param('id')!
      const codes = await subjectCodes(store, id)
      const lines = [CSV_HEADER.join(',')]
      for (let afterId = 0; ; ) {
        const rows = await store.evaluations({ protocolId: id, afterId, limit: CSV_PAGE })
        for (const e of rows) {
          const s = summary(e, codes)
          lines.push([s.id, s.created_at, s.protocol_id, s.version, s.subject_code, s.overall, s.failing.join(';'), s.actor].map(csvField).join(','))
        }
        if (rows.length < CSV_PAGE) break
        afterId = rows.at(-1)!.id
      }
      // the export carries every screened subject's verdicts out of the service: audited as a read
      const entries = lines.length - 1
      await store.recordRead('screening_log', id, c.get('actor'), `CSV export (${entries} ${entries === 1 ? 'entry' : 'entries'})`)
      return c.body(`${lines.join('\r\n')}\r\n`, 200, {
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="${id}-screening-log.csv"`,
      })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/screening-log/:eid',
      summary: 'One screening-log entry with its full verdict',
      tag: 'screening log',
      permission: 'read',
      responses: {
        200: {
          description: 'The entry and verdict',
          schema: merged(LOG_ENTRY, obj({ verdict: anyObject('the verdict as it was given (an evaluation: the full verdict; a batch: its brief)') })),
        },
        404: { description: 'No such entry' },
      },
    },
    async c => {
      const raw = c.req.param('eid')!
      const eid = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : undefined
      const [row] = eid === undefined ? [] : await store.evaluations({ afterId: eid - 1, limit: 1 })
      if (!row || row.id !== eid) throw notFound(`screening-log entry ${raw}`)
      const codes = await subjectCodes(store, row.protocol_id)
      const entry = { ...summary(row, codes), verdict: JSON.parse(row.verdict) as unknown }
      await store.recordRead('evaluation', String(row.id), c.get('actor'), row.subject_id === null ? 'verdict' : `verdict of subject ${row.subject_id}`)
      return c.json(entry)
    },
  )

  screeningFunnelRoutes(api)
}
