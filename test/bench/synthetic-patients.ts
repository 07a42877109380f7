/**
 * Synthetic patient records for benchmarks: the protocol's example patients
 * with values drawn around its thresholds, from a seeded generator so every
 * run screens the same records. Not real patients.
 */
import { applyMergePatch, examplePatient, type ExamplesDocument, type PatientRecord } from '../../engine/index.ts'
import { mulberry32 } from '../helpers/fhir-corpus/random.ts'

/** A small seeded PRNG, so benchmark inputs are identical run to run. */
const prng = mulberry32

function isoDaysBefore(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d) - days * 86_400_000).toISOString().slice(0, 10)
}

/**
 * `count` records: each starts from a random example patient, then gets a
 * random age, UPCR, SLEDAI-2K and sometimes a recent B cell depleting drug or
 * a missing section, so every criterion sees all three outcomes.
 */
export function syntheticPatients(examples: ExamplesDocument, count: number, seed = 20261125): PatientRecord[] {
  return [...syntheticPatientStream(examples, count, seed)]
}

/** The same records one at a time, so a million of them never sit in memory together. */
export function* syntheticPatientStream(examples: ExamplesDocument, count: number, seed = 20261125): Generator<PatientRecord> {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const bases = examples.examples.map(e => examplePatient(examples, e.id))
  for (let i = 0; i < count; i++) {
    const base = pick(bases)
    const screening = base.dates?.screening ?? '2026-01-05'
    const patch: Record<string, unknown> = {
      id: `SYN-${String(i).padStart(6, '0')}`,
      birth_date: isoDaysBefore(screening, Math.floor(365.25 * (16 + rnd() * 54))),
      sledai_2k: [{ date: screening, score: Math.floor(rnd() * 14) }],
      measurements: [
        { concept: 'urine_protein_creatinine_ratio', value: Math.round(rnd() * 300) / 100, unit: pick(['g/g', 'mg/g', 'mg/mmol']), date: screening },
      ],
    }
    const m = patch.measurements as Array<{ value: number; unit: string }>
    if (m[0]!.unit === 'mg/g') m[0]!.value *= 1000
    if (m[0]!.unit === 'mg/mmol') m[0]!.value = Math.round(m[0]!.value * 113.12 * 10) / 10
    if (rnd() < 0.1)
      patch.medications = [
        ...(base.medications ?? []),
        { drug: 'rituximab', start: isoDaysBefore(screening, 200), stop: isoDaysBefore(screening, Math.floor(rnd() * 300)) },
      ]
    if (rnd() < 0.05) patch.conditions = null
    yield applyMergePatch(base, patch) as PatientRecord
  }
}
