/**
 * placeWindow, remembered: a window's placement depends only on the window,
 * the protocol document and (for windows anchored on a reference date) the
 * patient's text for that date, so records sharing a screening date share one
 * placement and its explanation text. Windows on the visit schedule depend on
 * the run context and are placed afresh every time.
 */
import type { PatientRecord } from '../../types.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import { placeWindow, type DayWindow, type FactContext } from './context.ts'

/** Distinct reference-date texts remembered per window before the memory is cleared (record text is open-ended). */
const PLACED_LIMIT = 4096
/** The key for a record without that reference date (not a possible date text). */
const NO_DATE = '\u0000'

// by protocol document (what placeWindow reads of the context, visit windows aside): fact contexts are made per record
const placed = new WeakMap<FactContext['doc'], WeakMap<ResolvedWindow, Map<string, DayWindow>>>()

/**
 * The same DayWindow placeWindow returns (shared between calls: callers must
 * not modify it).
 */
export function placeWindowCached(w: ResolvedWindow, patient: PatientRecord, ctx: FactContext): DayWindow {
  if (w.kind === 'visit') return placeWindow(w, patient, ctx)
  let byWindow = placed.get(ctx.doc)
  if (!byWindow) placed.set(ctx.doc, (byWindow = new WeakMap()))
  let byDate = byWindow.get(w)
  if (!byDate) byWindow.set(w, (byDate = new Map()))
  const iso: unknown = w.kind === 'any' || w.kind === 'planned' ? NO_DATE : patient.dates?.[w.ref]
  // a date that is not text (a schema-invalid record) is placed afresh, as placeWindow reads it
  if (iso !== undefined && typeof iso !== 'string') return placeWindow(w, patient, ctx)
  const key = iso ?? NO_DATE
  const hit = byDate.get(key)
  if (hit !== undefined) return hit
  const window = placeWindow(w, patient, ctx)
  if (byDate.size >= PLACED_LIMIT) byDate.clear()
  byDate.set(key, window)
  return window
}
