/**
 * compileSql's own semantics, on hand-made criteria and people in DuckDB,
 * beside the equivalence test: a fact's own order comparison of a non-number
 * is false once the fact is known (as facts/record-facts.ts decides), a
 * leaf's is unknown; at_least and either in three values; exact ages around
 * a 29 February birthday; a leaf it cannot express leaves the criterion NULL
 * and is named.
 */
import { describe, expect, it } from 'vitest'
import type { CompiledProtocol, PatientRecord } from '../../../engine/index.ts'
import type { IrNode } from '../../../engine/compile/ir.ts'
import { compileSql } from '../../../engine/sql/compile-sql.ts'
import { omopTablesOf } from '../../../engine/sql/omop-rows.ts'
import { omopDuckDb } from '../../helpers/duckdb-omop.ts'
import { defaultDictionary } from '../../../engine/dictionary/index.ts'

const leaf = (path: string, fact: string, params: Record<string, unknown>, operator: string, value: unknown): IrNode =>
  ({ kind: 'leaf', path, label: path, fact, params, operator, value }) as IrNode
const item = (name: string) => leaf(name, 'attestation', { name }, 'eq', true)

/** Only what compileSql reads of a compiled protocol. */
const protocol = (criteria: Array<{ id: string; kind: 'inclusion' | 'exclusion'; logic: IrNode }>) =>
  ({ criteria, parameters: {}, dictionary: defaultDictionary }) as unknown as CompiledProtocol

