/**
 * `?explain=false` on POST /protocols/:id/evaluate: the brief verdict, each
 * criterion's outcome without its explanation, equal to the full verdict
 * with the explanations dropped (the data still needed and the warnings
 * included), on both backends, previewed or logged; the screening log keeps
 * the full verdict either way.
 */
import { describe, expect, it } from 'vitest'
import { briefVerdictOf, examplePatient, type BriefVerdict, type Verdict } from '../../engine/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { caller, expectProblem, testApp } from './helpers.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!
// eligible, ineligible (aged 66), undetermined (no birth date: data still needed)
const PATIENTS = ['eligible-baseline', 'age-66', 'birth-date-missing'].map(id => examplePatient(examples, id))
// a drug the dictionaries do not know: a warning the brief verdict must keep
const UNKNOWN_DRUG = {
  ...PATIENTS[0]!,
  id: 'unknown-drug',
  medications: [...(PATIENTS[0]!.medications ?? []), { drug: 'zzz-not-a-drug', start: '2020-01-01' }],
}

type Evaluation<V> = V & { evaluation_id: number | null; version: number }

describe('?explain=false', () => {
  it('answers the full verdict less the explanations, on both backends, for each verdict', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    for (const patient of [...PATIENTS, UNKNOWN_DRUG]) {
      const full = (await (await call('POST', `/protocols/${P}/evaluate?log=false`, { body: patient })).json()) as Evaluation<Verdict>
      for (const engine of ['fast', 'reference']) {
        const res = await call('POST', `/protocols/${P}/evaluate?log=false&explain=false&engine=${engine}`, { body: patient })
        expect(res.status).toBe(200)
        const brief = (await res.json()) as Evaluation<BriefVerdict>
        const { evaluation_id, version, ...verdict } = full
        expect(brief).toEqual({ evaluation_id, version, ...briefVerdictOf(verdict) })
        // same members in the same order as the full verdict, criteria without their explanations
        expect(Object.keys(brief)).toEqual(Object.keys(full))
        for (const c of brief.criteria) expect(Object.keys(c)).toEqual(['id', 'kind', 'truth', 'applicable', 'outcome'])
      }
    }
  })

  it('keeps what a caller acts on: unknown, the data still needed and the warnings', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const undetermined = (await (await call('POST', `/protocols/${P}/evaluate?log=false&explain=false`, { body: PATIENTS[2] })).json()) as BriefVerdict
    expect(undetermined.overall).toBe('undetermined')
    expect(undetermined.undecided.length).toBeGreaterThan(0)
    expect(undetermined.missing.map(m => m.key)).toContain('birth_date')
    expect(undetermined.criteria.filter(c => c.outcome === 'unknown').map(c => c.id)).toEqual(undetermined.undecided)
    const warned = (await (await call('POST', `/protocols/${P}/evaluate?log=false&explain=false`, { body: UNKNOWN_DRUG })).json()) as BriefVerdict
    expect(warned.warnings.join('\n')).toContain('zzz-not-a-drug')
    const eligible = (await (await call('POST', `/protocols/${P}/evaluate?log=false&explain=false`, { body: PATIENTS[0] })).json()) as BriefVerdict
    expect(eligible.missing).toEqual([])
  })

  it('is a tenth of the full answer or less', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const full = await (await call('POST', `/protocols/${P}/evaluate?log=false`, { body: PATIENTS[0] })).text()
    const brief = await (await call('POST', `/protocols/${P}/evaluate?log=false&explain=false`, { body: PATIENTS[0] })).text()
    expect(brief.length * 10).toBeLessThanOrEqual(full.length)
  })

  it('logged: answers brief, the screening log keeps the full verdict; explain=true or absent answers it whole', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const brief = (await (await call('POST', `/protocols/${P}/evaluate?explain=false`, { body: PATIENTS[0] })).json()) as Evaluation<BriefVerdict>
    expect(brief.evaluation_id).toEqual(expect.any(Number))
    const stored = (await t.store.evaluations({ protocolId: P, limit: 10 })).find(e => e.id === brief.evaluation_id)!
    const verdict = JSON.parse(stored.verdict) as Verdict
    expect(verdict.criteria[0]!.explanation).toBeDefined()
    expect({ evaluation_id: brief.evaluation_id, version: brief.version, ...briefVerdictOf(verdict) }).toEqual(brief)
    for (const query of ['', '&explain=true']) {
      const whole = (await (await call('POST', `/protocols/${P}/evaluate?log=true${query}`, { body: PATIENTS[0] })).json()) as Evaluation<Verdict>
      expect(whole.evaluation_id).toBeGreaterThan(brief.evaluation_id!)
      const row = (await t.store.evaluations({ protocolId: P, limit: 10 })).find(e => e.id === whole.evaluation_id)!
      const { evaluation_id, version, ...answered } = whole
      // the answer is the logged verdict, explanations and all
      expect(answered).toEqual(JSON.parse(row.verdict))
      expect(version).toBe(brief.version)
    }
  })

  it('anything but true or false is a 400 naming the parameter', async () => {
    const t = await testApp()
    const res = await caller(t, 'clinician')('POST', `/protocols/${P}/evaluate?log=false&explain=no`, { body: PATIENTS[0] })
    const problem = await expectProblem(res, 400, 'invalid-request')
    expect(problem.detail).toContain('explain')
  })
})
