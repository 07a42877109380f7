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
import { omopRowsOf } from '../../../engine/sql/omop-rows.ts'
import { omopDuckDb } from '../../helpers/duckdb-omop.ts'

const leaf = (path: string, fact: string, params: Record<string, unknown>, operator: string, value: unknown): IrNode =>
  ({ kind: 'leaf', path, label: path, fact, params, operator, value }) as IrNode
const item = (name: string) => leaf(name, 'attestation', { name }, 'eq', true)

/** Only what compileSql reads of a compiled protocol. */
const protocol = (criteria: Array<{ id: string; kind: 'inclusion' | 'exclusion'; logic: IrNode }>) =>
  ({ criteria, parameters: {} }) as unknown as CompiledProtocol

describe('compileSql', () => {
  it('three-valued at_least and either, a fact compared by its own op, exact age on a leap-day birthday, unexpressed leaves', async () => {
    const query = compileSql(
      protocol([
        { id: 'SEX_GT', kind: 'inclusion', logic: leaf('sex', 'record', { name: 'sex', op: '>', value: 3 }, 'eq', true) },
        { id: 'TWO_OF_THREE', kind: 'inclusion', logic: { kind: 'at_least', path: 'a', label: 'a', n: 2, children: [item('a'), item('b'), item('c')] } },
        { id: 'EITHER', kind: 'inclusion', logic: { kind: 'either', path: 'e', label: 'e', children: [item('a') as never, item('b') as never] } },
        { id: 'ADULT', kind: 'inclusion', logic: leaf('age', 'age', { at: 'consent' }, 'gte', { years: 18, basis: 'exact' }) },
        { id: 'NOT_EXPRESSED', kind: 'exclusion', logic: { kind: 'any', path: 'x', label: 'x', children: [item('a'), leaf('m', 'measurement', {}, 'gt', 1)] } },
      ]),
    )
    expect(query.criteria.find(c => c.id === 'NOT_EXPRESSED')!.unsupported).toEqual([
      { path: 'm', fact: 'measurement', reason: 'measurement facts are not expressed in SQL yet' },
    ])
    const people: PatientRecord[] = [
      // known sex; a, b yes, c no; born 29 Feb 2008: 18 on 1 Mar 2026 (dates.ts), consent 28 Feb 2026
      { id: 'p1', sex: 'female', birth_date: '2008-02-29', dates: { consent: '2026-02-28' }, attestations: { a: true, b: true, c: false } },
      // unknown sex; a no, b unknown, c no; consent on the 18th birthday
      { id: 'p2', birth_date: '2008-02-29', dates: { consent: '2026-03-01' }, attestations: { a: false, c: false } },
      // nothing answered; no consent date
      { id: 'p3', sex: 'male', birth_date: '2000-01-01' },
    ]
    const db = await omopDuckDb(people.map((p, i) => omopRowsOf(p, i + 1)))
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
})
