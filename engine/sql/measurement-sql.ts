/**
 * `measurement` leaves in SQL over OMOP `measurement` rows (omop.ts): the
 * value of a lab concept chosen in a window and converted into the unit the
 * protocol compares in, as facts/measurement.ts chooses and converts it:
 *
 * - the concept by its LOINC codes (the first dictionary concept listing a
 *   code owns it, as resolveLabConcept finds it); a value without a number
 *   is not a candidate;
 * - the window placed on the person's reference date (none: unknown);
 * - latest (ties on the day: the row listed last), highest or lowest (by the
 *   value as recorded, ties: the row listed first), as `pick` does;
 * - the chosen value converted by the factor of its UCUM unit and rounded
 *   as units.ts rounds; a unit the query has no factor for leaves it unknown;
 * - `relative_to: upper_limit` divides by `range_high`; `confirm` checks each
 *   of the last `count` values.
 *
 * eGFR is read by the protocol's equation (egfr-sql.ts). Not expressed
 * (reported, the criterion stays unknown): values the engine derives from
 * other data (SLEDAI-2K from descriptors, an extension's calculator),
 * concepts without a LOINC code, visit windows.
 */
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { IrLeaf, ResolvedWindow } from '../compile/ir.ts'
import { CONVERSION_SIGNIFICANT_DIGITS, conversionFactor } from '../calculators/units.ts'
import { EGFR_CONCEPT } from '../calculators/egfr-equations.ts'
import { resolveLabConcept, type Dictionary, type LabConcept } from '../dictionary/index.ts'
import { DERIVED_CONCEPTS, type MeasurementParams } from '../evaluate/facts/measurement.ts'
import type { OperatorName } from '../evaluate/operators.ts'
import type { Dialect } from './dialect.ts'
import { REFERENCE_DATE_TABLE, VOCABULARY } from './omop.ts'
import { UNKNOWN_SQL, type Expressed, type QueryNeeds } from './query-needs.ts'
import { windowBounds } from './window-sql.ts'
import { egfrLeaf } from './egfr-sql.ts'

/**
 * The units a measurement may arrive in that the query converts by default (a site's own can be given to
 * compileSql): UCUM codes of the lab units in use for the dictionary's concepts. A unit without a factor
 * leaves the value unknown, never wrong.
 */
export const DEFAULT_SQL_UNITS: readonly string[] = [
  'g/g',
  'mg/g',
  'mg/mg',
  'mg/mmol',
  'g/mmol',
  'g/(24.h)',
  'mg/(24.h)',
  'g/d',
  'mg/d',
  'mg/dL',
  'mg/L',
  'g/L',
  'g/dL',
  'mg/mL',
  'ug/mL',
  'umol/L',
  'nmol/L',
  'mmol/L',
  'mL/min/{1.73_m2}',
  '10*9/L',
  '10*3/uL',
  '/uL',
  '[IU]/mL',
  'U/L',
  '%',
  '{titer}',
  '{score}',
  '/[HPF]',
  '/[LPF]',
  'Cel',
  'mm[Hg]',
  '/min',
  'kg',
]

/** The UCUM codes the measurements of an OMOP database are in (for compileSql's `units`). */
export const UNITS_IN_USE = `SELECT DISTINCT u.concept_code AS unit FROM measurement m JOIN concept u ON u.concept_id = m.unit_concept_id AND u.vocabulary_id = '${VOCABULARY.ucum}' ORDER BY unit`

const codesCache = new WeakMap<readonly LabConcept[], Map<string, string>>()

/** LOINC code → the lab concept it reads as: the first concept of the dictionary listing it. */
export function loincCodesOf(dictionary: Dictionary): Map<string, string> {
  let codes = codesCache.get(dictionary.labConcepts)
  if (!codes) {
    codes = new Map()
    for (const c of dictionary.labConcepts) for (const code of c.loinc) if (!codes.has(code)) codes.set(code, c.id)
    codesCache.set(dictionary.labConcepts, codes)
  }
  return codes
}

