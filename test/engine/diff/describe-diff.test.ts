import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { diffProtocols } from '../../../engine/diff/index.ts'
import { loadProtocol, type ProtocolDocument } from '../../../engine/index.ts'
import labConcepts from '../../../engine/dictionary/lab-concepts.json' with { type: 'json' }
import { describeDiff, parameterUsers, type DiffSection } from '../../../engine/diff/describe-diff.ts'
import { formatValue, formatWindow, parsePath } from '../../../engine/diff/diff-words.ts'

const V1 = readFileSync(new URL('../../../protocols/nct05631717.yaml', import.meta.url), 'utf8')
const conceptNames = new Map(labConcepts.map(c => [c.id, c.name]))

function load(yaml: string): ProtocolDocument {
  const r = loadProtocol(yaml)
  if (!r.value) throw new Error(r.diagnostics.map(d => `${d.line}:${d.column} ${d.message}`).join('\n'))
  return r.value
}

/** V1 with each [from, to] replaced once (each must be found). */
function edit(...pairs: Array<[string, string]>): string {
  return pairs.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`not in the protocol: ${from}`)
    return text.replace(from, to)
  }, V1)
}

const v1 = load(V1)
function describeEdit(...pairs: Array<[string, string]>): DiffSection[] {
  const v2 = load(edit(...pairs))
  return describeDiff(diffProtocols(v1, v2), { before: v1, after: v2, conceptNames })
}
const section = (sections: DiffSection[], key: DiffSection['key']) => sections.find(s => s.key === key)!

const IN04_UPCR = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0'

describe('describeDiff on NCT05631717', () => {
  it('a threshold that moved reads as the whole comparison, old -> new, with its unit', () => {
    const criteria = section(describeEdit([IN04_UPCR, IN04_UPCR.replace('value: 1.0', 'value: 1.5')]), 'criteria')
    expect(criteria.items).toEqual([
      {
        id: 'IN04',
        name: 'UPCR > 1.0 or 24-h urine protein > 1.0 g',
        status: 'changed',
        changes: [
          { kind: 'threshold', subject: 'Urine protein/creatinine ratio', before: '> 1 g/g', after: '> 1.5 g/g', paths: ['logic.any[0].measurement.value'] },
        ],
      },
    ])
  })

  it('an operator and a threshold of one comparison make one line', () => {
    const [line] = section(describeEdit([IN04_UPCR, IN04_UPCR.replace('op: ">"', 'op: ">="').replace('value: 1.0', 'value: 0.5')]), 'criteria').items[0]!
      .changes
    expect(line).toMatchObject({ kind: 'threshold', before: '> 1 g/g', after: '≥ 0.5 g/g' })
    expect(line!.paths).toEqual(['logic.any[0].measurement.op', 'logic.any[0].measurement.value'])
  })

  it('an operator alone is a comparison change', () => {
    const [line] = section(describeEdit([IN04_UPCR, IN04_UPCR.replace('op: ">"', 'op: ">="')]), 'criteria').items[0]!.changes
    expect(line).toMatchObject({ kind: 'operator', before: '> 1 g/g', after: '≥ 1 g/g' })
  })

  it('a window shows whole, with the parameter it read and its value', () => {
    const changes = section(
      describeEdit([
        'value: 1.0\n            unit: g/g\n            window: { days: { param: screening_lookback_days }',
        'value: 1.0\n            unit: g/g\n            window: { days: 14',
      ]),
      'criteria',
    ).items[0]!.changes
    expect(changes).toEqual([
      {
        kind: 'window',
        subject: 'Window of Urine protein/creatinine ratio',
        before: 'within screening_lookback_days (28) days before screening',
        after: 'within 14 days before screening',
        paths: ['logic.any[0].measurement.window.days'],
      },
    ])
  })

  it('ages read in years at their reference date', () => {
    const [line] = section(describeEdit(['op: ">", years: 18', 'op: ">=", years: 18']), 'criteria').items[0]!.changes
    expect(line).toMatchObject({ subject: 'Age at informed consent', before: '> 18 years', after: '≥ 18 years' })
  })

  it('a parameter change names the criteria that read it', () => {
    const params = section(
      describeEdit([
        'value: 28\n    rationale: >-\n      The registry gives no time frame',
        'value: 14\n    rationale: >-\n      The registry gives no time frame',
      ]),
      'parameters',
    )
    expect(params.items).toHaveLength(1)
    expect(params.items[0]).toMatchObject({ id: 'screening_lookback_days', status: 'changed', changes: [{ before: '28', after: '14' }] })
    expect(params.items[0]!.usedBy).toEqual(expect.arrayContaining(['IN03', 'IN04']))
    expect(params.items[0]!.usedBy).not.toContain('IN01') // IN01 reads no parameter
  })

  it('criteria added and removed are named with their titles from the version they exist in', () => {
    const sections = describeEdit([
      '  - id: EX08\n    kind: exclusion\n    title: Pregnant or lactating',
      '  - id: EX09\n    kind: exclusion\n    title: Breastfeeding or pregnant',
    ])
    const items = section(sections, 'criteria').items
    expect(items.map(i => [i.status, i.id, i.name])).toEqual([
      ['added', 'EX09', 'Breastfeeding or pregnant'],
      ['removed', 'EX08', 'Pregnant or lactating'],
    ])
  })

  it('a visit whose day and window moved lists each field in words', () => {
    const visits = section(describeEdit(['day: 29, window: { before_days: { param: visit_window_days }', 'day: 30, window: { before_days: 3']), 'visits')
    expect(visits.items).toEqual([
      {
        id: 'week_4',
        name: 'week 4',
        status: 'changed',
        changes: [
          { kind: 'window', subject: 'Nominal study day', before: '29', after: '30', paths: ['day'] },
          { kind: 'window', subject: 'Days allowed before the nominal day', before: 'visit_window_days (7)', after: '3', paths: ['window.before_days'] },
        ],
      },
    ])
  })

  it('an endpoint steroid dose reads in mg/day at the visit', () => {
    const endpoints = section(
      describeEdit(['steroid_dose: { at: current, op: "<=", value: 10,', 'steroid_dose: { at: current, op: "<=", value: 7.5,']),
      'endpoints',
    )
    expect(endpoints.items[0]).toMatchObject({ id: 'complete_response', status: 'changed' })
    expect(endpoints.items[0]!.changes).toEqual([
      expect.objectContaining({
        kind: 'threshold',
        subject: 'Glucocorticoid dose (prednisone equivalent) at the visit',
        before: '≤ 10 mg/day',
        after: '≤ 7.5 mg/day',
      }),
    ])
  })

  it('no change: every section is there, and empty', () => {
    const sections = describeDiff(diffProtocols(v1, v1), { before: v1, after: v1, conceptNames })
    expect(sections.map(s => [s.key, s.items.length])).toEqual([
      ['criteria', 0],
      ['parameters', 0],
      ['arms', 0],
      ['visits', 0],
      ['endpoints', 0],
    ])
  })
})

