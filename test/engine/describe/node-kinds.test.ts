import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeContext, describeLogic, LOGIC_NODE_KINDS } from '../../../engine/describe/index.ts'
import { validateAgainstSchema, type Condition, type ProtocolDocument } from '../../../engine/index.ts'
import { exclusion, protocolWith } from '../../helpers/protocol-builder.ts'

const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'engine', 'schema', 'protocol.schema.json'), 'utf8')) as {
  $defs: Record<string, { required?: string[]; oneOf?: Array<{ $ref: string }> }>
}

/** The node kinds the schema admits: the first required key of each `condition` alternative. */
const schemaKinds = (SCHEMA.$defs.condition?.oneOf ?? []).map(({ $ref }) => {
  const def = SCHEMA.$defs[$ref.replace('#/$defs/', '')]
  const key = def?.required?.[0]
  if (!key) throw new Error(`${$ref} has no required key`)
  return key
})

const doc: ProtocolDocument = protocolWith([], {
  parameters: {
    lookback: { value: 28, rationale: 'test' },
    basis: { value: 'exact', options: ['exact', 'completed_years'], rationale: 'test' },
    strict: { value: false, rationale: 'test' },
    event: { value: 'dose_change', rationale: 'test' },
  },
  definitions: { drugs: { steroids: { label: 'glucocorticoids', classes: ['glucocorticoid'] } } },
  visits: [{ id: 'week_24', label: 'week 24', ref: 'randomization', day: 169, window: { before_days: 7, after_days: 7 } }],
})

/** One representative node per kind, as a designer would write it. */
const SAMPLES: Record<string, { node: Condition; text: string }> = {
  all: { node: { all: [{ fact: 'pregnant', is: false }] }, text: 'ALL of:' },
  any: { node: { any: [{ fact: 'pregnant', is: true }] }, text: 'ANY of:' },
  not: {
    node: {
      not: {
        any: [
          { fact: 'pregnant', is: true },
          { fact: 'lactating', is: true },
        ],
      },
    },
    text: 'NOT (ANY of):',
  },
  at_least: {
    node: {
      at_least: {
        n: 2,
        of: [
          { attestation: 'a1', is: true },
          { attestation: 'a2', is: true },
          { attestation: 'a3', is: true },
        ],
      },
    },
    text: 'AT LEAST 2 of these 3:',
  },
  either: {
    node: {
      either: [
        { measurement: { concept: 'urine_protein_creatinine_ratio', op: '<', value: 0.5, unit: 'g/g', window: { visit: 'current' } } },
        { measurement: { concept: 'urine_protein_24h', op: '<', value: 0.5, unit: 'g/(24.h)', window: { visit: 'current' } } },
      ],
    },
    text: 'EITHER of these alternatives (decided on whichever was measured; unknown only when none was):',
  },
  measurement: {
    node: { measurement: { concept: 'egfr', op: '<', value: 30, window: { weeks: 1, days: { param: 'lookback' }, before: 'screening' }, select: 'lowest' } },
    text: 'eGFR (creatinine-based, CKD-EPI 2021) < 30 mL/min/1.73 m², lowest within 1 week and 28 days before screening',
  },
  age: { node: { age: { at: 'consent', op: '>=', years: 18, basis: { param: 'basis' } } }, text: 'age at consent ≥ 18 years, exact age' },
  fact: { node: { fact: 'sex', is: 'female' }, text: 'sex is female' },
  attestation: { node: { attestation: 'a1', is: false, at: 'week_24' }, text: 'investigator answers “no” at week 24 to: a1?' },
  parameter: { node: { parameter: 'strict', is: true }, text: 'protocol parameter strict is true (now false, so this does not hold)' },
  medication: {
    node: { medication: { set: 'steroids', event: { param: 'event' }, window: { at: 'screening' } } },
    text: 'glucocorticoids changed in dose while taken, current at screening',
  },
  condition: {
    node: {
      condition: {
        classes: ['infection'],
        severity: ['moderate', 'severe'],
        recurrent: false,
        hospitalized: true,
        iv_antibiotics: false,
        treated: true,
        outcome: ['active'],
        window: { days: 0, before: 'screening' },
      },
    },
    text: 'any infection — severity moderate or severe, not recurrent, needing hospitalisation, without IV antibiotics, needing treatment, outcome active — active on the screening date',
  },
  procedure: { node: { procedure: { items: ['plasmapheresis'], major: false } }, text: 'plasmapheresis — not major — done at any time (history)' },
  vaccination: {
    node: { vaccination: { classes: ['live_vaccine'], label: 'live vaccine', window: { planned: 'during_study' } } },
    text: 'live vaccine planned during the study',
  },
  pregnancy_test: {
    node: { pregnancy_test: { specimen: 'serum', result: 'positive', window: { days: 30, before: 'screening' } } },
    text: 'latest serum pregnancy test within 30 days before screening is positive',
  },
  change: {
    node: { change: { concept: 'serum_creatinine', from: 'week_24', to: 'current', measure: 'absolute_change', op: '>=', value: 0.3, unit: 'mg/dL' } },
    text: 'change of creatinine in serum or plasma from week 24 to the visit ≥ 0.3 mg/dL',
  },
  steroid_dose: { node: { steroid_dose: { at: 'week_24', op: '<=', value: 7.5 } }, text: 'glucocorticoid dose at week 24 ≤ 7.5 mg/day prednisone-equivalent' },
  steroid_days: {
    node: { steroid_days: { above_mg: 10, count: 'consecutive', op: '>', value: 14, window: { ref: 'randomization', from_day: 309, to_day: 365 } } },
    text: 'longest run of consecutive days with a glucocorticoid dose > 10 mg/day prednisone-equivalent from study day 309 to day 365 (day 1 = the random allocation date) > 14',
  },
  biopsy: {
    node: { biopsy: { classes: ['III', 'IV'], window: { months: 6, before: 'screening' } } },
    text: 'latest kidney biopsy within 6 months before screening shows ISN/RPS 2003 class III or IV',
  },
}

