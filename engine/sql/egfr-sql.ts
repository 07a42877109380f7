/**
 * eGFR leaves in SQL, as facts/egfr.ts reads them, per day in order of
 * preference: (a) an eGFR reported by the protocol's equation; (b) one
 * computed by it from serum creatinine (completed years on the sample day,
 * sex, and for an equation with a race coefficient whether the patient is
 * Black: both values, as bounds, when race is not recorded); (c) one
 * reported by another equation. A value reported for one race by its LOINC
 * code applies to the patient through the race coefficient. The chosen
 * value is converted as measurement-sql.ts converts, and a comparison of
 * bounds is decided only when both ends agree (operators.ts).
 *
 * The equations are written from the calculators' own constants, with the
 * multiplications in the calculators' order, so the same double arithmetic
 * runs in both (the property test holds them together).
 */
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { IrLeaf } from '../compile/ir.ts'
import type { EgfrEquation } from '../types.ts'
import { CKD_EPI_2009 } from '../calculators/egfr-ckd-epi-2009.ts'
import { CKD_EPI_2021 } from '../calculators/egfr-ckd-epi-2021.ts'
import { MDRD_IDMS } from '../calculators/egfr-mdrd.ts'
import { DEFAULT_EGFR_EQUATION, EGFR_EQUATION_INFO, EGFR_EQUATIONS, EGFR_RACE_SPECIFIC_LOINC } from '../calculators/egfr-equations.ts'
import { resolveLabConcept } from '../dictionary/index.ts'
import type { MeasurementParams } from '../evaluate/facts/measurement.ts'
import type { Dialect } from './dialect.ts'
import { converted, SQL_OPERATOR } from './measurement-sql.ts'
import { REFERENCE_DATE_TABLE } from './omop.ts'
import { BIRTH_DATE, blackRace, completedYears, SEX } from './person-sql.ts'
import { UNKNOWN_SQL, type Expressed, type QueryNeeds } from './query-needs.ts'
import { windowBounds } from './window-sql.ts'

type Sex = 'female' | 'male'

/** eGFR by `eq` from creatinine `scr` (mg/dL), age `age` (years) and `sex`, for a patient who is Black or not: the calculators' formulas. */
function formula(d: Dialect, eq: EgfrEquation, scr: string, age: string, sex: Sex, black: boolean): string {
  const n = d.double
  const years = `CAST(${age} AS DOUBLE PRECISION)`
  if (eq === 'mdrd') {
    const k = MDRD_IDMS
    return `(${n(k.coefficient)} * power(${scr}, ${n(k.creatinineExponent)}) * power(${years}, ${n(k.ageExponent)}) * ${n(sex === 'female' ? k.femaleFactor : 1)} * ${n(black ? k.blackFactor : 1)})`
  }
  const k = eq === 'ckd_epi_2009' ? CKD_EPI_2009 : CKD_EPI_2021
  const ratio = `(${scr} / ${n(k.kappa[sex])})`
  const race = eq === 'ckd_epi_2009' ? ` * ${n(black ? CKD_EPI_2009.blackFactor : 1)}` : ''
  return (
    `(${n(k.coefficient)} * power(least(${ratio}, ${n(1)}), ${n(k.alpha[sex])}) * power(greatest(${ratio}, ${n(1)}), ${n(k.aboveKneeExponent)}) * ` +
    `power(${n(k.ageBase)}, ${years}) * ${n(sex === 'female' ? k.femaleFactor : 1)}${race})`
  )
}