describe('words', () => {
  it.each([
    { path: 'logic.any[0].measurement.value', want: ['logic', 'any', 0, 'measurement', 'value'] },
    { path: 'notes[2]', want: ['notes', 2] },
    { path: 'logic.all[1].any[0]', want: ['logic', 'all', 1, 'any', 0] },
    { path: 'title', want: ['title'] },
  ])('parsePath($path)', ({ path, want }) => {
    expect(parsePath(path)).toEqual(want)
  })

  it.each([
    { v: undefined, want: '(none)' },
    { v: 0, want: '0' }, // zero is a value, not "none"
    { v: 1.5, want: '1.5' },
    { v: false, want: 'false' },
    { v: { param: 'screening_lookback_days' }, want: 'screening_lookback_days (28)' },
    { v: { param: 'no_such' }, want: 'no_such (undefined parameter)' },
    { v: { times_upper_limit: 2 }, want: '2 × ULN' },
    { v: ['a', 1], want: '[a, 1]' },
  ])('formatValue($v) = $want', ({ v, want }) => {
    expect(formatValue(v, v1)).toBe(want)
  })

  it.each([
    { w: undefined, want: 'at any time' },
    { w: { weeks: 12, before: 'screening' }, want: 'within 12 weeks before screening' },
    { w: { months: 6, days: 3, before: 'randomization' }, want: 'within 6 months and 3 days before random allocation' },
    { w: { days: 0, before: 'screening' }, want: 'on the screening date' },
    { w: { weeks: 1, before: 'screening' }, want: 'within 1 week before screening' },
    { w: { days: { param: 'screening_lookback_days' }, before: 'screening' }, want: 'within screening_lookback_days (28) days before screening' },
    { w: { at: 'screening' }, want: 'current at screening' },
    { w: { planned: 'during_study' }, want: 'planned during the study' },
    { w: { visit: 'current' }, want: 'at the visit' },
    { w: { visit: 'week_4' }, want: 'at week 4' },
    { w: { ref: 'randomization', from_day: 309, to_day: 365 }, want: 'from study day 309 to day 365 (day 1 = the random allocation date)' },
    { w: { op: '>' }, want: '{ op: > }' }, // not a window: read as a value
  ])('formatWindow($w) = $want', ({ w, want }) => {
    expect(formatWindow(w, v1)).toBe(want)
  })

  it('parameterUsers finds { param } references and parameter leaves', () => {
    expect(parameterUsers(v1, 'contraception_criterion_applies_to_men')).toEqual(['IN05']) // a `parameter:` leaf
    expect(parameterUsers(v1, 'age_lower_bound_basis')).toEqual(['IN02']) // a `{ param }` reference
    expect(parameterUsers(v1, 'no_such_parameter')).toEqual([])
  })
})
