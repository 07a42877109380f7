/** Small builders of FHIR R4 datatypes shared by the profile writers. */
import { ROUTE_CODES, SYS, type MedCode } from './codes.ts'

export type Json = Record<string, unknown>

export function coding(system: string, code: string, display?: string): Json {
  return { system, code, ...(display !== undefined ? { display } : {}) }
}

/** A CodeableConcept with one coding and, as Synthea writes, the display repeated as text. */
export function concept(system: string, code: string, display: string, text: string | null = display): Json {
  return { coding: [coding(system, code, display)], ...(text !== null ? { text } : {}) }
}

export function quantity(value: number, unit: string, unitText = unit): Json {
  return { value, unit: unitText, system: SYS.ucum, code: unit }
}

export const CLINICAL_STATUS = (code: string): Json => ({ coding: [coding('http://terminology.hl7.org/CodeSystem/condition-clinical', code)] })
export const VERIFICATION_STATUS = (code: string): Json => ({ coding: [coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', code)] })

export const OBSERVATION_CATEGORY: Record<string, Json> = {
  laboratory: { coding: [coding('http://terminology.hl7.org/CodeSystem/observation-category', 'laboratory', 'Laboratory')] },
  'vital-signs': { coding: [coding('http://terminology.hl7.org/CodeSystem/observation-category', 'vital-signs', 'Vital signs')] },
  survey: { coding: [coding('http://terminology.hl7.org/CodeSystem/observation-category', 'survey', 'Survey')] },
  'social-history': { coding: [coding('http://terminology.hl7.org/CodeSystem/observation-category', 'social-history', 'Social History')] },
}

/** US Core profile of a vital-sign or lab observation by LOINC code. */
export function observationProfile(loinc: string, category: string): string {
  const vital: Record<string, string> = {
    '8302-2': 'us-core-body-height',
    '29463-7': 'us-core-body-weight',
    '39156-5': 'us-core-bmi',
    '85354-9': 'us-core-blood-pressure',
    '8867-4': 'us-core-heart-rate',
    '9279-1': 'us-core-respiratory-rate',
    '8310-5': 'us-core-body-temperature',
    '72166-2': 'us-core-smokingstatus',
    '82810-3': 'us-core-observation-pregnancystatus',
  }
  const name =
    vital[loinc] ??
    (category === 'laboratory' ? 'us-core-observation-lab' : category === 'survey' ? 'us-core-observation-screening-assessment' : 'us-core-simple-observation')
  return `http://hl7.org/fhir/us/core/StructureDefinition/${name}`
}

/** The medication's CodeableConcept: RxNorm coding (and brand text when the product has one), or text only. */
export function medicationConcept(med: MedCode, textOnly: string | undefined, withText: boolean): Json {
  if (textOnly !== undefined) return { text: textOnly }
  return { coding: [coding(SYS.rxnorm, med.code, med.display)], ...(withText ? { text: med.text ?? med.display } : {}) }
}

/** Timing.repeat for `perDay` administrations a day (1, 2, 3, 4 a day, or weekly). */
export function repeatOf(perDay: number | undefined): Json | undefined {
  if (perDay === undefined) return undefined
  if (perDay >= 1) return { frequency: perDay, period: 1, periodUnit: 'd' }
  const days = Math.round(1 / perDay)
  return days === 7 ? { frequency: 1, period: 1, periodUnit: 'wk' } : { frequency: 1, period: days, periodUnit: 'd' }
}

export function routeConcept(med: MedCode): Json {
  const r = ROUTE_CODES[med.route]
  return concept(SYS.snomed, r.code, r.display)
}

/** Base64 of UTF-8 text (clinical notes in DocumentReference attachments). */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}
