/**
 * The engine's extension points, each shown working end to end: custom
 * facts and operators (`fact:` leaves), calculators (lab values derived from
 * other record data) and dictionaries (a drug the shipped dictionary lacks).
 * Every case runs on json-rules-engine and on the fast path, on both sides
 * of its threshold, and with the data missing (unknown, never a pass/fail).
 */
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { compileFast } from '../../../engine/fast/index.ts'
import {
  compileProtocol,
  defaultDictionary,
  evaluateEligibility,
  loadProtocol,
  type Dictionary,
  type EngineExtensions,
  type PatientRecord,
  type ProtocolDocument,
} from '../../../engine/index.ts'
import { convertQuantity } from '../../../engine/calculators/index.ts'

const base = {
  protocol: { registry_id: 'EXT-0001', title: 'extension points', version: '0.0.1', sponsor: 'test', phase: '2', target_enrollment: 10 },
  reference_dates: { screening: { label: 'screening' }, consent: { label: 'consent' }, randomization: { label: 'random allocation' } },
}

function load(doc: object, options: { extensions?: EngineExtensions; dictionary?: Dictionary } = {}) {
  return loadProtocol(stringify(doc), { file: 'ext.yaml', ...options })
}

/** The truth of criterion `id` on both paths (they must agree). */
async function truthOf(doc: ProtocolDocument, patient: PatientRecord, id: string, options: { extensions?: EngineExtensions; dictionary?: Dictionary } = {}) {
  const compiled = compileProtocol(doc, options)
  const slow = (await evaluateEligibility(compiled, patient, { backend: 'reference' })).criteria.find(c => c.id === id)!
  const fast = compileFast(compiled)
    .screen(patient)
    .criteria.find(c => c.id === id)!
  expect(fast.truth).toBe(slow.truth)
  return { truth: slow.truth, missing: slow.missing.map(m => m.key), reason: slow.reason }
}

