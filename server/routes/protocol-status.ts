/**
 * A protocol's lifecycle: draft → active → retired.
 *
 * A protocol created through POST /protocols starts as a draft (the shipped
 * protocols loaded at first start are active). Designers and admins
 * (edit_protocols) change the status with POST /protocols/:id/status
 * `{ status, reason? }`; each change is one row of protocol_status_changes
 * (who, when, why) and one audit row, in one transaction.
 *
 * Allowed changes:
 * - draft → active: open it to clinicians. Reason optional.
 * - draft → retired: set aside a draft that will not be used. Reason required.
 * - active → retired: close new screening and registration. Reason required.
 * - retired → active: reopen recruitment. Admins only (403 for a designer:
 *   reopening is weightier than closing); reason required.
 * Refused with 409: the status it already has; active → draft (clinicians
 * may have screened against it: change it with a new version, or retire it
 * and create a new protocol); retired → draft.
 *
 * What each status opens (`openOrThrow`, called by the routes that screen):
 * - active: everything, for everyone with the permission.
 * - draft: previews only (evaluations not written to the screening log:
 *   POST …/evaluate?log=false, the streamed pre-screen), and only for
 *   designers and admins, so that the editor's previews keep working.
 *   Clinicians, logged screenings, registration and matching: 409.
 * - retired: the same as a draft (previews for designers and admins only).
 *   Its subjects stay readable, and their visits, adverse events and
 *   randomisation can still be recorded: a trial that stops recruiting still
 *   follows the subjects it has. Only new registration and screening close.
 * Matching (POST /match) ranks active protocols only.
 */
import { may } from '../auth.ts'
import { jsonBody, type Api } from '../http/route.ts'
import { arrayOf, obj, str } from '../http/json-schema.ts'
import { protocolStatusSchema, statusChangeSchema, transitionSchema } from './schemas.ts'
import { Problem, badRequest, conflict, notFound } from '../errors.ts'
import type { Actor, ProtocolRow, ProtocolStatus, ProtocolStatusChange, Store } from '../storage/store.ts'

export const PROTOCOL_STATUSES: ProtocolStatus[] = ['draft', 'active', 'retired']

interface Transition {
  /** Who may make it: edit_protocols (designers and admins), or admins only. */
  by: 'edit_protocols' | 'admin'
  reasonRequired: boolean
}

/** The allowed changes, from → to (see the module comment for why). */
export const TRANSITIONS: Record<ProtocolStatus, Partial<Record<ProtocolStatus, Transition>>> = {
  draft: { active: { by: 'edit_protocols', reasonRequired: false }, retired: { by: 'edit_protocols', reasonRequired: true } },
  active: { retired: { by: 'edit_protocols', reasonRequired: true } },
  retired: { active: { by: 'admin', reasonRequired: true } },
}

/** Longest reason kept, in characters: a sentence or two, not a document. */
export const MAX_REASON_CHARS = 500

/**
 * What a request does with a protocol: `preview` evaluates without writing
 * to the screening log; `screening` writes to it; `registration` registers a
 * subject; `match` ranks it for a patient.
 */
export type ProtocolUse = 'preview' | 'screening' | 'registration' | 'match'

const USE_WORDS: Record<ProtocolUse, string> = {
  preview: 'evaluated',
  screening: 'screened against',
  registration: 'given new subjects',
  match: 'matched against',
}

/** Whether a protocol of this status may be used so by this actor (the rules of the module comment). */
export function mayUse(status: ProtocolStatus, actor: Pick<Actor, 'role'>, use: ProtocolUse): boolean {
  if (status === 'active') return true
  return use === 'preview' && may(actor.role, 'edit_protocols')
}

const day = (at: string) => at.slice(0, 10)

/** Why a protocol of this status is closed to this use, and what to do, in words. */
function refusal(
  id: string,
  status: Exclude<ProtocolStatus, 'active'>,
  last: ProtocolStatusChange | undefined,
  actor: Pick<Actor, 'role'>,
  use: ProtocolUse,
): string {
  const designer = may(actor.role, 'edit_protocols')
  if (status === 'retired') {
    const why = last ? ` on ${day(last.at)}${last.reason ? ` (${last.reason})` : ''}` : ''
    return `protocol ${id} was retired${why}: it cannot be ${USE_WORDS[use]}; new screening and registration are closed. Its subjects stay readable and their visits can still be recorded.`
  }
  const what = `protocol ${id} is a draft: it cannot be ${USE_WORDS[use]} until it is activated`
  if (!designer) return `${what}. Ask a protocol designer to activate it, or choose an active protocol.`
  if (use === 'screening') return `${what}. Evaluate it as a preview (log=false), or activate it (POST /protocols/${id}/status) before recording screenings.`
  return `${what} (POST /protocols/${id}/status).`
}

/**
 * Go on if the protocol may be used so by this actor; else a 409 saying its
 * status and what to do. A protocol that does not exist passes (the route
 * answers its own 404).
 */
export async function openOrThrow(store: Store, id: string, actor: Actor, use: ProtocolUse, known?: ProtocolRow): Promise<void> {
  const closed = await closedBecause(store, id, actor, use, known)
  if (closed) throw conflict(closed.detail, { protocol_id: id, protocol_status: closed.status })
}

/**
 * Why the protocol is closed to this use by this actor, or undefined when
 * it is open (or does not exist): for a route that goes on without that use
 * (a record saved without re-screening) rather than refusing.
 */