/** A value reported by `eq` as it applies to this patient (egfr.ts forThisPatient): the low and high ends. */
function forThisPatient(d: Dialect, eq: EgfrEquation, value: string, code: string, black: string): { lo: string; hi: string } {
  const factor = EGFR_EQUATION_INFO[eq].blackFactor
  if (factor === undefined) return { lo: value, hi: value }
  const f = d.double(factor)
  const reportedFor = `(CASE ${code} ${Object.entries(EGFR_RACE_SPECIFIC_LOINC)
    .map(([loinc, forBlack]) => `WHEN ${d.text(loinc)} THEN ${forBlack ? 'TRUE' : 'FALSE'}`)
    .join(' ')} END)`
  const notBlack = `(CASE WHEN ${reportedFor} THEN ${value} / ${f} ELSE ${value} END)`
  const isBlack = `(CASE WHEN ${reportedFor} THEN ${value} ELSE ${value} * ${f} END)`
  const end = (unknown: string) =>
    `(CASE WHEN ${reportedFor} IS NULL OR ${black} = ${reportedFor} THEN ${value} WHEN ${black} THEN ${isBlack} WHEN NOT ${black} THEN ${notBlack} ELSE ${unknown} END)`
  return { lo: end(notBlack), hi: end(isBlack) }
}

/** The candidate values of `eq` (person_id, day, rank, measurement_id, lo, hi, unit): a shared set, window aside. */
function candidates(d: Dialect, compiled: CompiledProtocol, eq: EgfrEquation, needs: QueryNeeds, units: readonly string[]): string {
  const tables = ['measurement', 'concept']
  const conceptOf = (e: EgfrEquation) => resolveLabConcept(EGFR_EQUATION_INFO[e].concept, compiled.dictionary)
  const reported = (e: EgfrEquation, rank: number, notOn: readonly string[]) => {
    const concept = conceptOf(e)
    if (!concept) return undefined
    const { lo, hi } = forThisPatient(d, e, 'l.value', 'l.code', blackRace('p.'))
    const free = notOn.map(s => ` AND NOT EXISTS (SELECT 1 FROM ${s} t WHERE t.person_id = l.person_id AND t.day = l.day)`).join('')
    return needs.set(
      `egfr:${eq}:${rank}`,
      tables,
      () =>
        `SELECT l.person_id, l.day, ${rank} AS rank, l.measurement_id, ${lo} AS lo, ${hi} AS hi, l.unit FROM lab l JOIN person p ON p.person_id = l.person_id WHERE l.lab = ${d.text(concept.id)}${free}`,
    )
  }
  const own = reported(eq, 0, [])
  const info = EGFR_EQUATION_INFO[eq]
  const creatinine = resolveLabConcept('serum_creatinine', compiled.dictionary)
  const unit = conceptOf(eq)?.unit ?? 'mL/min/{1.73_m2}'
  const computed = creatinine
    ? needs.set(`egfr:${eq}:computed`, tables, () => {
        const mg = `(CASE WHEN l.unit = 'mg/dL' THEN l.value ELSE ${converted(d, 'mg/dL', creatinine, units)} END)`
        const age = completedYears(d, BIRTH_DATE, 'l.day')
        const value = (sex: Sex, black: boolean) => formula(d, eq, 'c.mg', 'c.age', sex, black)
        const bySex = (black: boolean) => `(CASE c.sex WHEN 'female' THEN ${value('female', black)} ELSE ${value('male', black)} END)`
        const race = blackRace('c.')
        // race not recorded: both values; the race coefficient exceeds 1, so not Black is the lower end
        const lo = info.raceCoefficient ? `(CASE WHEN ${race} THEN ${bySex(true)} ELSE ${bySex(false)} END)` : bySex(false)
        const hi = info.raceCoefficient ? `(CASE WHEN ${race} IS FALSE THEN ${bySex(false)} ELSE ${bySex(true)} END)` : bySex(false)
        return (
          `SELECT c.person_id, c.day, 1 AS rank, c.measurement_id, ${lo} AS lo, ${hi} AS hi, ${d.text(unit)} AS unit FROM ` +
          `(SELECT l.person_id, l.day, l.measurement_id, ${mg} AS mg, ${age} AS age, ${SEX} AS sex, p.race_concept_id ` +
          `FROM lab l JOIN person p ON p.person_id = l.person_id WHERE l.lab = ${d.text(creatinine.id)}` +
          (own ? ` AND NOT EXISTS (SELECT 1 FROM ${own} t WHERE t.person_id = l.person_id AND t.day = l.day)` : '') +
          `) AS c WHERE c.sex IS NOT NULL AND c.age >= ${info.minAge} AND c.mg > 0`
        )
      })
    : undefined
  const sources = [own, computed].filter((s): s is string => s !== undefined)
  let rank = 2
  for (const other of EGFR_EQUATIONS) {
    if (other === eq) continue
    const s = reported(other, rank++, [...sources])
    if (s) sources.push(s)
  }
  return needs.set(`egfr:${eq}`, tables, () => sources.map(s => `SELECT * FROM ${s}`).join(' UNION ALL '))
}

