/**
 * ISN/RPS 2003 activity of class III and IV lesions (A, A/C, C) on the biopsy
 * leaf: "active lupus nephritis" excludes a purely chronic III(C) or IV(C).
 */
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import {
  compileProtocol,
  evaluateEligibility,
  examplePatient,
  loadPatient,
  loadProtocol,
  type Condition,
  type KidneyBiopsyRecord,
  type PatientRecord,
} from '../../../engine/index.ts'
import { describeContext, describeLogic } from '../../../engine/describe/index.ts'
import { inclusion, protocolWith } from '../../helpers/protocol-builder.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const SCREENING = '2026-03-31'
const within6 = { months: 6, before: 'screening' } as const
const activeProliferative: Condition = { biopsy: { classes: ['III', 'IV'], activity: ['A', 'A/C'], window: within6 } }

const withBiopsy = (biopsy: Partial<KidneyBiopsyRecord>): PatientRecord => ({
  dates: { screening: SCREENING },
  kidney_biopsies: [{ date: '2026-02-01', ...biopsy }],
})

async function criterion(logic: Condition, patient: PatientRecord) {
  const v = await evaluateEligibility(compileProtocol(protocolWith([inclusion(logic)])), patient)
  return v.criteria[0]!
}

describe('biopsy leaf with activity', () => {
  it.each([
    { biopsy: { classes: ['IV-G'], activity: 'A' }, want: 'met' },
    { biopsy: { classes: ['III'], activity: 'A/C' }, want: 'met' },
    { biopsy: { classes: ['III'], activity: 'C' }, want: 'not_met' },
    { biopsy: { classes: ['IV-S', 'V'], activity: 'C' }, want: 'not_met' },
    // the classes decide first: class II is not III or IV whatever its activity
    { biopsy: { classes: ['II'], activity: 'A' }, want: 'not_met' },
  ] as const)('$biopsy.classes ($biopsy.activity) -> $want', async ({ biopsy, want }) => {
    const r = await criterion(activeProliferative, withBiopsy({ classes: [...biopsy.classes], activity: biopsy.activity }))
    expect(r.truth).toBe(want)
  })

  it('a class III or IV biopsy without its activity is unknown, and asks for it', async () => {
    const r = await criterion(activeProliferative, withBiopsy({ classes: ['IV-G'] }))
    expect(r.truth).toBe('unknown')
    expect(r.missing).toEqual([{ key: 'kidney_biopsies.activity', description: 'ISN/RPS 2003 activity (A, A/C or C) of the kidney biopsy of 2026-02-01' }])
    expect(r.explanation.detail).toContain('activity of the class III/IV lesions (A, A/C or C) not reported')
  })

  it('a biopsy without class III or IV is decided by its classes alone', async () => {
    const anyClass: Condition = { biopsy: { classes: ['III', 'IV', 'V'], activity: ['A', 'A/C'], window: within6 } }
    const r = await criterion(anyClass, withBiopsy({ classes: ['V'] }))
    expect(r.truth).toBe('met')
    expect(r.explanation.detail).toContain('no class III or IV lesion, so activity does not apply')
  })

  it('names the activity in the explanation and in the plain-words description', async () => {
    const r = await criterion(activeProliferative, withBiopsy({ classes: ['IV-G'], activity: 'A/C' }))
    expect(r.explanation.label).toBe(
      'latest kidney biopsy within 6 months before screening shows class III or IV, class III/IV lesions (A) or (A/C) (ISN/RPS 2003)',
    )
    expect(r.explanation.detail).toContain('class IV-G (A/C)')
    const words = describeLogic(activeProliferative, 'logic', describeContext(protocolWith([inclusion(activeProliferative)])))
    expect(JSON.stringify(words)).toContain('class III/IV lesions (A) or (A/C)')
    expect(JSON.stringify(words)).toContain('active (A) or active and chronic (A/C)')
  })

  it('the schemas accept A, A/C and C only, located', () => {
    const doc = protocolWith([inclusion({ biopsy: { classes: ['IV'], activity: ['active' as 'A'] } })])
    expect(loadProtocol(stringify(doc)).diagnostics.map(d => [d.code, d.path])).toEqual([['E_SCHEMA_ENUM', 'criteria[0].logic.biopsy.activity[0]']])
    const patient = loadPatient(JSON.stringify({ kidney_biopsies: [{ date: '2026-02-01', classes: ['IV'], activity: 'AC' }] }))
    expect(patient.diagnostics.map(d => [d.code, d.path])).toEqual([['E_SCHEMA_ENUM', 'kidney_biopsies[0].activity']])
  })
})

describe('BLISS-LN IN03: chronic III/IV with class V is a named choice', () => {
  const { doc, examples } = shippedProtocol('NCT01639339')
  const chronicWithV = {
    ...examplePatient(examples!, 'eligible-baseline'),
    kidney_biopsies: [{ date: '2026-02-10', classes: ['IV-S', 'V'], activity: 'C' }],
  } as PatientRecord
  const in03 = async (value: boolean) => {
    const changed = {
      ...doc,
      parameters: {
        ...doc.parameters,
        class_v_with_chronic_proliferative_is_active: { ...doc.parameters!.class_v_with_chronic_proliferative_is_active!, value },
      },
    }
    return (await evaluateEligibility(compileProtocol(changed), chronicWithV)).criteria.find(c => c.id === 'IN03')!.truth
  }
  it('counts IV-S (C) + V as active when the parameter is true (the default), not when false', async () => {
    expect(doc.parameters!.class_v_with_chronic_proliferative_is_active!.value).toBe(true)
    expect(await in03(true)).toBe('met')
    expect(await in03(false)).toBe('not_met')
  })
})