describe('custom facts and operators', () => {
  // the recruiting site, from the pseudonymous code's prefix ("BJ-017"); the enrolment number from its suffix
  const extensions: EngineExtensions = {
    facts: {
      site: { description: 'recruiting site', read: p => p.id?.split('-')[0] },
      enrolment_number: { description: 'enrolment number', read: p => (p.id?.includes('-') ? Number(p.id.split('-')[1]) : undefined) },
    },
    operators: {
      one_of: { words: 'is one of', test: (value, list) => Array.isArray(list) && list.includes(value) },
    },
  }
  const protocol = {
    ...base,
    criteria: [
      { id: 'IN01', kind: 'inclusion', text: 'Recruited at a participating site', logic: { fact: 'site', op: 'one_of', value: ['BJ', 'SH'] } },
      { id: 'IN02', kind: 'inclusion', text: 'Enrolment number 2 or later', logic: { fact: 'enrolment_number', op: '>=', value: 2 } },
      { id: 'EX01', kind: 'exclusion', text: 'Not a participating site', logic: { not: { fact: 'site', op: 'one_of', value: ['BJ', 'SH'] } } },
    ],
  }

  it('without the extensions the names are located errors, with suggestions of what exists', () => {
    const { value, diagnostics } = load(protocol)
    expect(value).toBeUndefined()
    expect(diagnostics.map(d => [d.code, d.path])).toEqual(
      expect.arrayContaining([
        ['E_UNKNOWN_FACT', 'criteria[0].logic.fact'],
        ['E_UNKNOWN_OPERATOR', 'criteria[0].logic.op'],
        ['E_UNKNOWN_FACT', 'criteria[1].logic.fact'],
      ]),
    )
    expect(diagnostics.find(d => d.code === 'E_UNKNOWN_OPERATOR')).toMatchObject({ line: expect.any(Number), found: 'one_of' })
  })

  it('a fact leaf takes either `is` or `op` with `value`, never both', () => {
    const both = { ...protocol, criteria: [{ id: 'IN01', kind: 'inclusion', text: 't', logic: { fact: 'site', is: 'BJ', op: 'one_of', value: ['BJ'] } }] }
    expect(load(both, { extensions }).value).toBeUndefined()
    const opOnly = { ...protocol, criteria: [{ id: 'IN01', kind: 'inclusion', text: 't', logic: { fact: 'site', op: 'one_of' } }] }
    expect(load(opOnly, { extensions }).value).toBeUndefined()
  })

  it('with them: met, not met on both sides, and unknown when the record does not say', async () => {
    const { value: doc, diagnostics } = load(protocol, { extensions })
    expect(diagnostics.filter(d => d.severity === 'error')).toEqual([])
    expect(await truthOf(doc!, { id: 'SH-002' }, 'IN01', { extensions })).toMatchObject({ truth: 'met' })
    expect(await truthOf(doc!, { id: 'GZ-002' }, 'IN01', { extensions })).toMatchObject({ truth: 'not_met' })
    expect(await truthOf(doc!, {}, 'IN01', { extensions })).toMatchObject({ truth: 'unknown', missing: ['site'] })
    // a built-in comparison on a custom numeric fact, at its boundary
    expect(await truthOf(doc!, { id: 'BJ-001' }, 'IN02', { extensions })).toMatchObject({ truth: 'not_met' })
    expect(await truthOf(doc!, { id: 'BJ-002' }, 'IN02', { extensions })).toMatchObject({ truth: 'met' })
    // negation of a custom operator; unknown stays unknown under `not`
    expect(await truthOf(doc!, { id: 'GZ-002' }, 'EX01', { extensions })).toMatchObject({ truth: 'met' })
    expect(await truthOf(doc!, { id: 'BJ-002' }, 'EX01', { extensions })).toMatchObject({ truth: 'not_met' })
    expect(await truthOf(doc!, {}, 'EX01', { extensions })).toMatchObject({ truth: 'unknown' })
  })

  it('a custom fact may not be compared by a custom operator the engine was not given at compile time', async () => {
    const { value: doc } = load(protocol, { extensions })
    const noOperators: EngineExtensions = { facts: extensions.facts! }
    // compiled without the operator: the clause cannot be decided, and says why, rather than guessing
    const r = await truthOf(doc!, { id: 'SH-002' }, 'IN01', { extensions: noOperators })
    expect(r.truth).toBe('unknown')
  })
})

