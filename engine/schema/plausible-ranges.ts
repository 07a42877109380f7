/**
 * Values no living patient can have: a negative UPCR, a weight of 1e23 kg, a
 * measurement dated before birth. The schema checks types; these checks need
 * the lab dictionary and unit conversion, so they live here and run from
 * `validateAgainstSchema` for patient, subject and examples documents, which
 * every entry point (API, CLI, batch screening) already calls.
 *
 * The bounds are wide on purpose: they refuse impossible data, never merely
 * abnormal data (UPCR 25 g/g, creatinine 15 mg/dL, platelets 5 x10^9/L pass).
 * A value is converted into its range's unit by the UCUM code; a unit that
 * cannot be converted is left to the evaluation, which reports it as unknown.
 */
import { ageOn, parseIsoDate } from '../calculators/dates.ts'
import { convertQuantity } from '../calculators/units.ts'
import { defaultDictionary, resolveLabConcept, type Dictionary, type LabConcept } from '../dictionary/index.ts'
import type { PathSegment } from '../parse/path.ts'
import { issue, type SemanticIssue } from '../semantic/issue.ts'
import rangesJson from './plausible-ranges.json' with { type: 'json' }

/** A physically possible range of one lab concept, in an explicit UCUM unit. */
export interface PlausibleRange {
  /** Lab-concept id (engine/dictionary/lab-concepts.json). */
  concept: string
  /** Lowest possible value, inclusive; absent: no lower bound. */
  low?: number
  /** Highest possible value, inclusive; absent: no upper bound. */
  high?: number
  /** UCUM unit of `low` and `high`; measurements are converted into it. */
  unit: string
  /** Why these bounds, and where they come from. */
  source: string
}

/** The shipped ranges (each with its source). Score concepts use the dictionary's own min and max instead. */
export const PLAUSIBLE_RANGES: readonly PlausibleRange[] = rangesJson

/** The oldest verified human lived 122 years and 164 days (Jeanne Calment, Guinness World Records); 130 leaves a margin. */
export const MAX_AGE_YEARS = 130

const rangeByConcept = new Map(PLAUSIBLE_RANGES.map(r => [r.concept, r]))

/** The range a concept's values must fall in: the ranges file for quantities, the dictionary's min/max for scores. */
export function plausibleRangeOf(concept: LabConcept): PlausibleRange | undefined {
  const listed = rangeByConcept.get(concept.id)
  if (listed) return listed
  if (concept.kind === 'score' && (concept.min !== undefined || concept.max !== undefined)) {
    return {
      concept: concept.id,
      unit: concept.unit,
      ...(concept.min !== undefined ? { low: concept.min } : {}),
      ...(concept.max !== undefined ? { high: concept.max } : {}),
      source: concept.source,
    }
  }
  return undefined
}

/** For people: up to 6 significant digits, exponent notation for the absurd ones. */
const show = (x: number) => String(Number(x.toPrecision(6)))