/** The lab rows every measurement leaf reads: person, id, day, value as recorded, unit (UCUM code or NULL), upper limit, lab concept, LOINC code. */
export function labRows(d: Dialect, dictionary: Dictionary): string {
  const codes = [...loincCodesOf(dictionary)].map(([code, lab]) => `(${d.text(code)}, ${d.text(lab)})`)
  return (
    'lab AS (SELECT m.person_id, m.measurement_id, m.measurement_date AS day, m.value_as_number AS value, m.range_high AS upper, u.concept_code AS unit, codes.lab, c.concept_code AS code ' +
    `FROM measurement m JOIN concept c ON c.concept_id = m.measurement_concept_id AND c.vocabulary_id = ${d.text(VOCABULARY.loinc)} ` +
    `JOIN (VALUES ${codes.join(', ')}) AS codes(code, lab) ON codes.code = c.concept_code ` +
    `LEFT JOIN concept u ON u.concept_id = m.unit_concept_id AND u.vocabulary_id = ${d.text(VOCABULARY.ucum)} ` +
    'WHERE m.value_as_number IS NOT NULL)'
  )
}

/** `l.day` within the window, on reference date `r.date`; undefined for a window SQL does not place. */
function windowCondition(d: Dialect, w: ResolvedWindow): { ref?: string; sql: string } | undefined {
  // a planned window holds no measurement: every value is taken, as facts/measurement.ts takes them
  if (w.kind === 'planned') return { sql: 'TRUE' }
  const bounds = windowBounds(d, w, 'r.date')
  if (!bounds) return undefined
  return bounds.kind === 'any' ? { sql: 'TRUE' } : { ref: bounds.ref, sql: `l.day BETWEEN ${bounds.start} AND ${bounds.end}` }
}

/** Which candidate comes first for each choice (facts/measurement.ts pick); `nearest` has no visit day here, so it is the latest. */
const ORDER: Record<MeasurementParams['select'] | 'earliest', string> = {
  latest: 'l.day DESC, l.measurement_id DESC',
  nearest: 'l.day DESC, l.measurement_id DESC',
  earliest: 'l.day ASC, l.measurement_id ASC',
  highest: 'l.value DESC, l.measurement_id ASC',
  lowest: 'l.value ASC, l.measurement_id ASC',
}

/**
 * A value in the protocol's unit (NULL when its unit has no factor), as facts/measurement.ts convert: `value` in the
 * unit `from` (SQL expressions; the lab row's by default).
 */
export function converted(d: Dialect, unit: string | undefined, concept: LabConcept, units: readonly string[], value = 'l.value', from = 'l.unit'): string {
  if (unit === undefined) return value
  const cases = [...new Set(units)].flatMap(u => {
    if (u === unit) return [`WHEN ${d.text(u)} THEN ${value}`]
    const factor = conversionFactor(u, unit, concept)
    return factor === undefined ? [] : [`WHEN ${d.text(u)} THEN ${d.roundSignificant(`${value} * ${d.double(factor)}`, CONVERSION_SIGNIFICANT_DIGITS)}`]
  })
  if (!units.includes(unit)) cases.unshift(`WHEN ${d.text(unit)} THEN ${value}`)
  return `(CASE ${from} ${cases.join(' ')} END)`
}

export const SQL_OPERATOR: Partial<Record<OperatorName, string>> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' }

/** A known number compared as evaluate/operators.ts compares it: with a number only (anything else: unknown). */
function numberCompared(d: Dialect, value: string, op: OperatorName, to: unknown): string | undefined {
  const sqlOp = SQL_OPERATOR[op]
  if (!sqlOp) return undefined
  return typeof to === 'number' && Number.isFinite(to) ? `(${value} ${sqlOp} ${d.double(to)})` : UNKNOWN_SQL
}

