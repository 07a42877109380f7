/**
 * Carrying a patient record from one screen to another ("Evaluate in X's
 * form" on the Match page) without putting patient data in the URL: the
 * record waits in this tab's sessionStorage under a one-time random id, and
 * only that id travels in the location hash. Taking it removes it, so a
 * reload or a shared link carries nothing.
 */
import type { PatientRecord } from '../../engine/index.ts'

const PREFIX = 'tp-record-handoff:'

/** Keep a record for the next screen; returns the one-time id to put in the link. */
export function stashRecord(record: PatientRecord, storage: Storage = sessionStorage): string {
  // getRandomValues, not randomUUID: the app may be served over plain HTTP on a ward network (no secure context)
  const id = [...crypto.getRandomValues(new Uint8Array(16))].map(b => b.toString(16).padStart(2, '0')).join('')
  storage.setItem(PREFIX + id, JSON.stringify(record))
  return id
}

/** The record kept under `id`, removed as it is taken; undefined when there is none (already taken, another tab). */
export function takeRecord(id: string, storage: Storage = sessionStorage): PatientRecord | undefined {
  const key = PREFIX + id
  const text = storage.getItem(key)
  storage.removeItem(key)
  if (text === null) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PatientRecord) : undefined
  } catch {
    return undefined
  }
}
