/**
 * Observations whose result is a category rather than a quantity (pregnancy
 * tests, pregnancy status) and the answer codes that say which category, from
 * `coded-observations.json`. Each entry names its source.
 */
import data from './coded-observations.json' with { type: 'json' }

export interface CodedObservation {
  id: string
  name: string
  /** Where the result goes in the patient record. */
  target: 'pregnancy_test' | 'pregnant'
  specimen?: 'urine' | 'serum'
  loinc: string[]
  source: string
}

export interface CodedAnswer {
  system: string
  code: string
  display: string
  /** `negative`/`positive` for tests, `yes`/`no` for a status. */
  means: 'negative' | 'positive' | 'yes' | 'no'
  source: string
}

export const CODED_OBSERVATIONS = data.observations as CodedObservation[]
export const CODED_ANSWERS = data.answers as CodedAnswer[]

/** The coded observation a LOINC code names, if any. */
export function codedObservationByLoinc(loinc: string): CodedObservation | undefined {
  return CODED_OBSERVATIONS.find(o => o.loinc.includes(loinc.trim()))
}

/** What an answer coding means, if it is a known one. */
export function answerMeaning(system: string, code: string): CodedAnswer['means'] | undefined {
  return CODED_ANSWERS.find(a => a.system === system && a.code === code.trim())?.means
}
