/**
 * The `pregnancy_test` fact: the latest urine or serum pregnancy test in a window.
 */
import type { PatientRecord } from '../../types.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import { parseIsoDate } from '../../calculators/dates.ts'
import { known, unknown, type Evidence } from '../evidence.ts'
import type { FactContext } from './context.ts'
import { placeWindowCached } from './perf-window.ts'

type PregnancyTest = NonNullable<NonNullable<PatientRecord['reproductive']>['pregnancy_tests']>[number]

export function pregnancyTestEvidence(patient: PatientRecord, params: { specimen: 'urine' | 'serum'; window: ResolvedWindow }, ctx: FactContext): Evidence {
  const window = placeWindowCached(params.window, patient, ctx)
  if (window.kind === 'missing') return unknown(`no ${window.missing.description}`, [window.missing])
  const all = patient.reproductive?.pregnancy_tests ?? []
  // a schema-invalid list fails (or not) as the array methods always made it
  if (!Array.isArray(all)) (all as PregnancyTest[]).filter(t => t.specimen === params.specimen)
  // the latest dated test of the specimen in the window; of tests on the same day, the last listed
  let latest: PregnancyTest | undefined
  let latestDay = Number.NEGATIVE_INFINITY
  const list = all as PregnancyTest[]
  for (let i = 0; i < list.length; i++) {
    const t = list[i] as PregnancyTest
    if (t === undefined && !(i in list)) continue // as filter, skip holes
    if (t.specimen !== params.specimen) continue
    const day = parseIsoDate(t.date)
    if (day === undefined) continue
    if (window.kind === 'range' && (day < window.start || day > window.end)) continue
    if (latest === undefined || day >= latestDay) {
      latest = t
      latestDay = day
    }
  }
  if (latest === undefined) {
    const need = { key: `pregnancy_test:${params.specimen}`, description: `${params.specimen} pregnancy test ${window.text}` }
    return unknown(`no ${params.specimen} pregnancy test ${window.text}`, [need])
  }
  return known(latest.result, `${params.specimen} pregnancy test ${latest.result} on ${latest.date}`)
}