/** `lo`..`hi` compared as operators.ts compares bounds with a number: decided only when both ends agree. */
function boundsCompared(d: Dialect, lo: string, hi: string, op: IrLeaf['operator'], to: unknown): string | undefined {
  const sqlOp = SQL_OPERATOR[op]
  if (!sqlOp) return undefined
  if (typeof to !== 'number' || !Number.isFinite(to)) return UNKNOWN_SQL
  const t = d.double(to)
  if (op === 'eq' || op === 'ne') {
    const equal = `(CASE WHEN ${lo} = ${hi} THEN ${lo} = ${t} WHEN ${t} < ${lo} OR ${t} > ${hi} THEN FALSE END)`
    return op === 'eq' ? equal : `(NOT ${equal})`
  }
  return `(CASE WHEN (${lo} ${sqlOp} ${t}) = (${hi} ${sqlOp} ${t}) THEN (${lo} ${sqlOp} ${t}) END)`
}

/** Which candidate comes first for each choice (measurement.ts pick; a range by its upper end; ties as the candidates are listed). */
const ORDER: Record<MeasurementParams['select'], string> = {
  latest: 'e.day DESC, e.rank DESC, e.measurement_id DESC',
  nearest: 'e.day DESC, e.rank DESC, e.measurement_id DESC',
  highest: 'e.hi DESC, e.rank ASC, e.measurement_id ASC',
  lowest: 'e.hi ASC, e.rank ASC, e.measurement_id ASC',
}

export function egfrLeaf(d: Dialect, compiled: CompiledProtocol, leaf: IrLeaf, needs: QueryNeeds, units: readonly string[]): Expressed {
  const p = leaf.params as unknown as MeasurementParams
  if (p.confirm) return { unsupported: 'a confirmed eGFR' }
  if (p.relative_to) return { unsupported: 'an eGFR relative to a limit' }
  if (compiled.extensions?.calculators?.egfr) return { unsupported: "eGFR computed by an extension's calculator" }
  const eq = p.equation ?? DEFAULT_EGFR_EQUATION
  const concept = resolveLabConcept(EGFR_EQUATION_INFO[eq].concept, compiled.dictionary) ?? resolveLabConcept('egfr', compiled.dictionary)!
  const bounds = windowBounds(d, p.window, 'r.date')
  if (!bounds) return { unsupported: 'a visit window' }
  const all = candidates(d, compiled, eq, needs, units)
  const placed = bounds.kind === 'placed'
  const from =
    `FROM ${all} e${placed ? ` JOIN ${REFERENCE_DATE_TABLE} r ON r.person_id = e.person_id AND r.name = ${d.text(bounds.ref)}` : ''}` +
    (placed ? ` WHERE e.day BETWEEN ${bounds.start} AND ${bounds.end}` : '')
  const tables = ['measurement', 'concept', 'person', ...(placed ? [REFERENCE_DATE_TABLE] : [])]
  const key = JSON.stringify({ egfr: eq, unit: p.unit, window: p.window, select: p.select })
  const column = needs.bounds(
    key,
    tables,
    () =>
      `SELECT person_id, value, high FROM (SELECT e.person_id, ${converted(d, p.unit, concept, units, 'e.lo', 'e.unit')} AS value, ` +
      `${converted(d, p.unit, concept, units, 'e.hi', 'e.unit')} AS high, row_number() OVER (PARTITION BY e.person_id ORDER BY ${ORDER[p.select]}) AS nth ${from}) AS chosen WHERE nth = 1`,
  )
  const sql = boundsCompared(d, column, `${column}_high`, leaf.operator, leaf.value)
  return sql ? { sql } : { unsupported: `operator ${leaf.operator}` }
}