describe('compileSql', () => {
  it('three-valued at_least and either, a fact compared by its own op, exact age on a leap-day birthday, unexpressed leaves', async () => {
    const query = compileSql(
      protocol([
        { id: 'SEX_GT', kind: 'inclusion', logic: leaf('sex', 'record', { name: 'sex', op: '>', value: 3 }, 'eq', true) },
        { id: 'TWO_OF_THREE', kind: 'inclusion', logic: { kind: 'at_least', path: 'a', label: 'a', n: 2, children: [item('a'), item('b'), item('c')] } },
        { id: 'EITHER', kind: 'inclusion', logic: { kind: 'either', path: 'e', label: 'e', children: [item('a') as never, item('b') as never] } },
        { id: 'ADULT', kind: 'inclusion', logic: leaf('age', 'age', { at: 'consent' }, 'gte', { years: 18, basis: 'exact' }) },
        {
          id: 'NOT_EXPRESSED',
          kind: 'exclusion',
          logic: { kind: 'any', path: 'x', label: 'x', children: [item('a'), leaf('m', 'biopsy', {}, 'eq', true)] },
        },
      ]),
    )
    expect(query.criteria.find(c => c.id === 'NOT_EXPRESSED')!.unsupported).toEqual([
      { path: 'm', fact: 'biopsy', reason: 'biopsy facts are not expressed in SQL yet' },
    ])
    const people: PatientRecord[] = [
      // known sex; a, b yes, c no; born 29 Feb 2008: 18 on 1 Mar 2026 (dates.ts), consent 28 Feb 2026
      { id: 'p1', sex: 'female', birth_date: '2008-02-29', dates: { consent: '2026-02-28' }, attestations: { a: true, b: true, c: false } },
      // unknown sex; a no, b unknown, c no; consent on the 18th birthday
      { id: 'p2', birth_date: '2008-02-29', dates: { consent: '2026-03-01' }, attestations: { a: false, c: false } },
      // nothing answered; no consent date
      { id: 'p3', sex: 'male', birth_date: '2000-01-01' },
    ]
    const db = await omopDuckDb(omopTablesOf(people))
    try {
      const rows = (await db.query(query.sql)).map(({ person_id: _p, ...r }) => r)
      expect(rows).toEqual([
        // sex known, its own '>' with a number is false; 2 of 3 met; either met; 17 the day before the (1 March) birthday
        { SEX_GT: false, TWO_OF_THREE: true, EITHER: true, ADULT: false, NOT_EXPRESSED: null, overall: 'ineligible' },
        // sex unknown; 0 met, 1 unknown of 3: cannot reach 2; either: a not met; exactly 18 on the birthday
        { SEX_GT: null, TWO_OF_THREE: false, EITHER: false, ADULT: true, NOT_EXPRESSED: null, overall: 'ineligible' },
        // all unknown
        { SEX_GT: false, TWO_OF_THREE: null, EITHER: null, ADULT: null, NOT_EXPRESSED: null, overall: 'ineligible' },
      ])
    } finally {
      db.close()
    }
  })

  describe('measurements: the value chosen in a window, converted, compared', () => {
    const upcr = (id: string, window: Record<string, unknown>, select: string, operator: string, value: number, extra: Record<string, unknown> = {}) => ({
      id,
      kind: 'inclusion' as const,
      logic: leaf(id, 'measurement', { concept: 'urine_protein_creatinine_ratio', unit: 'g/g', window, select, ...extra }, operator, value),
    })
    const days28 = { kind: 'range', ref: 'screening', days: 28 }
    const query = compileSql(
      protocol([
        upcr('LATEST_GT_1', days28, 'latest', 'gt', 1),
        upcr('LATEST_GTE_1', days28, 'latest', 'gte', 1),
        upcr('HIGHEST_GTE_3', days28, 'highest', 'gte', 3),
        upcr('LOWEST_LT_1', days28, 'lowest', 'lt', 1),
        upcr('SIX_MONTHS_ANY', { kind: 'range', ref: 'screening', days: 0, months: 6 }, 'lowest', 'lt', 100),
        upcr('ULN_GTE_2', days28, 'latest', 'gte', 2, { relative_to: 'upper_limit' }),
        {
          ...upcr('TWO_CONFIRMED', days28, 'latest', 'eq', 0, { confirm: { op: 'gte', value: 1, count: 2 } }),
          logic: leaf(
            'c',
            'measurement',
            { concept: 'urine_protein_creatinine_ratio', unit: 'g/g', window: days28, select: 'latest', confirm: { op: 'gte', value: 1, count: 2 } },
            'eq',
            true,
          ),
        },
      ]),
    )
    const m = (value: number, unit: string, date: string, high?: number) => ({
      concept: 'urine_protein_creatinine_ratio',
      value,
      unit,
      date,
      ...(high === undefined ? {} : { reference_range: { high } }),
    })
    const people: PatientRecord[] = [
      // 113.12 mg/mmol is exactly 1 g/g once converted (not 1.0000000000000002); 28 days before screening is in the window, 29 is not
      {
        id: 'edges',
        dates: { screening: '2026-08-31' },
        measurements: [m(5, 'g/g', '2026-08-02'), m(113.12, 'mg/mmol', '2026-08-03'), m(0.5, 'g/g', '2026-09-01')],
      },
      // two on the screening day: the one listed last is the latest; highest 3000 mg/g = 3 g/g; a 6-month window opens on 28 February (31 August − 6 months)
      {
        id: 'ties',
        dates: { screening: '2026-08-31' },
        measurements: [m(3000, 'mg/g', '2026-08-31', 1000), m(0.9, 'g/g', '2026-08-31', 0.4), m(0.2, 'g/g', '2026-02-28')],
      },
      // a unit that is not a ratio: unknown, never converted; a value the day before the 6-month window: not in it
      { id: 'kg', dates: { screening: '2026-08-31' }, measurements: [m(2, 'kg', '2026-08-30'), m(0.2, 'g/g', '2026-02-27')] },
      // no screening date: no window, every leaf unknown
      { id: 'no-date', measurements: [m(2, 'g/g', '2026-08-30')] },
    ]
    it('on both sides of each threshold and window edge, unknown where the engine has no value', async () => {
      expect(query.tables).toEqual(expect.arrayContaining(['person', 'measurement', 'concept', 'ln_reference_date']))
      const db = await omopDuckDb(omopTablesOf(people))
      try {
        const rows = (await db.query(query.sql)).map(({ person_id: _p, overall: _o, ...r }) => r)
        expect(rows).toEqual([
          // latest 1 g/g (5 g/g of 29 days before left out): not > 1, ≥ 1; highest 1, lowest 1; no value in the 6 months but those; no ULN; one value of two
          { LATEST_GT_1: false, LATEST_GTE_1: true, HIGHEST_GTE_3: false, LOWEST_LT_1: false, SIX_MONTHS_ANY: true, ULN_GTE_2: null, TWO_CONFIRMED: null },
          // latest 0.9 (ULN 0.4: 2.25 ×); highest 3 g/g; lowest 0.9 of the 28 days; 0.2 on 28 February is in the 6 months; the last two: 0.9 fails
          { LATEST_GT_1: false, LATEST_GTE_1: false, HIGHEST_GTE_3: true, LOWEST_LT_1: true, SIX_MONTHS_ANY: true, ULN_GTE_2: true, TWO_CONFIRMED: false },
          // kg does not convert to g/g: unknown; 27 February is before the window, so the 6 months hold only the kg value
          { LATEST_GT_1: null, LATEST_GTE_1: null, HIGHEST_GTE_3: null, LOWEST_LT_1: null, SIX_MONTHS_ANY: null, ULN_GTE_2: null, TWO_CONFIRMED: null },
          { LATEST_GT_1: null, LATEST_GTE_1: null, HIGHEST_GTE_3: null, LOWEST_LT_1: null, SIX_MONTHS_ANY: null, ULN_GTE_2: null, TWO_CONFIRMED: null },
        ])
      } finally {
        db.close()
      }
    })
  })

  describe('eGFR by the protocol equation (CKD-EPI 2009): reported, else computed from creatinine, bounds while race is unknown', () => {
    const egfr = (id: string, operator: string, value: number) => ({
      id,
      kind: 'inclusion' as const,
      logic: leaf(
        id,
        'measurement',
        { concept: 'egfr', unit: 'mL/min/{1.73_m2}', window: { kind: 'range', ref: 'screening', days: 28 }, select: 'latest', equation: 'ckd_epi_2009' },
        operator,
        value,
      ),
    })
    const query = compileSql(protocol([egfr('LT30', 'lt', 30), egfr('LT33', 'lt', 33), egfr('GTE30', 'gte', 30)]))
    // a woman of 40 on the sample day; creatinine 2.0 mg/dL gives 30.46 if not Black, 35.30 if Black (Levey 2009)
    const woman = { sex: 'female' as const, birth_date: '1986-01-01', dates: { screening: '2026-01-05' } }
    const scr = (value: number, unit = 'mg/dL') => ({ concept: 'serum_creatinine', value, unit, date: '2026-01-04' })
    const reported = (loinc: string, value: number) => ({ loinc, value, unit: 'mL/min/{1.73_m2}', date: '2026-01-04' })
    const people: PatientRecord[] = [
      { id: 'race unknown', ...woman, measurements: [scr(2)] },
      { id: 'Black', ...woman, black_race: true, measurements: [scr(2)] },
      // 176.8 umol/L is 2.0 mg/dL (creatinine 113.12 g/mol)
      { id: 'not Black, umol/L', ...woman, black_race: false, measurements: [scr(176.8, 'umol/L')] },
      // the lab's CKD-EPI 2009 eGFR (LOINC 62238-1) is taken before one computed from the same day's creatinine (70)
      { id: 'reported', ...woman, black_race: false, measurements: [scr(1), reported('62238-1', 25)] },
      // reported for a Black patient (88293-6), race not recorded: 34 / 1.159 = 29.3 to 34
      { id: 'reported for Black', ...woman, measurements: [reported('88293-6', 34)] },
    ]
    it('decided where both ends agree, unknown where they straddle the threshold', async () => {
      expect(query.criteria.every(c => c.unsupported.length === 0)).toBe(true)
      const db = await omopDuckDb(omopTablesOf(people))
      try {
        const rows = (await db.query(query.sql)).map(({ person_id: _p, overall: _o, ...r }) => r)
        expect(rows).toEqual([
          { LT30: false, LT33: null, GTE30: true },
          { LT30: false, LT33: false, GTE30: true },
          { LT30: false, LT33: true, GTE30: true },
          { LT30: true, LT33: true, GTE30: false },
          { LT30: null, LT33: null, GTE30: null },
        ])
      } finally {
        db.close()
      }
    })
  })
})
