/**
 * Adverse events: the form's values turned into the body of
 * POST /subjects/:sid/adverse-events, and events described in words.
 */
import type { AdverseEvent } from '../../engine/index.ts'
import { parseIsoDate } from '../../engine/calculators/dates.ts'

/** ICH E2A seriousness criteria, as subject.schema.json names them. */
export const SERIOUSNESS: ReadonlyArray<{ key: keyof AdverseEvent['seriousness']; words: string }> = [
  { key: 'death', words: 'resulted in death' },
  { key: 'life_threatening', words: 'life-threatening' },
  { key: 'hospitalization', words: 'required or prolonged hospitalisation' },
  { key: 'disability', words: 'persistent or significant disability' },
  { key: 'congenital_anomaly', words: 'congenital anomaly' },
  { key: 'important_medical_event', words: 'other important medical event' },
]

export const RELATEDNESS: ReadonlyArray<{ value: AdverseEvent['relatedness']; words: string }> = [
  { value: 'related', words: 'related' },
  { value: 'possibly_related', words: 'possibly related' },
  { value: 'unlikely_related', words: 'unlikely related' },
  { value: 'not_related', words: 'not related' },
]

export interface AeFormValues {
  term: string
  onset: string
  end: string
  ongoing: boolean
  /** '' (not graded) or '1'..'5' (CTCAE v5.0). */
  grade: string
  relatedness: string
  serious: string[]
}

export const emptyAeForm = (): AeFormValues => ({ term: '', onset: '', end: '', ongoing: false, grade: '', relatedness: '', serious: [] })

/** @returns the event, or every problem with the form */
export function adverseEventInput(v: AeFormValues): { value?: AdverseEvent; errors: string[] } {
  const errors: string[] = []
  if (!v.term.trim()) errors.push('Term: name the event (MedDRA or CTCAE term)')
  if (parseIsoDate(v.onset) === undefined) errors.push(`Onset: expected a calendar date YYYY-MM-DD, got "${v.onset}"`)
  if (v.end && parseIsoDate(v.end) === undefined) errors.push(`Resolved on: expected a calendar date YYYY-MM-DD, got "${v.end}"`)
  if (v.end && parseIsoDate(v.end) !== undefined && parseIsoDate(v.onset) !== undefined && v.end < v.onset)
    errors.push(`Resolved on: ${v.end} is before the onset ${v.onset}`)
  if (v.end && v.ongoing) errors.push('Ongoing: an event with a resolution date is not ongoing; clear one of them')
  const relatedness = RELATEDNESS.find(r => r.value === v.relatedness)?.value
  if (!relatedness) errors.push('Relatedness: choose the investigator’s assessment')
  const grade = v.grade === '' ? undefined : Number(v.grade)
  if (grade !== undefined && !(Number.isInteger(grade) && grade >= 1 && grade <= 5)) errors.push(`CTCAE grade: expected 1 to 5, got "${v.grade}"`)
  if (errors.length || !relatedness) return { errors }
  const seriousness = Object.fromEntries(SERIOUSNESS.filter(s => v.serious.includes(s.key)).map(s => [s.key, true]))
  return {
    errors,
    value: {
      term: v.term.trim(),
      onset: v.onset,
      ...(v.end ? { end: v.end } : {}),
      ...(v.ongoing ? { ongoing: true } : {}),
      seriousness,
      relatedness,
      ...(grade !== undefined ? { ctcae_grade: grade as AdverseEvent['ctcae_grade'] } : {}),
    },
  }
}

/** "Serious: life-threatening, hospitalisation" or "Not serious" (any ICH E2A criterion makes it serious). */
export function seriousWords(ae: AdverseEvent): string {
  const met = SERIOUSNESS.filter(s => ae.seriousness?.[s.key] === true).map(s => s.words)
  return met.length ? `Serious: ${met.join(', ')}` : 'Not serious'
}

export function relatednessWords(r: AdverseEvent['relatedness']): string {
  return RELATEDNESS.find(x => x.value === r)?.words ?? r
}

/** "2026-01-20 to 2026-01-22", "2026-01-20, ongoing" or "2026-01-20, resolution not recorded". */
export function courseWords(ae: AdverseEvent): string {
  if (ae.end) return `${ae.onset} to ${ae.end}`
  return ae.ongoing ? `${ae.onset}, ongoing` : `${ae.onset}, resolution not recorded`
}
