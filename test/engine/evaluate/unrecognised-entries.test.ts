/**
 * An incomplete history: what a record's source could not recognise keeps the
 * criteria it could decide unknown, named as what to review — never "not met".
 */
import { describe, expect, it } from 'vitest'
import { compileFast } from '../../../engine/fast/index.ts'
import { compileProtocol, evaluateEligibility, examplePatient, type PatientRecord, type UnrecognisedEntry, type Verdict } from '../../../engine/index.ts'
import { evaluateSubject, exampleSubject } from '../../../engine/study.ts'
import { validateAgainstSchema } from '../../../engine/schema/validate.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const shipped = shippedProtocol('NCT05631717')
const compiled = compileProtocol(shipped.doc)
// eligible; screening 2026-01-05, randomisation 2026-01-19
const base = examplePatient(shipped.examples!, 'eligible-baseline')

function withUnrecognised(section: keyof NonNullable<PatientRecord['unrecognised']>, ...entries: UnrecognisedEntry[]): PatientRecord {
  return { ...structuredClone(base), unrecognised: { [section]: entries } }
}

function truthOf(v: Verdict, id: string) {
  return v.criteria.find(c => c.id === id)!.truth
}

const rituximabProduct: UnrecognisedEntry = {
  text: '10 ML rituximab 10 MG/ML Injection [Rituxan]',
  codes: ['http://www.nlm.nih.gov/research/umls/rxnorm|1657864'],
  reason: 'not in the drug dictionary',
  start: '2025-11-24',
  stop: '2025-11-24',
}