export async function closedBecause(
  store: Store,
  id: string,
  actor: Actor,
  use: ProtocolUse,
  /** The protocol's row when the request read it already (protocolVersionLoader's `protocolRow`). */
  known?: ProtocolRow,
): Promise<{ status: ProtocolStatus; detail: string } | undefined> {
  const row = known ?? (await store.protocol(id))
  if (!row || mayUse(row.status, actor, use)) return undefined
  const last = (await store.protocolStatusChanges(id)).at(-1)
  return { status: row.status, detail: refusal(id, row.status as Exclude<ProtocolStatus, 'active'>, last, actor, use) }
}

/** The reason as kept: trimmed, null when blank; 400 when required and blank. */
function reasonOf(raw: string | undefined, from: ProtocolStatus, to: ProtocolStatus, required: boolean): string | null {
  const reason = raw?.trim().replace(/\s+/g, ' ') || null
  if (required && reason === null) {
    throw badRequest(`a reason is required to change a protocol from ${from} to ${to}: say why, for the audit trail`, {
      errors: [{ path: '/reason', message: 'required for this change' }],
    })
  }
  return reason
}

const allowedFrom = (from: ProtocolStatus) => Object.keys(TRANSITIONS[from]) as ProtocolStatus[]

/** The changes a protocol of this status may make, as the API lists them (who may make each, whether it needs a reason). */
export function transitionsFrom(from: ProtocolStatus): Array<{ status: ProtocolStatus; by: Transition['by']; reason_required: boolean }> {
  return allowedFrom(from).map(to => ({ status: to, by: TRANSITIONS[from][to]!.by, reason_required: TRANSITIONS[from][to]!.reasonRequired }))
}

export function protocolStatusRoutes(api: Api): void {
  const { store } = api

  api.route(
    {
      method: 'post',
      path: '/protocols/:id/status',
      idempotent: true,
      summary:
        "Change a protocol's status: draft → active, draft → retired, active → retired; retired → active for admins only. A reason is required except to activate a draft. Clinicians screen, register and match against active protocols only.",
      tag: 'protocols',
      permission: 'edit_protocols',
      body: jsonBody<{ status: ProtocolStatus; reason?: string }>({
        description: '{ status, reason? }',
        schema: {
          type: 'object',
          required: ['status'],
          properties: {
            status: { type: 'string', enum: PROTOCOL_STATUSES, description: 'the new status' },
            reason: { type: 'string', maxLength: MAX_REASON_CHARS, description: 'why (kept with the change and in the audit trail)' },
          },
          additionalProperties: false,
        },
      }),
      responses: {
        200: {
          description: "{ id, status, change }: the protocol's new status and the change recorded",
          schema: obj({ id: str(), status: protocolStatusSchema, change: statusChangeSchema }),
        },
        400: { description: 'Bad body, or a reason missing where one is required' },
        403: { description: 'Reactivating a retired protocol needs an admin' },
        404: { description: 'No such protocol' },
        409: { description: 'Not an allowed change from the current status (or the status changed meanwhile); nothing changed' },
      },
    },
    async (c, { body }) => {
      const id = c.req.param('id')!
      const actor = c.get('actor')
      const row = await store.protocol(id)
      if (!row) throw notFound(`protocol ${id}`)
      const from = row.status
      const to = body.status
      const transition = TRANSITIONS[from][to]
      if (!transition) {
        const allowed = allowedFrom(from)
        const detail = from === to ? `protocol ${id} is already ${to}` : `protocol ${id} cannot go from ${from} to ${to}`
        throw conflict(`${detail}; from ${from} it can go to ${allowed.join(' or ') || 'no other status'}`, { protocol_status: from, allowed })
      }
      if (transition.by === 'admin' && !may(actor.role, 'admin')) {
        throw new Problem(403, 'forbidden', `only an admin may make protocol ${id} ${to} again once ${from}; a ${actor.role} token may not`)
      }
      const reason = reasonOf(body.reason, from, to, transition.reasonRequired)
      const r = await store.setProtocolStatus({ id, from, to, reason }, actor)
      if (!r.ok) {
        if (r.conflict.kind === 'not_found') throw notFound(`protocol ${id}`)
        const now = await store.protocol(id)
        throw conflict(`protocol ${id} changed status meanwhile (it is ${now?.status}); nothing changed: reload and decide again`, {
          protocol_status: now?.status,
        })
      }
      return c.json({ id, status: r.value.protocol.status, change: r.value.change })
    },
  )

  api.route(
    {
      method: 'get',
      path: '/protocols/:id/status',
      summary: "A protocol's status and every change of it (who, when, why), oldest first",
      tag: 'protocols',
      permission: 'read',
      responses: {
        200: {
          description: '{ id, status, transitions: [{ status, by, reason_required }], changes }',
          schema: obj({ id: str(), status: protocolStatusSchema, transitions: arrayOf(transitionSchema), changes: arrayOf(statusChangeSchema) }),
        },
        404: { description: 'No such protocol' },
      },
    },
    async c => {
      const id = c.req.param('id')!
      const row = await store.protocol(id)
      if (!row) throw notFound(`protocol ${id}`)
      return c.json({ id, status: row.status, transitions: transitionsFrom(row.status), changes: await store.protocolStatusChanges(id) })
    },
  )
}
