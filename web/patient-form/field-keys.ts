/**
 * The bridge between what the engine says is missing (`MissingData.key`:
 * `acr_1997.malar_rash`, `measurement:urine_protein_creatinine_ratio`,
 * `dates.screening`, `attestations.willing_to_comply`, `medications`…) and
 * the form: each key has one stable DOM id on the field that collects it,
 * and the label the form shows, so "Still needed" reads in the form's words
 * and links to the field.
 */
import { ACR_1997_LABELS, BOOLEAN_FACTS } from './catalogue.ts'
import { EVENT_SECTIONS, type EventSection, type PatientFormFields } from './fields.ts'

/** The form's titles of its list sections (one home: the form and "Still needed" both read them). */
export const SECTION_NAMES: Record<EventSection, { title: string; item: string; none: string }> = {
  medications: { title: 'Medications', item: 'Medication', none: 'No medications' },
  conditions: { title: 'Conditions', item: 'Condition', none: 'No conditions' },
  procedures: { title: 'Procedures', item: 'Procedure', none: 'No procedures' },
  vaccinations: { title: 'Vaccinations', item: 'Vaccination', none: 'No vaccinations' },
}

/** First letter up, except in a name written with its capitals (`eGFR`, `pH`). */
export const cap = (s: string) => (/^[a-z][A-Z]/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1))

/**
 * The DOM id of the field that collects a missing-data key: `f-` and the key
 * with anything but letters, digits, `_` and `-` as `-`.
 *
 * @example fieldId('acr_1997.malar_rash') // 'f-acr_1997-malar_rash'
 */
export const fieldId = (key: string): string => `f-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`

/**
 * The key a form field collects, for each kind of field (the same keys the
 * engine's facts write in `MissingData.key`).
 */
export const fieldKey = {
  birthDate: 'birth_date',
  sex: 'sex',
  date: (name: string) => `dates.${name}`,
  fact: (name: string) => name,
  acr: (item: string) => `acr_1997.${item}`,
  attestation: (name: string) => `attestations.${name}`,
  measurement: (concept: string) => `measurement:${concept}`,
  pregnancyTest: (specimen: string) => `pregnancy_test:${specimen}`,
  section: (section: EventSection) => section,
}

/**
 * The form's label for a missing-data key, or undefined when the form has
 * no field for it (the engine's description is then shown as it is).
 *
 * @example fieldLabel('acr_1997.malar_rash', fields) // 'Malar rash (ACR 1997)'
 */
export function fieldLabel(key: string, f: PatientFormFields): string | undefined {
  if (key === fieldKey.birthDate) return f.birthDate ? 'Date of birth' : undefined
  if (key === fieldKey.sex) return f.sex ? 'Sex' : undefined
  if (key.startsWith('dates.')) {
    const d = f.referenceDates.find(x => x.name === key.slice(6))
    return d ? `${cap(d.label)} date` : undefined
  }
  if (key.startsWith('acr_1997.')) {
    const label = ACR_1997_LABELS[key.slice(9) as keyof typeof ACR_1997_LABELS]
    return f.acr1997 && label ? `${label} (ACR 1997)` : undefined
  }
  if (key.startsWith('attestations.')) return f.attestations.find(a => a.name === key.slice(13))?.question
  if (key.startsWith('measurement:')) {
    const [concept, extra] = key.slice(12).split(':')
    const m = f.measurements.find(x => x.concept === concept)
    return m && !extra ? cap(m.name) : undefined
  }
  if (key.startsWith('pregnancy_test:')) {
    const specimen = key.slice(15)
    return f.pregnancyTests.some(t => t.specimen === specimen) ? `${cap(specimen)} pregnancy test` : undefined
  }
  if ((EVENT_SECTIONS as readonly string[]).includes(key))
    return f.events[key as EventSection] ? `${SECTION_NAMES[key as EventSection].title} (every entry, or none)` : undefined
  if (BOOLEAN_FACTS[key]) return f.facts.some(x => x.name === key) ? BOOLEAN_FACTS[key]!.label : undefined
  return undefined
}
