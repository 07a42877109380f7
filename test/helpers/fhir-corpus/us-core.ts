/**
 * Writes a story as a US Core 6.1 / 8.0 / 9.0 export: a `searchset` (a
 * Patient/$everything answer: `total`, `link`, `search.mode`) or a
 * `collection` Bundle, relative references (`Patient/<id>`), conditions in
 * the problems-health-concerns or encounter-diagnosis profile (SNOMED CT and
 * often ICD-10-CM), MedicationRequests whose product is a CodeableConcept, a
 * Medication entry (`Medication/<id>`) or a contained Medication (`#med1`),
 * doses with UCUM units and SNOMED routes, pregnancy status observations.
 *
 * Sex: 6.1 writes `gender`, us-core-birthsex (valueCode F/M) and sometimes
 * us-core-sex (valueCode, SNOMED code); 8.0 writes us-core-sex with a
 * valueCoding (SNOMED 248152002 / 248153007); 9.0 writes
 * us-core-individual-sex (http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex,
 * valueCoding). 8.0 and 9.0 patients sometimes carry no `gender` at all.
 */
import { BP, CONDITIONS, ENCOUNTER_TYPES, PREGNANCY_STATUS, SMOKING, SYS, type MedCode } from './codes.ts'
import { instantOf, laterSameDay } from './dates.ts'
import { OBSERVATION_CATEGORY, coding, concept, medicationConcept, observationProfile, quantity, repeatOf, routeConcept, type Json } from './fhir.ts'
import type { CodedFact, CondFact, EncounterModel, Fact, LabFact, MedFact, PatientStory } from './model.ts'
import type { Rng } from './random.ts'
import { SEX_SNOMED, patientTruth, truthOf } from './truth.ts'
import type { CorpusProfile, TruthItem } from './types.ts'

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/'
const BASE = 'https://fhir.example-health.org/r4'

type UsCoreProfile = Exclude<CorpusProfile, 'synthea'>

export function writeUsCore(story: PatientStory, rng: Rng, profile: UsCoreProfile): { bundle: Json; truth: TruthItem[] } {
  return new UsCoreWriter(story, rng, profile).write()
}

class UsCoreWriter {
  private readonly entries: Json[] = []
  private readonly truth: TruthItem[] = []
  private readonly searchset: boolean
  private readonly pref: Json
  private readonly practitionerId: string
  private readonly organizationId: string

  constructor(
    private readonly story: PatientStory,
    private readonly rng: Rng,
    private readonly profile: UsCoreProfile,
  ) {
    this.searchset = rng.chance(0.6)
    this.pref = { reference: `Patient/${story.patient.id}` }
    this.practitionerId = `pr-${rng.digits(6)}`
    this.organizationId = `org-${rng.digits(5)}`
  }

  private add(resource: Json): number {
    const url = `${BASE}/${String(resource.resourceType)}/${String(resource.id)}`
    this.entries.push(
      this.searchset ? { fullUrl: url, resource, search: { mode: resource.resourceType === 'Patient' ? 'match' : 'include' } } : { fullUrl: url, resource },
    )
    return this.entries.length - 1
  }

  private path(i: number): string {
    return `entry[${i}].resource`
  }

  private meta(profile: string): Json {
    return { versionId: '1', lastUpdated: `${this.story.screeningDate}T08:00:00Z`, profile: [`${US_CORE}${profile}`] }
  }

