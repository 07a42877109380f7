/**
 * The values a measurement leaf chooses from: what the record's
 * `measurements` hold for a concept, as candidates with their day, unit and
 * how they were entered. Shared by the measurement fact and the values the
 * engine derives (eGFR from creatinine, SLEDAI-2K from descriptors).
 */
import type { Measurement, MissingData, PatientRecord } from '../../types.ts'
import type { LabConcept } from '../../dictionary/index.ts'
import { resolveLabConcept } from '../../dictionary/index.ts'
import { parseIsoDate } from '../../calculators/dates.ts'
import type { NumericValue } from '../evidence.ts'
import { memoized, type FactContext } from './context.ts'
import { humanUnit } from '../../describe/unit-words.ts'

/** A candidate value before selection: its day, value (or bounds), unit and how it was entered. */
export interface Candidate {
  day: number
  date: string
  value: NumericValue
  unit: string
  entered: string
  /** Reference range reported with the value, in the same unit. */
  upper?: number
  lower?: number
  /** The LOINC code the record gave with the value (an eGFR computed for one race is read by it). */
  loinc?: string
  /**
   * The bounds are the value for a patient who is not Black (min) and who is
   * (max): an eGFR computed by an equation with a race coefficient while the
   * record does not say. Two such values of one patient pair min with min.
   */
  byRace?: true
  /** What would turn the bounds into one value (whether the patient is Black), listed when a comparison stays undecided. */
  narrow?: MissingData[]
}

/** Values derived from other record data, and what blocked a derivation (a missing birth date...). */
export interface Derived {
  candidates: Candidate[]
  blocked?: { detail: string; missing: MissingData[] }
}

/** The record's measurements of a concept as candidates (undefined when the record has no measurements section). */
export function fromMeasurements(p: PatientRecord, concept: LabConcept, ctx: FactContext): Candidate[] | undefined {
  if (!p.measurements) return undefined
  // every measurement leaf reads the same section: it is sorted by concept once per record
  return memoized(ctx, 'measurements-by-concept', () => measurementsByConcept(p.measurements!, ctx)).get(concept.id) ?? []
}

function measurementsByConcept(measurements: readonly Measurement[], ctx: FactContext): Map<string, Candidate[]> {
  const byConcept = new Map<string, Candidate[]>()
  for (const m of measurements) {
    const c = resolveLabConcept(m.concept ?? m.loinc ?? '', ctx.dictionary)
    const day = parseIsoDate(m.date)
    // an entry without a real date or number is malformed (the schema rejects it): skipped, as a record that cannot be placed
    if (c === undefined || day === undefined || typeof m.value !== 'number' || !Number.isFinite(m.value)) continue
    const { high: upper, low: lower } = m.reference_range ?? {}
    // assigned, not spread in: this runs for every measurement of every record
    const candidate: Candidate = { day, date: m.date, value: m.value, unit: m.unit, entered: `${m.value} ${humanUnit(m.unit)}` }
    if (upper !== undefined) candidate.upper = upper
    if (lower !== undefined) candidate.lower = lower
    if (m.loinc !== undefined) candidate.loinc = m.loinc
    const list = byConcept.get(c.id)
    if (list) list.push(candidate)
    else byConcept.set(c.id, [candidate])
  }
  return byConcept
}

/** For people: 4 significant digits (the comparison itself uses the unrounded value). */
export function show(v: NumericValue): string {
  return typeof v === 'number' ? fourDigits(v) : `${fourDigits(v.min)}–${fourDigits(v.max)}`
}

const fourDigits = (x: number) => String(Number(x.toPrecision(4)))
