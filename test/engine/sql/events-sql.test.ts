/**
 * Event leaves in SQL on rows shaped as a warehouse holds them: a drug
 * recorded as a clinical drug under its RxNorm ingredient (concept_ancestor),
 * routes as SNOMED route concepts, vaccines as CVX drugs, observation periods
 * that do or do not cover the window. Each person sits on one side of a rule
 * (window edge, route, hierarchy, unrecognised row, absence inside or outside
 * the observation period); the expectations are worked out by hand.
 */
import { describe, expect, it } from 'vitest'
import type { CompiledProtocol } from '../../../engine/index.ts'
import type { IrNode } from '../../../engine/compile/ir.ts'
import { defaultDictionary } from '../../../engine/dictionary/index.ts'
import { compileSql } from '../../../engine/sql/compile-sql.ts'
import type { OmopTables } from '../../../engine/sql/omop-rows.ts'
import { omopDuckDb } from '../../helpers/duckdb-omop.ts'

const selection = (items: string[], classes: string[] = [], except: Array<{ items: string[]; classes: string[] }> = []) => ({
  label: 'x',
  items,
  classes,
  except,
})
const leaf = (path: string, fact: string, params: Record<string, unknown>, operator = 'exists'): IrNode =>
  ({ kind: 'leaf', path, label: path, fact, params, operator, value: true }) as IrNode
const year = { kind: 'range', ref: 'screening', days: 0, months: 12 }

const protocol = {
  criteria: [
    {
      id: 'RITUXIMAB',
      kind: 'exclusion',
      logic: leaf('r', 'medication', { selection: selection(['rituximab']), window: year, event: 'exposure', filters: {} }),
    },
    {
      id: 'NO_RITUXIMAB',
      kind: 'inclusion',
      logic: leaf('n', 'medication', { selection: selection(['rituximab']), window: year, event: 'exposure', filters: {} }, 'none'),
    },
    {
      id: 'LIVE_VACCINE',
      kind: 'exclusion',
      logic: leaf('v', 'vaccination', { selection: selection([], ['live_vaccine'], [{ items: [], classes: ['zoster_vaccine'] }]), window: year, filters: {} }),
    },
    { id: 'TUBERCULOSIS', kind: 'exclusion', logic: leaf('t', 'condition', { selection: selection(['tuberculosis']), window: { kind: 'any' }, filters: {} }) },
  ],
  parameters: {},
  dictionary: defaultDictionary,
} as unknown as CompiledProtocol

// the site's vocabulary: ingredient and clinical drug ids as a warehouse has them (ids are this test's own)
const concept = (concept_id: number, vocabulary_id: string, concept_code: string, domain_id = 'Drug') => ({
  concept_id,
  concept_name: concept_code,
  domain_id,
  vocabulary_id,
  concept_class_id: 'x',
  standard_concept: 'S',
  concept_code,
  valid_start_date: '1970-01-01',
  valid_end_date: '2099-12-31',
  invalid_reason: null,
})
const RITUXIMAB = 1 // RxNorm 121191, the dictionary's ingredient
const RITUXIMAB_VIAL = 2 // a clinical drug under it (code of this test)
const MMR = 3 // CVX 03, live
const ZOSTER_LIVE = 4 // CVX 121 (zoster live): live but excepted
const TUBERCULOSIS = 5 // SNOMED 56717001
const TOPICAL = 6 // SNOMED route 6064005
const SCREENING = '2026-01-05' // the 12 months run from 2025-01-05

const drug = (person_id: number, drug_concept_id: number, start: string | null, end: string | null, route_concept_id: number | null = null) => ({
  person_id,
  drug_concept_id,
  drug_exposure_start_date: start,
  drug_exposure_end_date: end,
  drug_type_concept_id: 32817,
  route_concept_id,
  drug_source_value: null,
  route_source_value: null,
})
/** [person, rows, observation period or none] */
const PEOPLE: Array<[string, Array<ReturnType<typeof drug>>, [string, string] | null]> = [
  ['vial in window (under the ingredient)', [drug(1, RITUXIMAB_VIAL, '2025-06-01', '2025-06-01')], ['2000-01-01', '2026-12-31']],
  ['topical: not exposure', [drug(2, RITUXIMAB, '2025-06-01', '2025-06-01', TOPICAL)], ['2000-01-01', '2026-12-31']],
  ['ended the day before the window', [drug(3, RITUXIMAB, '2024-12-01', '2025-01-04')], ['2000-01-01', '2026-12-31']],
  ['ended on its first day', [drug(4, RITUXIMAB, '2024-12-01', '2025-01-05')], ['2000-01-01', '2026-12-31']],
  ['unrecognised drug in the window', [drug(5, 0, '2025-06-01', '2025-06-01')], ['2000-01-01', '2026-12-31']],
  ['nothing, no observation period', [], null],
  ['nothing, period opens inside the window', [], ['2025-06-01', '2026-12-31']],
  ['started before, end unknown', [drug(8, RITUXIMAB, '2024-01-01', null)], ['2000-01-01', '2026-12-31']],
  [
    'live vaccines: MMR, and zoster (excepted)',
    [drug(9, MMR, '2025-03-01', '2025-03-01'), drug(9, ZOSTER_LIVE, '2025-03-01', '2025-03-01')],
    ['2000-01-01', '2026-12-31'],
  ],
  ['zoster only', [drug(10, ZOSTER_LIVE, '2025-03-01', '2025-03-01')], ['2000-01-01', '2026-12-31']],
]

