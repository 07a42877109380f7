/**
 * The `pregnancy_test` fact: the latest urine or serum pregnancy test in a window.
 */
import type { PatientRecord } from '../../types.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import { parseIsoDate } from '../../calculators/dates.ts'
import { known, unknown, type Evidence } from '../evidence.ts'
import { placeWindow, type FactContext } from './context.ts'

export function pregnancyTestEvidence(
  patient: PatientRecord,
  params: { specimen: 'urine' | 'serum'; window: ResolvedWindow },
  ctx: FactContext,
): Evidence {
  const window = placeWindow(params.window, patient, ctx)
  const need = { key: `pregnancy_test:${params.specimen}`, description: `${params.specimen} pregnancy test ${window.text}` }
  if (window.kind === 'missing') return unknown(`no ${window.missing.description}`, [window.missing])
  const tests = (patient.reproductive?.pregnancy_tests ?? [])
    .filter((t) => t.specimen === params.specimen)
    .map((t) => ({ ...t, day: parseIsoDate(t.date) }))
    .filter((t): t is typeof t & { day: number } => t.day !== undefined)
    .filter((t) => window.kind !== 'range' || (t.day >= window.start && t.day <= window.end))
  if (tests.length === 0) return unknown(`no ${params.specimen} pregnancy test ${window.text}`, [need])
  const latest = tests.reduce((a, b) => (b.day >= a.day ? b : a))
  return known(latest.result, `${params.specimen} pregnancy test ${latest.result} on ${latest.date}`)
}
