/**
 * Carrying a patient record from one screen to another ("Evaluate in X's
 * form" on the Match page) without putting patient data in the URL
 * (web/handoff.ts).
 */
import type { PatientRecord } from '../../engine/index.ts'
import { HANDOFF, stash, take } from '../handoff.ts'

/** Keep a record for the next screen; returns the one-time id to put in the link. */
export function stashRecord(record: PatientRecord, storage: Storage = sessionStorage): string {
  return stash(HANDOFF.record, record, storage)
}

/** The record kept under `id`, removed as it is taken; undefined when there is none (already taken, another tab). */
export function takeRecord(id: string, storage: Storage = sessionStorage): PatientRecord | undefined {
  const value = take(HANDOFF.record, id, storage)
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PatientRecord) : undefined
}