describe('calculators', () => {
  // UPCR from a spot urine's protein and creatinine concentrations (mg/dL ÷ mg/dL = mg/mg = g/g), on days both were measured
  const spot = (p: PatientRecord, concept: string) =>
    new Map((p.measurements ?? []).filter(m => m.concept === concept).map(m => [m.date, convertQuantity(m.value as number, m.unit, 'mg/dL')] as const))
  const extensions: EngineExtensions = {
    calculators: {
      urine_protein_creatinine_ratio: {
        description: 'UPCR from spot urine protein and creatinine',
        compute: p => {
          const creatinine = spot(p, 'urine_creatinine_spot')
          return [...spot(p, 'urine_protein_spot')].flatMap(([date, protein]) => {
            const c = creatinine.get(date)
            if (!protein.ok || !c?.ok || c.value === 0) return []
            return [
              {
                date,
                value: protein.value / c.value,
                unit: 'g/g',
                entered: `computed from spot urine protein ${protein.value} mg/dL ÷ creatinine ${c.value} mg/dL`,
              },
            ]
          })
        },
      },
    },
  }
  const protocol = {
    ...base,
    definitions: {
      lab_concepts: {
        // LOINC 2888-6 Protein [Mass/volume] in Urine; 2161-8 Creatinine [Mass/volume] in Urine (verify)
        urine_protein_spot: { name: 'spot urine protein', loinc: ['2888-6'], unit: 'mg/dL', source: 'LOINC 2888-6 (verify)' },
        urine_creatinine_spot: { name: 'spot urine creatinine', loinc: ['2161-8'], unit: 'mg/dL', source: 'LOINC 2161-8 (verify)' },
      },
    },
    criteria: [
      {
        id: 'IN01',
        kind: 'inclusion',
        text: 'UPCR > 1.0 g/g',
        logic: { measurement: { concept: 'urine_protein_creatinine_ratio', op: '>', value: 1.0, unit: 'g/g', window: { days: 28, before: 'screening' } } },
      },
    ],
  }
  const patient = (protein: number, creatinine?: number, proteinUnit = 'mg/dL'): PatientRecord => ({
    dates: { screening: '2026-01-05' },
    measurements: [
      { concept: 'urine_protein_spot', value: protein, unit: proteinUnit, date: '2026-01-04' },
      ...(creatinine === undefined ? [] : [{ concept: 'urine_creatinine_spot', value: creatinine, unit: 'mg/dL', date: '2026-01-04' }]),
    ],
  })

  it('derives the value on both sides of the threshold, in converted units, and says how', async () => {
    const { value: doc } = load(protocol, { extensions })
    expect(await truthOf(doc!, patient(150, 100), 'IN01', { extensions })).toMatchObject({
      truth: 'met',
      reason: expect.stringContaining('computed from spot urine protein 150 mg/dL'),
    })
    expect(await truthOf(doc!, patient(100, 100), 'IN01', { extensions })).toMatchObject({ truth: 'not_met' }) // 1.0 is not > 1.0
    expect(await truthOf(doc!, patient(1.01, 100, 'g/L'), 'IN01', { extensions })).toMatchObject({ truth: 'met' }) // 101 mg/dL ÷ 100
  })

  it('without the creatinine, or without the calculator, UPCR stays unknown', async () => {
    const { value: doc } = load(protocol, { extensions })
    expect(await truthOf(doc!, patient(150), 'IN01', { extensions })).toMatchObject({
      truth: 'unknown',
      missing: ['measurement:urine_protein_creatinine_ratio'],
    })
    expect(await truthOf(doc!, patient(150, 100), 'IN01')).toMatchObject({ truth: 'unknown' })
  })
})

describe('dictionaries', () => {
  // dapirolizumab pegol (anti-CD40L, investigational in SLE) is not in the shipped drug dictionary and has no ATC code yet
  const dictionary: Dictionary = {
    ...defaultDictionary,
    drugs: [
      ...defaultDictionary.drugs,
      {
        id: 'dapirolizumab_pegol',
        name: 'Dapirolizumab pegol',
        atc: [],
        classes: ['cd40l_blocker'],
        synonyms: ['CDP7657'],
        source: 'investigational; no ATC code (verify)',
      },
    ],
  }
  const protocol = {
    ...base,
    definitions: { drugs: { cd40l_blockade: { label: 'an anti-CD40 ligand antibody', classes: ['cd40l_blocker'] } } },
    criteria: [
      {
        id: 'EX01',
        kind: 'exclusion',
        text: 'Anti-CD40L therapy within 12 weeks',
        logic: { medication: { set: 'cd40l_blockade', window: { weeks: 12, before: 'screening' } } },
      },
    ],
  }
  const onDrug = (start: string): PatientRecord => ({ dates: { screening: '2026-01-05' }, medications: [{ drug: 'CDP7657', start, stop: start }] })

  it('a class only a custom dictionary knows is an error without it', () => {
    expect(load(protocol).value).toBeUndefined()
    expect(load(protocol, { dictionary }).value).toBeDefined()
  })

  it('matches the new drug by brand name, inside and outside the window; none recorded is decided', async () => {
    const { value: doc } = load(protocol, { dictionary })
    expect(await truthOf(doc!, onDrug('2025-10-13'), 'EX01', { dictionary })).toMatchObject({ truth: 'met' }) // day 84 before screening
    expect(await truthOf(doc!, onDrug('2025-10-12'), 'EX01', { dictionary })).toMatchObject({ truth: 'not_met' }) // day 85
    expect(await truthOf(doc!, { dates: { screening: '2026-01-05' }, medications: [] }, 'EX01', { dictionary })).toMatchObject({ truth: 'not_met' })
    expect(await truthOf(doc!, { dates: { screening: '2026-01-05' } }, 'EX01', { dictionary })).toMatchObject({ truth: 'unknown' })
  })
})