const describeOne = (node: Condition) => describeLogic(node, 'logic', describeContext(doc))

describe('every logic node kind has a plain-words description', () => {
  it('the schema admits node kinds (sanity: the walk finds the known ones)', () => {
    expect(schemaKinds).toEqual(expect.arrayContaining(['all', 'any', 'not', 'at_least', 'either', 'measurement', 'medication', 'steroid_dose']))
  })

  it.each(schemaKinds)('schema kind %s is described', kind => {
    expect(LOGIC_NODE_KINDS).toContain(kind)
    const sample = SAMPLES[kind]
    expect(sample, `no sample of "${kind}": add one and its description`).toBeDefined()
    expect(describeOne(sample!.node).kind).toBe(kind === 'not' ? 'not' : kind)
  })

  it.each(Object.entries(SAMPLES))('%s -> exact sentence', (kind, { node, text }) => {
    const d = describeOne(node)
    expect(d.kind).toBe(kind)
    expect(d.text).toBe(text)
    const all = JSON.stringify(d)
    expect(all).not.toMatch(/undefined|\[object|NaN/)
  })

  it('the samples written in the schema language validate against the schema', () => {
    const criteria = Object.entries(SAMPLES)
      .filter(([kind]) => schemaKinds.includes(kind))
      .map(([, { node }], i) => exclusion(node, `EX${String(i + 1).padStart(2, '0')}`))
    expect(criteria.length).toBe(schemaKinds.length)
    expect(validateAgainstSchema('protocol', { ...doc, criteria }, undefined)).toEqual([])
  }, 60_000) // compiling the schema is slow on a busy machine

  it('a node the language does not have is a bug, not a silent blank', () => {
    expect(() => describeOne({ frobnicate: 1 } as unknown as Condition)).toThrow(/no description for logic node with keys frobnicate/)
  })
})

describe('words for values, selections and negation', () => {
  it.each([
    [
      { measurement: { concept: 'serum_creatinine', op: '>', value: { times_upper_limit: 3 } } },
      "Creatinine in serum or plasma > 3 × the upper limit of normal (the lab's, reported with the value), latest on record",
    ],
    [
      { measurement: { concept: 'anti_dsdna', op: '==', value: 'positive', window: { at: 'screening' } } },
      'Anti-double-stranded DNA antibody in serum is "positive", latest on the screening date',
    ],
    [
      { measurement: { concept: 'sledai_2k_score', op: '>=', value: 6, window: { years: 1, before: 'screening' }, select: 'highest' } },
      'SLEDAI-2K score ≥ 6, highest within 1 year before screening',
    ],
    [
      { measurement: { concept: 'serum_creatinine', op: '>', value: 1.5, unit: 'mg/dL', window: { weeks: 12, before: 'screening' }, consecutive: 2 } },
      'Creatinine in serum or plasma > 1.5 mg/dL on each of the last 2 values within 12 weeks before screening (confirmed)',
    ],
    [
      {
        change: {
          concept: 'urine_protein_creatinine_ratio',
          from: { window: { weeks: 4, before: 'randomization' }, select: 'highest' },
          measure: 'percent_decrease',
          op: '>=',
          value: 50,
        },
      },
      'decrease of urine protein/creatinine ratio from the highest value within 4 weeks before random allocation to the visit ≥ 50 % of the earlier value',
    ],
    [{ biopsy: { finding: { name: 'chronicity_index', op: '<=', value: 3 } } }, 'latest kidney biopsy on record: NIH chronicity index ≤ 3'],
    [{ not: { fact: 'pregnant', is: true } }, 'NOT (pregnant)'],
    [{ not: { not: { fact: 'pregnant', is: true } } }, 'NOT (NOT (pregnant))'],
    [{ fact: 'pregnant', is: false }, 'not pregnant'],
  ] as Array<[Condition, string]>)('%j', (node, text) => {
    expect(describeOne(node).text).toBe(text)
  })

  it('NOT over a group keeps the group children and the designer label', () => {
    const d = describeOne({
      label: 'not pregnant or lactating',
      not: {
        any: [
          { fact: 'pregnant', is: true },
          { fact: 'lactating', is: true },
        ],
      },
    })
    expect(d).toMatchObject({ kind: 'not', label: 'not pregnant or lactating', text: 'NOT (ANY of):' })
    expect(d.children?.map(c => [c.path, c.text])).toEqual([
      ['logic.not.any[0]', 'pregnant'],
      ['logic.not.any[1]', 'lactating'],
    ])
  })

  it('a window of 0 days is that day only; weeks stay weeks, days stay days', () => {
    const w = (window: object) => describeOne({ pregnancy_test: { specimen: 'urine', result: 'negative', window } } as Condition).text
    expect(w({ days: 0, before: 'screening' })).toBe('latest urine pregnancy test on the screening date is negative')
    expect(w({ days: 14, before: 'screening' })).toBe('latest urine pregnancy test within 14 days before screening is negative')
    expect(w({ weeks: 2, before: 'screening' })).toBe('latest urine pregnancy test within 2 weeks before screening is negative')
    expect(w({ days: 1, before: 'screening' })).toBe('latest urine pregnancy test within 1 day before screening is negative')
  })

  it('collects the parameters and reference dates used', () => {
    const ctx = describeContext(doc)
    describeLogic(SAMPLES.measurement!.node, 'logic', ctx)
    describeLogic(SAMPLES.age!.node, 'logic', ctx)
    expect(ctx.usage).toEqual({ parameters: ['lookback', 'basis'], refs: ['screening', 'consent'] })
  })
})
