import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyMergePatch, compileProtocol, evaluateEligibility, examplePatient, loadProtocol, type PatientRecord } from '../../../engine/index.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../../helpers/protocols.ts'

// Ambiguities of the registry text are named parameters: changing one in YAML changes the verdict, no code involved.
const text = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')
const examples = shippedProtocol('NCT05631717').examples!

function withParameter(name: string, from: string, to: string) {
  const marker = `  ${name}:\n    value: ${from}\n`
  if (!text.includes(marker)) throw new Error(`parameter ${name} with value ${from} not found`)
  const loaded = loadProtocol(text.replace(marker, `  ${name}:\n    value: ${to}\n`))
  if (!loaded.value) throw new Error(JSON.stringify(loaded.diagnostics))
  return compileProtocol(loaded.value)
}

async function truthOf(compiled: ReturnType<typeof compileProtocol>, patient: PatientRecord, id: string) {
  return (await evaluateEligibility(compiled, patient)).criteria.find(c => c.id === id)!.truth
}

describe('protocol parameters switch interpretations', () => {
  const defaults = compileProtocol(shippedProtocol('NCT05631717').doc)
  const base = examplePatient(examples, 'eligible-baseline')

  it('unstable_dose_events: a constant-dose start 8 weeks before screening is unstable only when starts count', async () => {
    const patient = applyMergePatch(base, {
      medications: [{ drug: 'tacrolimus', start: '2025-11-10', ongoing: true, doses: [{ date: '2025-11-10', amount: 2, unit: 'mg' }] }],
    }) as PatientRecord
    expect(await truthOf(defaults, patient, 'EX01b')).toBe('met')
    expect(await truthOf(withParameter('unstable_dose_events', 'start_stop_or_dose_change', 'dose_change'), patient, 'EX01b')).toBe('not_met')
  })

  it('contraception_criterion_applies_to_men: a fertile man refusing contraception', async () => {
    const patient = examplePatient(examples, 'male-refuses-contraception')
    expect(await truthOf(defaults, patient, 'IN05')).toBe('not_met')
    const womenOnly = withParameter('contraception_criterion_applies_to_men', 'true', 'false')
    const result = (await evaluateEligibility(womenOnly, patient)).criteria.find(c => c.id === 'IN05')!
    expect(result).toMatchObject({ truth: 'met', applicable: 'not_met' })
  })

  it('age_lower_bound_basis: on the day after the 18th birthday, completed years says 18 is not > 18', async () => {
    const patient = examplePatient(examples, 'age-18-and-a-day')
    expect(await truthOf(defaults, patient, 'IN02')).toBe('met')
    expect(await truthOf(withParameter('age_lower_bound_basis', 'exact', 'completed_years'), patient, 'IN02')).toBe('not_met')
  })

  it('age_upper_bound_basis: the day after the 65th birthday is > 65 by exact age', async () => {
    const patient = applyMergePatch(base, { birth_date: '1961-01-04' }) as PatientRecord
    expect(await truthOf(defaults, patient, 'IN02')).toBe('met')
    expect(await truthOf(withParameter('age_upper_bound_basis', 'completed_years', 'exact'), patient, 'IN02')).toBe('not_met')
  })

  it('screening_lookback_days: a SLEDAI-2K 35 days old counts only with a longer look-back', async () => {
    const patient = applyMergePatch(base, { sledai_2k: [{ date: '2025-12-01', score: 10 }] }) as PatientRecord
    expect(await truthOf(defaults, patient, 'IN03')).toBe('unknown')
    expect(await truthOf(withParameter('screening_lookback_days', '28', '42'), patient, 'IN03')).toBe('met')
  })

  it('listed_infections_exclude_regardless_of_severity: moderate herpes zoster', async () => {
    const patient = examplePatient(examples, 'herpes-zoster-moderate-active')
    expect(await truthOf(defaults, patient, 'EX04')).toBe('met')
    expect(await truthOf(withParameter('listed_infections_exclude_regardless_of_severity', 'true', 'false'), patient, 'EX04')).toBe('not_met')
  })

  it('surgery_risk_judgement_applies_to_past_surgery: past major surgery judged acceptable', async () => {
    const patient = examplePatient(examples, 'major-surgery-10-weeks')
    expect(await truthOf(defaults, patient, 'EX05')).toBe('met')
    expect(await truthOf(withParameter('surgery_risk_judgement_applies_to_past_surgery', 'false', 'true'), patient, 'EX05')).toBe('not_met')
  })
})