function tables(): OmopTables {
  return {
    person: PEOPLE.map((_, i) => ({
      person_id: i + 1,
      gender_concept_id: 8532,
      year_of_birth: 1990,
      month_of_birth: 1,
      day_of_birth: 1,
      race_concept_id: 0,
      ethnicity_concept_id: 0,
      person_source_value: PEOPLE[i]![0],
    })),
    observation_period: PEOPLE.flatMap(([, , period], i) =>
      period
        ? [
            {
              observation_period_id: i + 1,
              person_id: i + 1,
              observation_period_start_date: period[0],
              observation_period_end_date: period[1],
              period_type_concept_id: 32817,
            },
          ]
        : [],
    ),
    observation: [],
    measurement: [],
    condition_occurrence: [
      {
        condition_occurrence_id: 1,
        person_id: 1,
        condition_concept_id: TUBERCULOSIS,
        condition_start_date: '1999-01-01',
        condition_end_date: '1999-06-01',
        condition_type_concept_id: 32817,
        condition_source_value: null,
      },
    ],
    procedure_occurrence: [],
    drug_exposure: PEOPLE.flatMap(([, rows]) => rows).map((r, i) => ({ drug_exposure_id: i + 1, ...r })),
    ln_reference_date: PEOPLE.map((_, i) => ({ person_id: i + 1, name: 'screening', date: SCREENING })),
    concept: [
      concept(RITUXIMAB, 'RxNorm', '121191'),
      concept(RITUXIMAB_VIAL, 'RxNorm', 'test-vial'),
      concept(MMR, 'CVX', '03'),
      concept(ZOSTER_LIVE, 'CVX', '121'),
      concept(TUBERCULOSIS, 'SNOMED', '56717001', 'Condition'),
      concept(TOPICAL, 'SNOMED', '6064005', 'Route'),
    ],
    concept_ancestor: [{ ancestor_concept_id: RITUXIMAB, descendant_concept_id: RITUXIMAB_VIAL, min_levels_of_separation: 1, max_levels_of_separation: 1 }],
  } as unknown as OmopTables
}

describe('event leaves in SQL', () => {
  it('membership through the hierarchy, routes, window edges, unrecognised rows, absence by observation period', async () => {
    const query = compileSql(protocol)
    expect(query.criteria.every(c => c.unsupported.length === 0)).toBe(true)
    const db = await omopDuckDb(tables())
    try {
      const rows = await db.query(query.sql)
      const got = Object.fromEntries(rows.map((r, i) => [PEOPLE[i]![0], [r.RITUXIMAB, r.NO_RITUXIMAB, r.LIVE_VACCINE, r.TUBERCULOSIS]]))
      expect(got).toEqual({
        'vial in window (under the ingredient)': [true, false, false, true],
        // no row of the selection, inside the observation period: not met
        'topical: not exposure': [false, true, false, false],
        'ended the day before the window': [false, true, false, false],
        'ended on its first day': [true, false, false, false],
        'unrecognised drug in the window': [null, null, null, false],
        'nothing, no observation period': [null, null, null, null],
        // any window is decided by a period; the 12 months are not inside this one
        'nothing, period opens inside the window': [null, null, null, false],
        'started before, end unknown': [null, null, false, false],
        'live vaccines: MMR, and zoster (excepted)': [false, true, true, false],
        'zoster only': [false, true, false, false],
      })
    } finally {
      db.close()
    }
  })

  it('leaves OMOP cannot hold are reported, the criterion unknown', () => {
    const q = compileSql({
      ...protocol,
      criteria: [
        {
          id: 'SEVERE',
          kind: 'exclusion',
          logic: leaf('s', 'condition', { selection: selection(['tuberculosis']), window: year, filters: { severity: ['severe'] } }),
        },
        { id: 'PLANNED', kind: 'exclusion', logic: leaf('p', 'procedure', { selection: selection(['dialysis']), window: { kind: 'planned' }, filters: {} }) },
        {
          id: 'DOSE',
          kind: 'exclusion',
          logic: leaf('d', 'medication', { selection: selection(['rituximab']), window: year, event: 'dose_change', filters: {} }),
        },
      ],
    } as unknown as CompiledProtocol)
    expect(q.criteria.map(c => c.unsupported.map(u => u.reason))).toEqual([
      ["a filter on severity, which OMOP's event tables do not hold"],
      ['planned entries'],
      ['a dose change'],
    ])
  })
})