function expectedText(r: PlausibleRange): string {
  if (r.low !== undefined && r.high !== undefined) return `between ${show(r.low)} and ${show(r.high)} ${r.unit}`
  if (r.low !== undefined) return `at least ${show(r.low)} ${r.unit}`
  return `at most ${show(r.high as number)} ${r.unit}`
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** One measurement's value against its concept's range; undefined when it is possible (or cannot be judged). */
function checkMeasurement(m: unknown, at: PathSegment[], dictionary: Dictionary): SemanticIssue | undefined {
  if (!isRecord(m)) return undefined
  const { value, unit } = m
  const key = typeof m.concept === 'string' ? m.concept : typeof m.loinc === 'string' ? m.loinc : undefined
  // a malformed item is the schema's to report
  if (key === undefined || typeof value !== 'number' || !Number.isFinite(value) || typeof unit !== 'string') return undefined
  const concept = resolveLabConcept(key, dictionary)
  const range = concept && plausibleRangeOf(concept)
  if (!concept || !range) return undefined
  const converted = convertQuantity(value, unit, range.unit, concept)
  // an inconvertible unit is not ours to judge: the evaluation reports it (the value is then unknown)
  if (!converted.ok) return undefined
  const v = converted.value
  if ((range.low === undefined || v >= range.low) && (range.high === undefined || v <= range.high)) return undefined
  const found = `${show(value)} ${unit}${unit.trim() === range.unit ? '' : ` (${show(v)} ${range.unit})`}`
  const expected = expectedText(range)
  return issue(
    'E_IMPLAUSIBLE_VALUE',
    [...at, 'value'],
    `${concept.name}: ${found} is not physically possible; expected ${expected} (${range.source})`,
    expected,
    found,
  )
}

/** Dates of the record that a living patient had to be alive on: the reference dates and the measurement dates. */
function datedItems(record: Record<string, unknown>, at: PathSegment[]): Array<{ date: string; path: PathSegment[] }> {
  const out: Array<{ date: string; path: PathSegment[] }> = []
  if (isRecord(record.dates)) {
    for (const [name, date] of Object.entries(record.dates)) if (typeof date === 'string') out.push({ date, path: [...at, 'dates', name] })
  }
  if (Array.isArray(record.measurements)) {
    record.measurements.forEach((m, i) => {
      if (isRecord(m) && typeof m.date === 'string') out.push({ date: m.date, path: [...at, 'measurements', i, 'date'] })
    })
  }
  return out
}

/** Age at each dated item between 0 and MAX_AGE_YEARS: nothing is measured before birth or after 130. */
function checkAges(record: Record<string, unknown>, at: PathSegment[]): SemanticIssue[] {
  const birth = record.birth_date
  if (typeof birth !== 'string' || parseIsoDate(birth) === undefined) return []
  const out: SemanticIssue[] = []
  for (const { date, path } of datedItems(record, at)) {
    if (parseIsoDate(date) === undefined) continue
    const expected = `a date from birth_date ${birth} to ${MAX_AGE_YEARS} years after it`
    const age = ageOn(birth, date)
    if (age === undefined)
      out.push(issue('E_IMPLAUSIBLE_VALUE', path, `${date} is before the birth date (${birth}): nothing can be recorded before birth`, expected, date))
    else if (age.years > MAX_AGE_YEARS) {
      out.push(
        issue(
          'E_IMPLAUSIBLE_VALUE',
          path,
          `${date} would make the patient ${age.years} years old (born ${birth}); expected an age of at most ${MAX_AGE_YEARS} years (the oldest verified human lived 122 years)`,
          expected,
          `age ${age.years} years`,
        ),
      )
    }
  }
  return out
}

/**
 * Every impossible value of a patient or subject record (or of a part of one,
 * such as an example's patch): measurement values outside their concept's
 * physically possible range, and dates before birth or past 130 years of age.
 * Tolerates any shape (what the schema rejects is skipped here).
 *
 * @param record the record, parsed but not necessarily valid
 * @param at path of the record inside its document (e.g. `['base_patient']`)
 * @param dictionary lab concepts to resolve measurements with
 * @example
 * implausibleValues({ measurements: [{ concept: 'body_weight', value: 1e23, unit: 'kg', date: '2026-01-01' }] })
 * // [{ code: 'E_IMPLAUSIBLE_VALUE', path: ['measurements', 0, 'value'], expected: 'between 0.3 and 650 kg', found: '1e+23 kg', ... }]
 */
export function implausibleValues(record: unknown, at: PathSegment[] = [], dictionary: Dictionary = defaultDictionary): SemanticIssue[] {
  if (!isRecord(record)) return []
  const out: SemanticIssue[] = []
  if (Array.isArray(record.measurements)) {
    record.measurements.forEach((m, i) => {
      const found = checkMeasurement(m, [...at, 'measurements', i], dictionary)
      if (found) out.push(found)
    })
  }
  return [...out, ...checkAges(record, at)]
}

/**
 * The records inside an examples document: the base patient and subject, and
 * each example's patch and subject record (each a partial record, checked as
 * far as it goes).
 */
export function implausibleExampleValues(doc: unknown, dictionary: Dictionary = defaultDictionary): SemanticIssue[] {
  if (!isRecord(doc)) return []
  const out = [...implausibleValues(doc.base_patient, ['base_patient'], dictionary), ...implausibleValues(doc.base_subject, ['base_subject'], dictionary)]
  for (const [list, field] of [
    ['examples', 'patch'],
    ['subjects', 'record'],
  ] as const) {
    const items = doc[list]
    if (!Array.isArray(items)) continue
    items.forEach((item, i) => {
      if (isRecord(item)) out.push(...implausibleValues(item[field], [list, i, field], dictionary))
    })
  }
  return out
}
