/**
 * Problems in a patient record that do not stop evaluation but a clinician
 * should fix: names the dictionaries do not know, dates that do not parse.
 */
import type { PatientRecord } from '../types.ts'
import type { Dictionary } from '../dictionary/index.ts'
import { resolveEntry, resolveLabConcept } from '../dictionary/index.ts'

export function recordWarnings(p: PatientRecord, dictionary: Dictionary): string[] {
  const out: string[] = []
  const check = (list: Array<{ text: string; where: string }>, domain: 'drugs' | 'vaccines' | 'conditions' | 'procedures') => {
    for (const { text, where } of list) {
      if (!resolveEntry(domain, text, dictionary)) out.push(`${where}: "${text}" is not in the ${domain} dictionary; criteria it may affect stay unknown`)
    }
  }
  check(
    (p.medications ?? []).map((m, i) => ({ text: m.drug, where: `medications[${i}]` })),
    'drugs',
  )
  check(
    (p.vaccinations ?? []).map((v, i) => ({ text: v.vaccine, where: `vaccinations[${i}]` })),
    'vaccines',
  )
  check(
    (p.conditions ?? []).map((c, i) => ({ text: c.concept, where: `conditions[${i}]` })),
    'conditions',
  )
  check(
    (p.procedures ?? []).map((c, i) => ({ text: c.concept, where: `procedures[${i}]` })),
    'procedures',
  )
  ;(p.measurements ?? []).forEach((m, i) => {
    const key = m.concept ?? m.loinc ?? ''
    if (!resolveLabConcept(key, dictionary)) out.push(`measurements[${i}]: concept "${key}" is not in the lab-concept dictionary; it is ignored`)
  })
  return out
}
