/**
 * A subject's record as versions: saved whole (the form's record, not a
 * patch) as a new version on top of the one the editor read, and re-screened
 * against the protocol's latest version in the same transaction while the
 * subject is still being screened. A randomized (or withdrawn) subject's
 * record can still be corrected, audited as a new version, but is not
 * re-screened: its eligibility history is the screenings made before
 * randomization. Every version is listed with who saved it, when, what did
 * (register, a visit, an edit...) and the editor's note.
 */
import type { SubjectRecord } from '../../engine/index.ts'
import { jsonBody, type Api } from '../http/route.ts'
import { arrayOf, engineSchema, int, merged, nullable, obj, str } from '../http/json-schema.ts'
import { badRequest, conflict, notFound } from '../errors.ts'
import { etagOf, loadedVersion } from '../protocol-cache.ts'
import type { Actor, Store, SubjectRow } from '../storage/store.ts'
import { armVisible, recordForBlindedReader } from './blinding.ts'
import { closedBecause } from './protocol-status.ts'
import { screenRecord, type SubjectScreening } from './subject-screening.ts'
import { latestLoadedOrThrow, subjectOrThrow, subjectRowOrThrow, subjectView } from './subject-rows.ts'
import { diagnosticSchema, subjectScreeningSchema, subjectViewSchema } from './schemas.ts'

const recordVersionSchema = obj({ version: int(), actor: str(), created_at: str(), action: str(), note: nullable(str()) })

/** Longest note kept with a version: a sentence or two, not a document. */
const NOTE_MAX = 500

interface PutBody {
  record: Record<string, unknown>
  base_version: number
  note?: string
}

/**
 * Why a subject's record is saved without re-screening, or undefined when it
 * is re-screened: the subject is past screening, or its protocol is closed to
 * screening (a draft or retired protocol, protocol-status.ts).
 */
async function notRescreenedBecause(store: Store, row: SubjectRow, actor: Actor): Promise<string | undefined> {
  if (row.status !== 'screened') {
    return `subject ${row.code} is ${row.status}: its eligibility was decided by the screenings before randomization, so the corrected record is saved as a new version but not re-screened`
  }
  const closed = await closedBecause(store, row.protocol_id, actor, 'screening')
  return closed ? `the record is saved as a new version but not re-screened: ${closed.detail}` : undefined
}

/** What a reader blinded to the allocation (blinding.ts) sees of a version: not the arm the randomization wrote. */
function blindedVersion<T extends { action: string }>(v: T, row: SubjectRow): T {
  return row.arm && v.action === `randomize to ${row.arm}` ? { ...v, action: 'randomize' } : v
}

/** The record to save: the subject's code as id and its arm, which only randomization sets. */
function recordToSave(row: SubjectRow, record: Record<string, unknown>): SubjectRecord {
  if (record.id !== undefined && record.id !== row.code)
    throw badRequest(`record.id must be the subject's code (${row.code}) or absent; a subject's code does not change`)
  if (record.arm !== undefined && record.arm !== row.arm) throw badRequest('record.arm cannot change here: the arm is set by POST /subjects/{sid}/randomize')
  return subjectOrThrow({ ...record, id: row.code, ...(row.arm ? { arm: row.arm } : {}) } as SubjectRecord)
}

const staleDetail = (row: Pick<SubjectRow, 'code'>, latest: number, base: number) =>
  `the record of subject ${row.code} is at version ${latest}, but this edit started from version ${base}: someone saved it meanwhile. Nothing was saved; reload the record and apply your changes again.`