  write(): { bundle: Json; truth: TruthItem[] } {
    const p = this.story.patient
    const genderWritten = !p.sexExtensionOnly
    const i = this.add(this.patient(genderWritten))
    this.truth.push(...patientTruth(p, this.path(i), genderWritten))
    this.add({
      resourceType: 'Organization',
      id: this.organizationId,
      meta: this.meta('us-core-organization'),
      active: true,
      name: 'Example Health Partners',
      identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: `1${this.rng.digits(9)}` }],
    })
    this.add({
      resourceType: 'Practitioner',
      id: this.practitionerId,
      meta: this.meta('us-core-practitioner'),
      identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: `1${this.rng.digits(9)}` }],
      name: [{ family: 'Kuhn', given: ['Gwenda'], prefix: ['Dr.'] }],
    })
    const byEncounter = new Map<EncounterModel, Fact[]>()
    for (const f of this.story.facts) byEncounter.set(f.enc, [...(byEncounter.get(f.enc) ?? []), f])
    for (const enc of this.story.encounters) this.encounter(enc, byEncounter.get(enc) ?? [])
    const bundle: Json = this.searchset
      ? {
          resourceType: 'Bundle',
          id: `everything-${p.id}`,
          meta: { lastUpdated: `${this.story.screeningDate}T08:00:00Z` },
          type: 'searchset',
          total: this.entries.length,
          link: [{ relation: 'self', url: `${BASE}/Patient/${p.id}/$everything` }],
          entry: this.entries,
        }
      : { resourceType: 'Bundle', id: `export-${p.id}`, type: 'collection', timestamp: `${this.story.screeningDate}T08:00:00Z`, entry: this.entries }
    return { bundle, truth: this.truth }
  }

  private patient(genderWritten: boolean): Json {
    const p = this.story.patient
    const snomedSex = SEX_SNOMED[p.sex]
    const omb = (url: string, c: { code: string; display: string }) => ({
      url: `${US_CORE}${url}`,
      extension: [
        { url: 'ombCategory', valueCoding: coding('urn:oid:2.16.840.1.113883.6.238', c.code, c.display) },
        { url: 'text', valueString: c.display },
      ],
    })
    const extension: Json[] = [omb('us-core-race', p.race), omb('us-core-ethnicity', p.ethnicity)]
    if (this.profile === 'us-core-6.1') {
      extension.push({ url: `${US_CORE}us-core-birthsex`, valueCode: p.sex === 'female' ? 'F' : 'M' })
      if (!genderWritten || this.rng.chance(0.3)) extension.push({ url: `${US_CORE}us-core-sex`, valueCode: snomedSex.code })
    } else if (this.profile === 'us-core-8.0') {
      if (this.rng.chance(0.4)) extension.push({ url: `${US_CORE}us-core-birthsex`, valueCode: p.sex === 'female' ? 'F' : 'M' })
      if (!genderWritten || this.rng.chance(0.7))
        extension.push({ url: `${US_CORE}us-core-sex`, valueCoding: coding(SYS.snomed, snomedSex.code, snomedSex.display) })
    } else {
      extension.push({ url: `${US_CORE}us-core-individual-sex`, valueCoding: coding(SYS.snomed, snomedSex.code, snomedSex.display) })
    }
    return {
      resourceType: 'Patient',
      id: p.id,
      meta: this.meta('us-core-patient'),
      extension,
      identifier: [
        {
          use: 'usual',
          type: { coding: [coding('http://terminology.hl7.org/CodeSystem/v2-0203', 'MR', 'Medical Record Number')], text: 'MRN' },
          system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.14',
          value: `E${this.rng.digits(7)}`,
        },
      ],
      active: true,
      name: [{ use: 'official', family: p.family, given: [p.given] }],
      telecom: [{ system: 'phone', value: p.phone, use: 'home' }],
      ...(genderWritten ? { gender: p.sex } : {}),
      birthDate: p.birthDate,
      address: [{ use: 'home', line: [p.line], city: p.city, state: 'MA', postalCode: p.postalCode, country: 'US' }],
      communication: [{ language: { coding: [coding('urn:ietf:bcp:47', 'en', 'English')] }, preferred: true }],
    }
  }

  private encounter(enc: EncounterModel, facts: Fact[]): void {
    const t = ENCOUNTER_TYPES[enc.type]
    const encRef = { reference: `Encounter/${enc.id}` }
    this.add({
      resourceType: 'Encounter',
      id: enc.id,
      meta: this.meta('us-core-encounter'),
      identifier: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.3.698084.8', value: this.rng.digits(9) }],
      status: 'finished',
      class: coding(
        'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        t.class,
        t.class === 'AMB' ? 'ambulatory' : t.class === 'EMER' ? 'emergency' : 'inpatient encounter',
      ),
      type: [concept(SYS.snomed, t.code, t.display, t.display.replace(/ \(procedure\)$/, ''))],
      subject: this.pref,
      participant: [{ individual: { reference: `Practitioner/${this.practitionerId}` } }],
      period: { start: enc.start, end: enc.end },
      serviceProvider: { reference: `Organization/${this.organizationId}` },
    })
    for (const f of facts) {
      switch (f.kind) {
        case 'condition': {
          const i = this.add(this.condition(f, encRef))
          this.truth.push(...truthOf(f, this.path(i), f.abatement ? { end: f.abatement } : {}))
          break
        }
        case 'lab': {
          const i = this.add(this.lab(f, encRef))
          this.truth.push(...truthOf(f, this.path(i)))
          break
        }
        case 'bp': {
          const i = this.add({
            resourceType: 'Observation',
            id: f.id,
            meta: this.meta('us-core-blood-pressure'),
            status: 'final',
            category: [OBSERVATION_CATEGORY['vital-signs']],
            code: concept(SYS.loinc, BP.panel.code, BP.panel.display, 'Blood pressure'),
            subject: this.pref,
            encounter: encRef,
            effectiveDateTime: f.at,
            component: [
              { code: concept(SYS.loinc, BP.systolic.code, BP.systolic.display), valueQuantity: quantity(f.systolic, 'mm[Hg]', 'mmHg') },
              { code: concept(SYS.loinc, BP.diastolic.code, BP.diastolic.display), valueQuantity: quantity(f.diastolic, 'mm[Hg]', 'mmHg') },
            ],
          })
          this.truth.push(...truthOf(f, this.path(i)))
          break
        }
        case 'smoking':
        case 'pregnancy_status': {
          const i = this.add(this.coded(f, encRef))
          this.truth.push(...truthOf(f, this.path(i)))
          break
        }
        case 'procedure': {
          const i = this.add({
            resourceType: 'Procedure',
            id: f.id,
            meta: this.meta('us-core-procedure'),
            status: 'completed',
            code: concept(SYS.snomed, f.proc.code, f.proc.display, f.proc.display.replace(/ \(procedure\)$/, '')),
            subject: this.pref,
            encounter: encRef,
            ...(this.rng.chance(0.5) ? { performedDateTime: f.at } : { performedPeriod: { start: f.at, end: laterSameDay(f.at, f.minutes) } }),
          })
          this.truth.push(...truthOf(f, this.path(i)))
          break
        }
        case 'vaccination': {
          const i = this.add({
            resourceType: 'Immunization',
            id: f.id,
            meta: this.meta('us-core-immunization'),
            status: 'completed',
            vaccineCode: concept(SYS.cvx, f.vax.code, f.vax.display),
            patient: this.pref,
            encounter: encRef,
            occurrenceDateTime: f.at,
            recorded: f.at,
            primarySource: true,
            lotNumber: `${this.rng.pick(['EL', 'FK', 'AB', 'UT'])}${this.rng.digits(4)}`,
          })
          this.truth.push(...truthOf(f, this.path(i)))
          break
        }
        case 'medication': {
          const written = this.medication(f, encRef)
          this.truth.push(...truthOf(f, this.path(written.index), written.end ? { end: written.end } : {}))
          break
        }
      }
    }
  }

  private condition(f: CondFact, encRef: Json): Json {
    const problem = f.category === 'problem-list-item'
    const codings: Json[] = [coding(SYS.snomed, f.cond.code, f.cond.display)]
    if (f.cond.icd10 && this.rng.chance(0.6)) codings.push(coding(SYS.icd10cm, f.cond.icd10.code, f.cond.icd10.display))
    const text = f.cond === CONDITIONS.lupus || f.cond === CONDITIONS.sle ? 'Lupus' : f.cond.display.replace(/ \((disorder|finding|situation)\)$/, '')
    const dateOnly = this.rng.chance(0.3)
    return {
      resourceType: 'Condition',
      id: f.id,
      meta: this.meta(problem ? 'us-core-condition-problems-health-concerns' : 'us-core-condition-encounter-diagnosis'),
      clinicalStatus: {
        coding: [coding('http://terminology.hl7.org/CodeSystem/condition-clinical', f.abatement ? 'resolved' : 'active', f.abatement ? 'Resolved' : 'Active')],
      },
      verificationStatus: { coding: [coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed', 'Confirmed')] },
      category: [
        {
          coding: [
            problem
              ? coding('http://terminology.hl7.org/CodeSystem/condition-category', 'problem-list-item', 'Problem List Item')
              : coding('http://terminology.hl7.org/CodeSystem/condition-category', 'encounter-diagnosis', 'Encounter Diagnosis'),
          ],
        },
      ],
      code: { coding: codings, text },
      subject: this.pref,
      ...(problem ? {} : { encounter: encRef }),
      onsetDateTime: dateOnly ? f.date : f.at,
      ...(f.abatement ? { abatementDateTime: f.abatement } : {}),
      recordedDate: f.at,
    }
  }

  private lab(f: LabFact, encRef: Json): Json {
    const ucumText: Record<string, string> = { 'mL/min/{1.73_m2}': 'mL/min/1.73m2', '[IU]/mL': 'IU/mL', '10*3/uL': 'K/uL', Cel: 'C', '/min': 'beats/minute' }
    const low = f.lab.range[0]
    const high = f.lab.range[1]
    const interp = f.value < low ? 'L' : f.value > high ? 'H' : 'N'
    return {
      resourceType: 'Observation',
      id: f.id,
      meta: this.meta(observationProfile(f.lab.loinc, f.lab.category).slice(US_CORE.length)),
      status: 'final',
      category: [OBSERVATION_CATEGORY[f.lab.category]],
      code: concept(SYS.loinc, f.lab.loinc, f.lab.display, f.lab.display.split(' [')[0]!),
      subject: this.pref,
      encounter: encRef,
      effectiveDateTime: f.at,
      issued: instantOf(laterSameDay(f.at, 90), this.rng),
      valueQuantity: quantity(f.value, f.lab.unit, ucumText[f.lab.unit] ?? f.lab.unit),
      ...(f.lab.category === 'laboratory'
        ? {
            interpretation: [
              {
                coding: [
                  coding(
                    'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
                    interp,
                    interp === 'N' ? 'Normal' : interp === 'H' ? 'High' : 'Low',
                  ),
                ],
              },
            ],
            referenceRange: [{ low: quantity(low, f.lab.unit), high: quantity(high, f.lab.unit) }],
          }
        : {}),
    }
  }

  private coded(f: CodedFact, encRef: Json): Json {
    const code = f.kind === 'smoking' ? SMOKING : PREGNANCY_STATUS
    return {
      resourceType: 'Observation',
      id: f.id,
      meta: this.meta(observationProfile(code.code, 'social-history').slice(US_CORE.length)),
      status: 'final',
      category: [OBSERVATION_CATEGORY['social-history']],
      code: concept(SYS.loinc, code.code, code.display),
      subject: this.pref,
      encounter: encRef,
      effectiveDateTime: f.kind === 'pregnancy_status' && this.rng.chance(0.5) ? f.date : f.at,
      valueCodeableConcept: concept(SYS.snomed, f.answer.code, f.answer.display),
    }
  }

  /** Writes a MedicationRequest or MedicationStatement (and its Medication entry when referenced); returns its index and the end date written. */
  private medication(f: MedFact, encRef: Json): { index: number; end?: string } {
    const med = f.med
    const medConcept = medicationConcept(med, f.textOnly, true)
    let medication: Json
    let contained: Json[] | undefined
    if (f.textOnly !== undefined || f.reference === 'inline') {
      medication = { medicationCodeableConcept: medConcept }
    } else if (f.reference === 'contained') {
      const id = f.containedId ?? 'med1'
      contained = [{ resourceType: 'Medication', id, code: medConcept }]
      medication = { medicationReference: { reference: `#${id}`, display: med.display } }
    } else {
      const id = `med-${med.code}`
      if (!this.entries.some(e => (e.resource as Json).resourceType === 'Medication' && (e.resource as Json).id === id)) {
        this.add({ resourceType: 'Medication', id, meta: this.meta('us-core-medication'), code: medConcept })
      }
      medication = { medicationReference: { reference: `Medication/${id}`, display: med.display } }
    }
    const writeEnd = f.end !== undefined && f.status !== 'active' && this.rng.chance(0.6)
    if (f.resource === 'MedicationStatement') {
      const index = this.add({
        resourceType: 'MedicationStatement',
        id: f.id,
        ...(contained ? { contained } : {}),
        status: f.status === 'active' ? 'active' : 'completed',
        ...medication,
        subject: this.pref,
        context: encRef,
        effectivePeriod: { start: f.date, ...(writeEnd ? { end: f.end } : {}) },
        dateAsserted: f.at,
        informationSource: this.pref,
        dosage: [{ text: f.textOnly ?? this.sig(med) }],
      })
      return { index, ...(writeEnd ? { end: f.end } : {}) }
    }
    const repeat = repeatOf(med.perDay)
    const bounds = writeEnd ? { boundsPeriod: { start: f.date, end: f.end } } : {}
    const index = this.add({
      resourceType: 'MedicationRequest',
      id: f.id,
      meta: this.meta('us-core-medicationrequest'),
      ...(contained ? { contained } : {}),
      status: f.status,
      intent: 'order',
      category: [{ coding: [coding('http://terminology.hl7.org/CodeSystem/medicationrequest-category', 'outpatient', 'Outpatient')] }],
      reportedBoolean: false,
      ...medication,
      subject: this.pref,
      encounter: encRef,
      authoredOn: f.at,
      requester: { reference: `Practitioner/${this.practitionerId}` },
      dosageInstruction: [
        {
          text: this.sig(med),
          ...(repeat || writeEnd ? { timing: { repeat: { ...bounds, ...(repeat ?? {}) } } } : {}),
          ...(f.asNeeded ? { asNeededBoolean: true } : {}),
          route: routeConcept(med),
          ...(med.dose ? { doseAndRate: [{ doseQuantity: quantity(med.dose.value, med.dose.unit) }] } : {}),
        },
      ],
      ...(med.route === 'oral'
        ? { dispenseRequest: { numberOfRepeatsAllowed: this.rng.int(0, 5), quantity: { value: this.rng.pick([30, 60, 90]), unit: 'tablet' } } }
        : {}),
    })
    return { index, ...(writeEnd ? { end: f.end } : {}) }
  }

  private sig(med: MedCode): string {
    const how: Record<string, string> = {
      oral: 'by mouth',
      iv: 'intravenously',
      sc: 'under the skin',
      im: 'into the muscle',
      topical: 'to the affected area',
      ophthalmic: 'in both eyes',
      inhaled: 'by inhalation',
      nasal: 'in each nostril',
      vaginal: 'vaginally',
    }
    const freq =
      med.perDay === undefined
        ? 'as directed'
        : med.perDay === 1
          ? 'once daily'
          : med.perDay === 2
            ? 'twice daily'
            : med.perDay === 3
              ? 'three times daily'
              : med.perDay === 4
                ? 'four times daily'
                : 'once weekly'
    return `${med.dose ? `${med.dose.value} ${med.dose.unit}` : 'Use'} ${how[med.route]} ${freq}`
  }
}
