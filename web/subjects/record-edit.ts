/**
 * What saving the form does to a subject's stored record. The form shows
 * part of a record (what the protocol's criteria read) and rebuilds it from
 * its inputs; a subject's record holds more (visits, adverse events,
 * randomization, details the form has no control for). So a save applies
 * only what the user changed: the difference between the form as it was
 * filled from the stored record and the form now, as a JSON Merge Patch
 * (RFC 7386) on the stored record. Nothing the form did not touch is lost.
 */
import type { PatientRecord, SubjectRecord } from '../../engine/index.ts'

type Json = unknown
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)
const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b)

/** The merge patch that turns `before` into `after` (objects merge, arrays and values replace, null removes). */
export function mergeDiff(before: Record<string, Json>, after: Record<string, Json>): Record<string, Json> {
  const patch: Record<string, Json> = {}
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null
  for (const [key, value] of Object.entries(after)) {
    const old = before[key]
    if (same(old, value)) continue
    patch[key] = isObject(old) && isObject(value) ? mergeDiff(old, value) : value
  }
  return patch
}

/** RFC 7386: apply a merge patch to a JSON object (a new object; the target is not changed). */
export function applyMergePatch(target: Record<string, Json>, patch: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...target }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else out[key] = isObject(value) ? applyMergePatch(isObject(out[key]) ? out[key] : {}, value) : value
  }
  return out
}

/**
 * The record to save after an edit in the form.
 *
 * @param stored the subject's record as stored
 * @param filled the form's record right after it was filled from `stored`
 * @param edited the form's record now
 * @example editedRecord({ visits: [v], birth_date: '1990-01-01' }, { birth_date: '1990-01-01' }, { birth_date: '1990-01-02' }) // { visits: [v], birth_date: '1990-01-02' }
 */
export function editedRecord(stored: SubjectRecord, filled: PatientRecord, edited: PatientRecord): SubjectRecord {
  const patch = mergeDiff(filled as Record<string, Json>, edited as Record<string, Json>)
  return applyMergePatch(stored as Record<string, Json>, patch) as SubjectRecord
}

/** What a subject's record has that an eligibility record never holds: kept when another record is attached. */
const STUDY_KEYS = ['arm', 'visits', 'bilag_2004', 'administrations', 'adverse_events', 'death'] as const satisfies ReadonlyArray<
  Exclude<keyof SubjectRecord, keyof PatientRecord>
>

/**
 * The record to save when the Evaluate page's record is attached to an
 * existing subject: it replaces the subject's screening data, while what the
 * study recorded since (visits, adverse events, doses, the arm and the
 * randomization date) stays; the id is always the subject's code.
 */
export function attachedRecord(stored: SubjectRecord, evaluated: PatientRecord, code: string): SubjectRecord {
  const kept = Object.fromEntries(STUDY_KEYS.flatMap(k => (stored[k] === undefined ? [] : [[k, stored[k]]])))
  const randomization = stored.dates?.randomization
  const dates = randomization ? { ...evaluated.dates, randomization } : evaluated.dates
  return { ...evaluated, ...kept, ...(dates ? { dates } : {}), id: code }
}