export function subjectRecordRoutes(api: Api): void {
  const { store } = api
  /** Whether the actor sees this subject's arm (blinding.ts): else versions are shown without it. */
  const armShown = async (row: SubjectRow, actor: Actor) => {
    const latest = await store.protocolVersion(row.protocol_id)
    return latest ? armVisible(actor, loadedVersion(latest).doc) : false
  }

  api.route(
    {
      method: 'put',
      path: '/subjects/:sid/record',
      idempotent: true,
      summary:
        "Save a subject's whole record as a new version on top of base_version; re-screened against the latest protocol version while the subject is being screened",
      tag: 'subjects',
      permission: 'manage_subjects',
      body: jsonBody<PutBody>({
        description: '{ record, base_version, note? }',
        schema: {
          type: 'object',
          required: ['record', 'base_version'],
          properties: {
            record: engineSchema('subject', 'the whole subject record (subject.schema.json); id and arm, if given, must be the stored ones'),
            base_version: { type: 'integer', minimum: 1, description: 'the record version the edit started from (record_version of GET /subjects/{sid})' },
            note: { type: 'string', maxLength: NOTE_MAX, description: 'why the record changed, kept with the version' },
          },
          additionalProperties: false,
        },
      }),
      responses: {
        200: {
          description: '{ subject, version, screening (the new verdict, or null), not_rescreened_because? }',
          schema: obj({ subject: subjectViewSchema, version: int(), screening: nullable(subjectScreeningSchema), not_rescreened_because: str() }, [
            'not_rescreened_because',
          ]),
        },
        400: { description: 'The record changes the id or arm' },
        409: { description: 'base_version is not the latest version: nothing saved' },
        422: { description: 'The record has errors: nothing saved', schema: diagnosticSchema },
      },
    },
    async (c, { body }) => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      const record = recordToSave(row, body.record)
      if (body.base_version !== row.record_version)
        throw conflict(staleDetail(row, row.record_version, body.base_version), { latest_version: row.record_version })
      const why = await notRescreenedBecause(store, row, c.get('actor'))
      let screening: (SubjectScreening & { version: number; etag: string }) | undefined
      if (why === undefined) {
        const loaded = await latestLoadedOrThrow(store, row.protocol_id)
        screening = { ...(await screenRecord(loaded, record)), version: loaded.row.version, etag: etagOf(loaded.row) }
      }
      const note = body.note?.trim() || null
      const r = await store.saveSubjectRecord(
        { subjectId: row.id, record: JSON.stringify(record), baseVersion: body.base_version, note, ...(screening ? { evaluation: screening.evaluation } : {}) },
        c.get('actor'),
      )
      if (!r.ok) {
        if (r.conflict.kind === 'stale') throw conflict(staleDetail(row, r.conflict.latest, body.base_version), { latest_version: r.conflict.latest })
        throw notFound(`subject ${row.id}`)
      }
      const { subject, version, evaluation } = r.value
      if (screening) c.header('ETag', screening.etag)
      return c.json({
        subject: subjectView(subject),
        version,
        screening: screening && evaluation ? { evaluation_id: evaluation.id, version: screening.version, subject_id: row.id, ...screening.verdict } : null,
        ...(why === undefined ? {} : { not_rescreened_because: why }),
      })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/subjects/:sid/record/versions',
      summary: "The versions of a subject's record, oldest first: who saved each, when, what did and the note",
      tag: 'subjects',
      permission: 'read',
      responses: {
        200: {
          description: '{ subject_id, code, latest, versions: [{ version, actor, created_at, action, note }] }',
          schema: obj({ subject_id: str(), code: str(), latest: int(), versions: arrayOf(recordVersionSchema) }),
        },
        404: { description: 'No such subject' },
      },
    },
    async c => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      const shown = await armShown(row, c.get('actor'))
      const versions = (await store.subjectRecordVersions(row.id)).map(({ subject_id: _s, ...v }) => (shown ? v : blindedVersion(v, row)))
      await store.recordRead('subject', row.id, c.get('actor'), 'record versions')
      return c.json({ subject_id: row.id, code: row.code, latest: row.record_version, versions })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/subjects/:sid/record/versions/:n',
      summary: "One version of a subject's record, with the record as it was saved",
      tag: 'subjects',
      permission: 'read',
      responses: {
        200: {
          description: '{ version, actor, created_at, action, note, record }',
          schema: merged(recordVersionSchema, obj({ record: engineSchema('subject') })),
        },
        400: { description: 'The version is not a positive integer' },
        404: { description: 'No such subject or version' },
      },
    },
    async c => {
      const row = await subjectRowOrThrow(store, c.req.param('sid')!)
      const raw = c.req.param('n')!
      if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw badRequest(`the record version in the path must be a positive integer; got ${JSON.stringify(raw.slice(0, 20))}`)
      const found = await store.subjectRecordVersion(row.id, Number(raw))
      if (!found) throw notFound(`version ${raw} of the record of subject ${row.id} (latest: ${row.record_version})`)
      await store.recordRead('subject', row.id, c.get('actor'), `record version ${found.version}`)
      const { subject_id: _s, record: text, ...meta } = found
      const record = JSON.parse(text) as SubjectRecord
      if (await armShown(row, c.get('actor'))) return c.json({ ...meta, record })
      // blinded reader: neither the arm, the study drug given, nor the action that names the arm
      return c.json({ ...blindedVersion(meta, row), record: recordForBlindedReader(record) })
    },
  )
}