describe('unrecognised history items', () => {
  it('the base patient is eligible with complete histories', async () => {
    const v = await evaluateEligibility(compiled, base)
    expect(v.overall).toBe('eligible')
    for (const id of ['EX01a', 'EX01b', 'EX01c', 'EX07']) expect(truthOf(v, id)).toBe('not_met')
  })

  it('an unrecognised drug 6 weeks before screening leaves the exposure exclusions whose window it falls in unknown and names it for review', async () => {
    const v = await evaluateEligibility(compiled, withUnrecognised('medications', rituximabProduct))
    expect(truthOf(v, 'EX01a')).toBe('unknown') // 24 weeks
    expect(truthOf(v, 'EX01b')).toBe('unknown') // 12 weeks: started in it
    expect(truthOf(v, 'EX01c')).toBe('not_met') // 4 weeks: before it
    expect(v.overall).toBe('undetermined')
    const review = v.criteria.find(c => c.id === 'EX01a')!.missing
    expect(review).toEqual([
      expect.objectContaining({ key: 'unrecognised.medications[0]', description: expect.stringMatching(/10 ML rituximab .*1657864.*review it/), review: true }),
    ])
    // the item is named among the verdict's data still needed
    expect(v.missing.map(m => m.key)).toContain('unrecognised.medications[0]')
  })

  it('an unrecognised drug stopped before every window decides nothing: the criteria stay not met', async () => {
    const v = await evaluateEligibility(compiled, withUnrecognised('medications', { ...rituximabProduct, start: '2020-01-01', stop: '2020-02-01' }))
    expect(truthOf(v, 'EX01a')).toBe('not_met')
    expect(v.overall).toBe('eligible')
  })

  it('boundaries of the 24-week window (EX01a, before screening 2026-01-05): inside is unknown, the day before it is not met', async () => {
    // 24 weeks = 168 days: the window starts 2025-07-21
    const inside = await evaluateEligibility(compiled, withUnrecognised('medications', { ...rituximabProduct, start: '2025-07-21', stop: '2025-07-21' }))
    const outside = await evaluateEligibility(compiled, withUnrecognised('medications', { ...rituximabProduct, start: '2025-07-20', stop: '2025-07-20' }))
    expect(truthOf(inside, 'EX01a')).toBe('unknown')
    expect(truthOf(outside, 'EX01a')).toBe('not_met')
  })

  it('an item with no dates could fall in any window: unknown', async () => {
    const { start: _s, stop: _t, ...undated } = rituximabProduct
    const v = await evaluateEligibility(compiled, withUnrecognised('medications', undated))
    expect(truthOf(v, 'EX01a')).toBe('unknown')
  })

  it('possibly narrows what it could be: an ambiguous "MPA" (mycophenolic acid or medroxyprogesterone) leaves the immunosuppressant exclusion unknown, not B-cell depletion', async () => {
    const mpa: UnrecognisedEntry = {
      text: 'MPA 500 mg',
      possibly: ['mycophenolic_acid', 'medroxyprogesterone'],
      reason: '"MPA" may be mycophenolic_acid or medroxyprogesterone',
      start: '2025-12-01',
      ongoing: true,
    }
    const v = await evaluateEligibility(compiled, withUnrecognised('medications', mpa))
    expect(truthOf(v, 'EX01b')).toBe('unknown')
    expect(truthOf(v, 'EX01a')).toBe('not_met')
    expect(truthOf(v, 'EX01c')).toBe('not_met')
  })

  it('a locally given unrecognised drug (ophthalmic) is not systemic exposure', async () => {
    const v = await evaluateEligibility(compiled, withUnrecognised('medications', { ...rituximabProduct, route: 'ophthalmic' }))
    expect(truthOf(v, 'EX01a')).toBe('not_met')
  })

  it('an unrecognised condition that could be a malignancy leaves EX07 unknown and the infection exclusions decided', async () => {
    const colon: UnrecognisedEntry = {
      text: 'Overlapping malignant neoplasm of colon',
      codes: ['http://snomed.info/sct|109838007'],
      possibly: ['malignancy'],
      reason: 'its words suggest malignancy',
      onset: '2019-03-02',
    }
    const v = await evaluateEligibility(compiled, withUnrecognised('conditions', colon))
    expect(truthOf(v, 'EX07')).toBe('unknown')
    expect(truthOf(v, 'EX03')).toBe('not_met')
    expect(v.criteria.find(c => c.id === 'EX07')!.missing[0]!.key).toBe('unrecognised.conditions[0]')
  })

  it('an unrecognised vaccination could be a live vaccine: EX06 unknown inside its window only', async () => {
    const inside = await evaluateEligibility(compiled, withUnrecognised('vaccinations', { text: 'vaccine 999', reason: 'unknown CVX', date: '2025-12-20' }))
    const before = await evaluateEligibility(compiled, withUnrecognised('vaccinations', { text: 'vaccine 999', reason: 'unknown CVX', date: '2025-01-20' }))
    expect(truthOf(inside, 'EX06')).toBe('unknown')
    expect(truthOf(before, 'EX06')).toBe('not_met')
  })

  it('a definite match still decides: rituximab recorded and an unrecognised drug beside it gives EX01a met', async () => {
    const record = withUnrecognised('medications', rituximabProduct)
    record.medications = [...record.medications!, { drug: 'rituximab', start: '2025-12-01', stop: '2025-12-01' }]
    const v = await evaluateEligibility(compiled, record)
    expect(truthOf(v, 'EX01a')).toBe('met')
  })

  it('a hand-written record naming an ambiguous abbreviation is not mapped silently', async () => {
    const record = structuredClone(base)
    record.medications = [...record.medications!, { drug: 'MPA', start: '2025-12-01', ongoing: true }]
    const v = await evaluateEligibility(compiled, record)
    expect(truthOf(v, 'EX01b')).toBe('unknown')
    expect(
      v.criteria
        .find(c => c.id === 'EX01b')!
        .missing.map(m => m.description)
        .join(' '),
    ).toMatch(/ambiguous/)
    expect(truthOf(v, 'EX01a')).toBe('not_met')
  })

  it('the patient schema accepts unrecognised entries and rejects unknown fields in them', () => {
    expect(validateAgainstSchema('patient', withUnrecognised('medications', rituximabProduct), undefined)).toEqual([])
    const bad = { ...base, unrecognised: { medications: [{ ...rituximabProduct, colour: 'red' }] } }
    const diagnostics = validateAgainstSchema('patient', bad, undefined)
    expect(diagnostics.map(d => d.code)).toContain('E_SCHEMA_ADDITIONAL')
  })
})

