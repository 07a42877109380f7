/**
 * Blinding: who may see allocation in aggregate. A protocol declares its
 * masking (`protocol.masking`, engine/types.ts); unless it is `open_label`,
 * results per arm, differences between arms and counts per arm are shown
 * only to actors with the `unblinded` permission (admins; other roles on a
 * token created with `unblinded: true`, server/auth.ts). Everyone else gets
 * pooled figures over every randomized subject, and is told so.
 *
 * `not_stated` (or no `masking`) is handled as blinded: per-arm results shown
 * by mistake cannot be taken back, while an open-label team kept blinded by
 * mistake only needs an unblinded token.
 *
 * A single subject's own arm stays visible to actors who manage subjects,
 * blinded or not: they randomize, dose and schedule that subject, which the
 * arm decides (the dosing calendar is the arm's). In a trial with a
 * placebo that looks like the drug, site staff see the kit's arm code only;
 * this tool keeps arms by name, so who may dose a subject knows their arm.
 * Actors who only read (viewer, designer) do not see a subject's arm of a
 * blinded protocol: not in the subject list, not on the subject, not
 * through the dosing calendar.
 */
import type { MaskingValue, ProtocolDocument } from '../../engine/index.ts'
import { actorMay } from '../auth.ts'
import { Problem } from '../errors.ts'
import type { Actor } from '../storage/store.ts'

/** The masking a protocol declares; absent: `not_stated`. */
export function maskingOf(doc: ProtocolDocument): MaskingValue {
  return doc.protocol.masking?.value ?? 'not_stated'
}

export interface Blinding {
  /** True: this answer leaves out everything that shows allocation in aggregate. */
  blinded: boolean
  masking: MaskingValue
  /** Why, in a sentence for the reader. */
  reason: string
}

const MASKING_WORDS: Record<MaskingValue, string> = {
  open_label: 'open-label',
  single_blind: 'single-blind',
  double_blind: 'double-blind',
  not_stated: 'of unstated masking (handled as blinded)',
}

/** Whether `actor` is blinded to the allocation of the protocol `doc`, and why. */
export function blindingFor(actor: Actor, doc: ProtocolDocument): Blinding {
  const masking = maskingOf(doc)
  const protocol = `protocol ${doc.protocol.registry_id} is ${MASKING_WORDS[masking]}`
  if (masking === 'open_label') return { blinded: false, masking, reason: `${protocol}: results per arm are shown to every reader` }
  if (actorMay(actor, 'unblinded'))
    return { blinded: false, masking, reason: `${protocol} and this token has the unblinded permission: results per arm are shown` }
  return {
    blinded: true,
    masking,
    reason: `${protocol} and this token has no unblinded permission: figures are pooled over every randomized subject, without arms, counts per arm or differences between arms (an admin can create a token with unblinded: true)`,
  }
}

/** Whether `actor` sees which arm one subject of `doc` is in (see the module comment). */
export function armVisible(actor: Actor, doc: ProtocolDocument): boolean {
  return !blindingFor(actor, doc).blinded || actorMay(actor, 'manage_subjects')
}

/**
 * What a reader blinded to the allocation sees of a subject record: neither
 * its arm nor the study drug given (the product and its dose, in cells or
 * IU, name the arm as surely as the arm itself).
 */
export function recordForBlindedReader<R extends { arm?: unknown; administrations?: unknown }>(record: R): Omit<R, 'arm' | 'administrations'> {
  const { arm: _arm, administrations: _given, ...rest } = record
  return rest
}

/** 403 for what would show a blinded reader a subject's arm (e.g. the arm's dosing calendar). */
export function armHiddenProblem(doc: ProtocolDocument, what: string): Problem {
  return new Problem(
    403,
    'forbidden',
    `${what} shows the subject's arm; protocol ${doc.protocol.registry_id} is ${MASKING_WORDS[maskingOf(doc)]}, and a subject's arm is shown only to users who manage subjects or are unblinded`,
  )
}