export function measurementLeaf(d: Dialect, compiled: CompiledProtocol, leaf: IrLeaf, needs: QueryNeeds, units: readonly string[]): Expressed {
  const p = leaf.params as unknown as MeasurementParams
  const concept = resolveLabConcept(p.concept, compiled.dictionary)
  if (!concept) return { unsupported: `the unknown concept ${p.concept}` }
  // eGFR is read by the protocol's equation (facts/egfr.ts): reported, or computed from creatinine
  if (concept.id === EGFR_CONCEPT) return egfrLeaf(d, compiled, leaf, needs, units)
  if (DERIVED_CONCEPTS.has(concept.id) || compiled.extensions?.calculators?.[concept.id])
    return { unsupported: `${concept.name} derived by the engine is not expressed in SQL yet` }
  if (concept.loinc.length === 0) return { unsupported: `${concept.name} has no LOINC code to find it by in OMOP` }
  const window = windowCondition(d, p.window)
  if (!window) return { unsupported: 'a visit window' }
  if (p.confirm && !SQL_OPERATOR[p.confirm.op]) return { unsupported: `a confirmation by ${p.confirm.op}` }
  const leafOp = SQL_OPERATOR[leaf.operator]
  if (!leafOp) return { unsupported: `operator ${leaf.operator}` }

  const value = converted(d, p.unit, concept, units)
  // a multiple of the upper limit of normal reported with the value: once the value converts, its raw value over the limit
  const compared = p.relative_to === 'upper_limit' ? `(CASE WHEN ${value} IS NOT NULL AND l.upper > 0 THEN l.value / l.upper END)` : value
  const from =
    `FROM lab l${window.ref ? ` JOIN ${REFERENCE_DATE_TABLE} r ON r.person_id = l.person_id AND r.name = ${d.text(window.ref)}` : ''} ` +
    `WHERE l.lab = ${d.text(concept.id)} AND ${window.sql}`
  const tables = ['measurement', 'concept', ...(window.ref ? [REFERENCE_DATE_TABLE] : [])]
  const key = JSON.stringify({ concept: concept.id, unit: p.unit, window: p.window, select: p.select, relative: p.relative_to, confirm: p.confirm })
  const column = needs.value(key, tables, () => {
    if (!p.confirm) {
      return `SELECT person_id, value FROM (SELECT l.person_id, ${compared} AS value, row_number() OVER (PARTITION BY l.person_id ORDER BY ${ORDER[p.select]}) AS nth ${from}) AS chosen WHERE nth = 1`
    }
    // measurement.ts confirmed: the last `count` values (ties: the row listed last is later); one not converted: unknown
    const { op, value: threshold, count } = p.confirm
    const check = numberCompared(d, 'compared', op, threshold)
    return (
      `SELECT person_id, CASE WHEN count(*) FILTER (WHERE converted IS NULL) > 0 THEN NULL WHEN bool_or(${check} IS FALSE) THEN FALSE ` +
      `WHEN count(*) >= ${count} AND bool_and(${check} IS TRUE) THEN TRUE END AS value ` +
      `FROM (SELECT l.person_id, ${value} AS converted, ${compared} AS compared, row_number() OVER (PARTITION BY l.person_id ORDER BY ${ORDER.latest}) AS nth ${from}) AS last ` +
      `WHERE nth <= ${count} GROUP BY person_id`
    )
  })
  if (p.confirm) {
    // the fact answers true / false; the leaf compares that answer (operators.ts: a boolean equals a boolean only)
    if (leaf.operator !== 'eq' && leaf.operator !== 'ne') return { sql: UNKNOWN_SQL }
    if (typeof leaf.value !== 'boolean') return { sql: `CASE WHEN ${column} IS NULL THEN NULL ELSE ${leaf.operator === 'ne' ? 'TRUE' : 'FALSE'} END` }
    return { sql: `(${column} ${leafOp} ${leaf.value ? 'TRUE' : 'FALSE'})` }
  }
  return { sql: numberCompared(d, column, leaf.operator, leaf.value)! }
}