describe('routes: local products are not systemic exposure', () => {
  it('topical tacrolimus 2 weeks before screening leaves EX01b not met; oral tacrolimus started then is met', async () => {
    const topical = structuredClone(base)
    topical.medications = [...topical.medications!, { drug: 'tacrolimus', start: '2025-12-22', ongoing: true, route: 'topical' }]
    const oral = structuredClone(base)
    oral.medications = [...oral.medications!, { drug: 'tacrolimus', start: '2025-12-22', ongoing: true, route: 'oral' }]
    expect(truthOf(await evaluateEligibility(compiled, topical), 'EX01b')).toBe('not_met')
    expect(truthOf(await evaluateEligibility(compiled, oral), 'EX01b')).toBe('met')
  })
})

describe('the fast path gives the same verdicts', () => {
  it('on records with unrecognised items of every section', async () => {
    const fast = compileFast(compiled)
    const records = [
      withUnrecognised('medications', rituximabProduct),
      withUnrecognised('medications', { ...rituximabProduct, route: 'topical' }),
      withUnrecognised('medications', {
        text: 'MPA',
        possibly: ['mycophenolic_acid', 'medroxyprogesterone'],
        reason: 'ambiguous',
        start: '2025-12-01',
        ongoing: true,
      }),
      withUnrecognised('conditions', { text: 'Malignant tumor of colon', possibly: ['malignancy'], reason: 'hint', onset: '2020-01-01' }),
      withUnrecognised('procedures', { text: 'Laparoscopic appendectomy', possibly: ['surgery'], reason: 'hint', date: '2025-12-01' }),
      withUnrecognised('vaccinations', { text: 'vaccine 999', reason: 'unknown CVX', date: '2025-12-20' }),
    ]
    for (const record of records) {
      const reference = await evaluateEligibility(compiled, record, { backend: 'reference' })
      const quick = fast.evaluate(record)
      expect(quick.overall).toBe(reference.overall)
      expect(quick.criteria.map(c => [c.id, c.truth])).toEqual(reference.criteria.map(c => [c.id, c.truth]))
    }
  })
})

describe('glucocorticoid doses while a drug could be a glucocorticoid (AURORA 1 renal response, steroids in weeks 44-52)', () => {
  const aurora = shippedProtocol('NCT03021499')
  const auroraCompiled = compileProtocol(aurora.doc)
  const responder = () => exampleSubject(aurora.examples!, 'responder')
  const week52 = async (subject: ReturnType<typeof responder>) =>
    (await evaluateSubject(auroraCompiled, subject)).responses.find(r => r.endpoint === 'renal_response' && r.visit === 'week_52')?.truth

  it('the responder is a renal responder at week 52 on its recorded prednisone taper', async () => {
    expect(await week52(responder())).toBe('met')
  })

  it('an unrecognised drug taken through the steroid window leaves the response unknown, named for review', async () => {
    const s = responder()
    s.unrecognised = { medications: [{ text: 'Zzcortolone 20 MG Oral Tablet', reason: 'not in the drug dictionary', start: '2026-12-01', ongoing: true }] }
    expect(await week52(s)).toBe('unknown')
  })

  it('the same drug stopped before the window, an ambiguous name that cannot be a glucocorticoid ("MPA"), or an inhaled one: still met', async () => {
    const before = responder()
    before.unrecognised = { medications: [{ text: 'Zzcortolone', reason: 'not in the drug dictionary', start: '2026-03-01', stop: '2026-03-10' }] }
    expect(await week52(before)).toBe('met')
    const mpa = responder()
    mpa.medications = [...mpa.medications!, { drug: 'MPA', start: '2026-12-01', ongoing: true }]
    expect(await week52(mpa)).toBe('met')
    const inhaled = responder()
    inhaled.unrecognised = {
      medications: [{ text: 'Zzcortolone inhaler', reason: 'not in the drug dictionary', start: '2026-12-01', ongoing: true, route: 'inhaled' }],
    }
    expect(await week52(inhaled)).toBe('met')
  })

  it('a recorded drug name the dictionary does not know, taken in the window, leaves it unknown too (it could be a glucocorticoid)', async () => {
    const s = responder()
    s.medications = [...s.medications!, { drug: 'steroid', start: '2026-12-01', ongoing: true }]
    expect(await week52(s)).toBe('unknown')
  })
})
