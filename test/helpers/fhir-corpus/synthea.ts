/**
 * Writes a story as a Synthea R4 patient bundle: a `transaction` Bundle whose
 * entries have `fullUrl: "urn:uuid:…"` and `request: { method: "POST", url:
 * <ResourceType> }`; references to the patient and encounters by urn:uuid,
 * to practitioners, organizations and locations by conditional reference
 * (`Practitioner?identifier=…`), as Synthea does when the hospital file is
 * exported apart. Per encounter: Encounter, Condition, Observation,
 * DiagnosticReport, Procedure, MedicationRequest (+ pharmacy Claim and
 * ExplanationOfBenefit), Immunization, DocumentReference, Claim,
 * ExplanationOfBenefit; a Provenance closes the bundle.
 */
import { BP, ENCOUNTER_TYPES, PREGNANCY_STATUS, SMOKING, SYS } from './codes.ts'
import { addDays, instantOf, laterSameDay } from './dates.ts'
import { OBSERVATION_CATEGORY, base64, coding, concept, medicationConcept, observationProfile, quantity, repeatOf, type Json } from './fhir.ts'
import type { CodedFact, EncounterModel, Fact, LabFact, MedFact, PatientStory, Provider } from './model.ts'
import type { Rng } from './random.ts'
import { patientTruth, truthOf } from './truth.ts'
import type { TruthItem } from './types.ts'

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/'
const SYNTHEA_ID = 'https://github.com/synthetichealth/synthea'
const PANELS: Record<string, string> = {
  '51990-0': 'Basic metabolic panel - Blood',
  '57698-3': 'Lipid panel with direct LDL - Serum or Plasma',
  '58410-2': 'CBC panel - Blood by Automated count',
}
const PAYERS = ['Medicaid', 'Medicare', 'Blue Cross Blue Shield', 'Aetna', 'UnitedHealthcare', 'NO_INSURANCE']

export function writeSynthea(story: PatientStory, rng: Rng): { bundle: Json; truth: TruthItem[] } {
  const w = new SyntheaWriter(story, rng)
  return w.write()
}

class SyntheaWriter {
  private readonly entries: Json[] = []
  private readonly truth: TruthItem[] = []
  private readonly pref: Json
  private readonly payer: string

  constructor(
    private readonly story: PatientStory,
    private readonly rng: Rng,
  ) {
    const p = story.patient
    this.pref = { reference: `urn:uuid:${p.id}`, display: `${p.prefix} ${p.given} ${p.family}` }
    this.payer = rng.pick(PAYERS)
  }

  private add(resource: Json): number {
    this.entries.push({ fullUrl: `urn:uuid:${String(resource.id)}`, resource, request: { method: 'POST', url: String(resource.resourceType) } })
    return this.entries.length - 1
  }

  private path(i: number): string {
    return `entry[${i}].resource`
  }

  write(): { bundle: Json; truth: TruthItem[] } {
    const i = this.add(this.patient())
    this.truth.push(...patientTruth(this.story.patient, this.path(i), !this.story.patient.sexExtensionOnly))
    const byEncounter = new Map<EncounterModel, Fact[]>()
    for (const f of this.story.facts) {
      const list = byEncounter.get(f.enc)
      if (list) list.push(f)
      else byEncounter.set(f.enc, [f])
    }
    for (const enc of this.story.encounters) this.encounter(enc, byEncounter.get(enc) ?? [])
    this.add(this.provenance())
    return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: this.entries }, truth: this.truth }
  }

  private patient(): Json {
    const p = this.story.patient
    const r = this.rng
    const extension: Json[] = [
      {
        url: `${US_CORE}us-core-race`,
        extension: [
          { url: 'ombCategory', valueCoding: coding('urn:oid:2.16.840.1.113883.6.238', p.race.code, p.race.display) },
          { url: 'text', valueString: p.race.display },
        ],
      },
      {
        url: `${US_CORE}us-core-ethnicity`,
        extension: [
          { url: 'ombCategory', valueCoding: coding('urn:oid:2.16.840.1.113883.6.238', p.ethnicity.code, p.ethnicity.display) },
          { url: 'text', valueString: p.ethnicity.display },
        ],
      },
      ...(p.maidenName
        ? [
            {
              url: 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName',
              valueString: `${r.pick(['Mary', 'Linda', 'Rosa', 'Grace'])} ${p.maidenName}`,
            },
          ]
        : []),
      { url: `${US_CORE}us-core-birthsex`, valueCode: p.sex === 'female' ? 'F' : 'M' },
      ...(p.sexExtensionOnly ? [{ url: `${US_CORE}us-core-sex`, valueCode: p.sex === 'female' ? '248152002' : '248153007' }] : []),
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: p.city, state: 'Massachusetts', country: 'US' } },
      { url: 'http://synthetichealth.github.io/synthea/disability-adjusted-life-years', valueDecimal: r.decimal(0, 3, 6) },
      { url: 'http://synthetichealth.github.io/synthea/quality-adjusted-life-years', valueDecimal: r.decimal(15, 60, 6) },
    ]
    const type = (code: string, display: string) => ({ coding: [coding('http://terminology.hl7.org/CodeSystem/v2-0203', code, display)], text: display })
    return {
      resourceType: 'Patient',
      id: p.id,
      meta: { profile: [`${US_CORE}us-core-patient`] },
      text: {
        status: 'generated',
        div: `<div xmlns="http://www.w3.org/1999/xhtml">Generated by <a href="https://github.com/synthetichealth/synthea">Synthea</a>.Version identifier: v3.3.0-100-g2b7f1f8\n .   Person seed: ${String(r.int(1e9, 9e9))}  Population seed: 1700000000000</div>`,
      },
      extension,
      identifier: [
        { system: SYNTHEA_ID, value: p.id },
        { type: type('MR', 'Medical Record Number'), system: 'http://hospital.smarthealthit.org', value: p.mrn },
        { type: type('SS', 'Social Security Number'), system: 'http://hl7.org/fhir/sid/us-ssn', value: p.ssn },
        { type: type('DL', "Driver's license number"), system: 'urn:oid:2.16.840.1.113883.4.3.25', value: `S99${r.digits(6)}` },
      ],
      name: [{ use: 'official', family: p.family, given: [p.given], prefix: [p.prefix] }],
      telecom: [{ system: 'phone', value: p.phone, use: 'home' }],
      ...(p.sexExtensionOnly ? {} : { gender: p.sex }),
      birthDate: p.birthDate,
      address: [
        {
          extension: [
            {
              url: 'http://hl7.org/fhir/StructureDefinition/geolocation',
              extension: [
                { url: 'latitude', valueDecimal: p.lat },
                { url: 'longitude', valueDecimal: p.lon },
              ],
            },
          ],
          line: [p.line],
          city: p.city,
          state: 'MA',
          postalCode: p.postalCode,
          country: 'US',
        },
      ],
      maritalStatus: { coding: [coding('http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', p.marital.code, p.marital.display)], text: p.marital.display },
      multipleBirthBoolean: false,
      communication: [{ language: { coding: [coding('urn:ietf:bcp:47', 'en-US', 'English (United States)')], text: 'English (United States)' } }],
    }
  }

  private practitioner(pr: Provider): Json {
    return { reference: `Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|${pr.npi}`, display: pr.name }
  }
  private organization(pr: Provider): Json {
    return { reference: `Organization?identifier=${SYNTHEA_ID}|${pr.orgId}`, display: pr.orgName }
  }
  private location(pr: Provider): Json {
    return { reference: `Location?identifier=${SYNTHEA_ID}|${pr.orgId}`, display: pr.locationName }
  }

  private encounter(enc: EncounterModel, facts: Fact[]): void {
    const t = ENCOUNTER_TYPES[enc.type]
    const encRef = { reference: `urn:uuid:${enc.id}` }
    this.add({
      resourceType: 'Encounter',
      id: enc.id,
      meta: { profile: [`${US_CORE}us-core-encounter`] },
      identifier: [{ use: 'official', system: SYNTHEA_ID, value: enc.id }],
      status: 'finished',
      class: coding('http://terminology.hl7.org/CodeSystem/v3-ActCode', t.class),
      type: [concept(SYS.snomed, t.code, t.display)],
      subject: this.pref,
      participant: [
        {
          type: [{ coding: [coding('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'PPRF', 'primary performer')], text: 'primary performer' }],
          period: { start: enc.start, end: enc.end },
          individual: this.practitioner(enc.provider),
        },
      ],
      period: { start: enc.start, end: enc.end },
      ...(enc.reason ? { reasonCode: [concept(SYS.snomed, enc.reason.code, enc.reason.display)] } : {}),
      location: [{ location: this.location(enc.provider) }],
      serviceProvider: this.organization(enc.provider),
    })
    const conditionIds: string[] = []
    const claimItems: Array<{ code: Json; net: number }> = [{ code: concept(SYS.snomed, t.code, t.display), net: this.rng.decimal(80, 420, 2) }]
    for (const f of facts) {
      if (f.kind !== 'condition') continue
      conditionIds.push(f.id)
      const i = this.add({
        resourceType: 'Condition',
        id: f.id,
        meta: { profile: [`${US_CORE}us-core-condition-encounter-diagnosis`] },
        clinicalStatus: { coding: [coding('http://terminology.hl7.org/CodeSystem/condition-clinical', f.abatement ? 'resolved' : 'active')] },
        verificationStatus: { coding: [coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed')] },
        category: [{ coding: [coding('http://terminology.hl7.org/CodeSystem/condition-category', 'encounter-diagnosis', 'Encounter Diagnosis')] }],
        code: concept(SYS.snomed, f.cond.code, f.cond.display),
        subject: { reference: this.pref.reference },
        encounter: encRef,
        onsetDateTime: f.at,
        ...(f.abatement ? { abatementDateTime: `${f.abatement}${f.at.slice(10)}` } : {}),
        recordedDate: f.at,
      })
      this.truth.push(...truthOf(f, this.path(i), f.abatement ? { end: f.abatement } : {}))
    }
    const panels = new Map<string, LabFact[]>()
    for (const f of facts) {
      if (f.kind === 'lab') {
        const i = this.add(this.labObservation(f, encRef))
        this.truth.push(...truthOf(f, this.path(i)))
        if (f.panel) panels.set(f.panel, [...(panels.get(f.panel) ?? []), f])
      } else if (f.kind === 'bp') {
        const i = this.add({
          resourceType: 'Observation',
          id: f.id,
          meta: { profile: [`${US_CORE}us-core-blood-pressure`, 'http://hl7.org/fhir/StructureDefinition/bp'] },
          status: 'final',
          category: [OBSERVATION_CATEGORY['vital-signs']],
          code: concept(SYS.loinc, BP.panel.code, BP.panel.display, 'Blood pressure panel with all children optional'),
          subject: { reference: this.pref.reference },
          encounter: encRef,
          effectiveDateTime: f.at,
          issued: instantOf(f.at, this.rng),
          component: [
            { code: concept(SYS.loinc, BP.diastolic.code, BP.diastolic.display), valueQuantity: quantity(f.diastolic, 'mm[Hg]') },
            { code: concept(SYS.loinc, BP.systolic.code, BP.systolic.display), valueQuantity: quantity(f.systolic, 'mm[Hg]') },
          ],
        })
        this.truth.push(...truthOf(f, this.path(i)))
      } else if (f.kind === 'smoking' || f.kind === 'pregnancy_status') {
        const i = this.add(this.codedObservation(f, encRef))
        this.truth.push(...truthOf(f, this.path(i)))
      }
    }
    for (const [code, labs] of panels) {
      const first = labs[0]!
      this.add({
        resourceType: 'DiagnosticReport',
        id: this.rng.uuid(),
        meta: { profile: [`${US_CORE}us-core-diagnosticreport-lab`] },
        status: 'final',
        category: [{ coding: [coding('http://terminology.hl7.org/CodeSystem/v2-0074', 'LAB', 'Laboratory')] }],
        code: concept(SYS.loinc, code, PANELS[code] ?? code),
        subject: { reference: this.pref.reference },
        encounter: encRef,
        effectiveDateTime: first.at,
        issued: instantOf(first.at, this.rng),
        result: labs.map(l => ({ reference: `urn:uuid:${l.id}`, display: l.lab.display })),
      })
    }
    for (const f of facts) {
      if (f.kind !== 'procedure') continue
      const i = this.add({
        resourceType: 'Procedure',
        id: f.id,
        meta: { profile: [`${US_CORE}us-core-procedure`] },
        status: 'completed',
        code: concept(SYS.snomed, f.proc.code, f.proc.display),
        subject: { reference: this.pref.reference },
        encounter: encRef,
        performedPeriod: { start: f.at, end: laterSameDay(f.at, f.minutes) },
        location: this.location(enc.provider),
        ...(f.reasonId ? { reasonReference: [{ reference: `urn:uuid:${f.reasonId}` }] } : {}),
      })
      this.truth.push(...truthOf(f, this.path(i)))
      claimItems.push({ code: concept(SYS.snomed, f.proc.code, f.proc.display), net: this.rng.decimal(200, 2400, 2) })
    }
    for (const f of facts) {
      if (f.kind !== 'medication') continue
      const i = this.add(f.resource === 'MedicationStatement' ? this.statement(f, encRef) : this.medicationRequest(f, enc, encRef))
      this.truth.push(...truthOf(f, this.path(i)))
      if (f.resource === 'MedicationRequest' && !f.textOnly)
        this.claimPair(enc, 'pharmacy', [{ code: concept(SYS.rxnorm, f.med.code, f.med.display), net: this.rng.decimal(5, 900, 2) }], [], f.id)
    }
    for (const f of facts) {
      if (f.kind !== 'vaccination') continue
      const i = this.add({
        resourceType: 'Immunization',
        id: f.id,
        meta: { profile: [`${US_CORE}us-core-immunization`] },
        status: 'completed',
        vaccineCode: concept(SYS.cvx, f.vax.code, f.vax.display),
        patient: { reference: this.pref.reference },
        encounter: encRef,
        occurrenceDateTime: f.at,
        primarySource: true,
        location: this.location(enc.provider),
      })
      this.truth.push(...truthOf(f, this.path(i)))
      claimItems.push({ code: concept(SYS.cvx, f.vax.code, f.vax.display), net: 140.52 })
    }
    this.add(this.note(enc, facts, encRef))
    this.claimPair(enc, enc.type === 'inpatient' ? 'institutional' : 'professional', claimItems, conditionIds)
  }

  private labObservation(f: LabFact, encRef: Json): Json {
    return {
      resourceType: 'Observation',
      id: f.id,
      meta: { profile: [observationProfile(f.lab.loinc, f.lab.category)] },
      status: 'final',
      category: [OBSERVATION_CATEGORY[f.lab.category]],
      code: concept(SYS.loinc, f.lab.loinc, f.lab.display),
      subject: { reference: this.pref.reference },
      encounter: encRef,
      effectiveDateTime: f.at,
      issued: instantOf(f.at, this.rng),
      valueQuantity: quantity(f.value, f.lab.unit, f.lab.unitText),
    }
  }

  private codedObservation(f: CodedFact, encRef: Json): Json {
    const code = f.kind === 'smoking' ? SMOKING : PREGNANCY_STATUS
    return {
      resourceType: 'Observation',
      id: f.id,
      meta: { profile: [observationProfile(code.code, 'social-history')] },
      status: 'final',
      category: [OBSERVATION_CATEGORY[f.kind === 'smoking' ? 'survey' : 'social-history']],
      code: concept(SYS.loinc, code.code, code.display),
      subject: { reference: this.pref.reference },
      encounter: encRef,
      effectiveDateTime: f.at,
      issued: instantOf(f.at, this.rng),
      valueCodeableConcept: concept(SYS.snomed, f.answer.code, f.answer.display),
    }
  }

  private medicationRequest(f: MedFact, enc: EncounterModel, encRef: Json): Json {
    const repeat = repeatOf(f.med.perDay)
    const medication =
      f.reference === 'contained'
        ? {
            contained: [{ resourceType: 'Medication', id: f.containedId ?? 'med1', code: medicationConcept(f.med, f.textOnly, true) }],
            medicationReference: { reference: `#${f.containedId ?? 'med1'}`, display: f.med.display },
          }
        : { medicationCodeableConcept: medicationConcept(f.med, f.textOnly, true) }
    const { contained, ...rest } = medication as { contained?: Json[] } & Json
    return {
      resourceType: 'MedicationRequest',
      id: f.id,
      meta: { profile: [`${US_CORE}us-core-medicationrequest`] },
      ...(contained ? { contained } : {}),
      status: f.status === 'completed' ? 'stopped' : f.status,
      intent: 'order',
      category: [{ coding: [coding('http://terminology.hl7.org/CodeSystem/medicationrequest-category', 'community', 'Community')], text: 'Community' }],
      ...rest,
      subject: { reference: this.pref.reference },
      encounter: encRef,
      authoredOn: f.at,
      requester: this.practitioner(enc.provider),
      ...(f.reasonId ? { reasonReference: [{ reference: `urn:uuid:${f.reasonId}` }] } : {}),
      dosageInstruction: [
        repeat
          ? {
              sequence: 1,
              timing: { repeat },
              asNeededBoolean: false,
              doseAndRate: [
                { type: { coding: [coding('http://terminology.hl7.org/CodeSystem/dose-rate-type', 'ordered', 'Ordered')] }, doseQuantity: { value: 1.0 } },
              ],
            }
          : { sequence: 1, asNeededBoolean: true },
      ],
    }
  }

  private statement(f: MedFact, encRef: Json): Json {
    return {
      resourceType: 'MedicationStatement',
      id: f.id,
      status: f.status === 'active' ? 'active' : 'completed',
      medicationCodeableConcept: medicationConcept(f.med, f.textOnly, true),
      subject: { reference: this.pref.reference },
      context: encRef,
      effectivePeriod: { start: f.at },
      dateAsserted: f.at,
    }
  }

  private note(enc: EncounterModel, facts: Fact[], encRef: Json): Json {
    const p = this.story.patient
    const lines = [
      `${enc.date}`,
      '',
      '# Chief Complaint',
      enc.reason ? `- ${enc.reason.display}` : 'No complaints.',
      '',
      '# History of Present Illness',
      `${p.given} is a ${p.sex === 'female' ? 'female' : 'male'} patient seen for ${ENCOUNTER_TYPES[enc.type].display.toLowerCase()}.`,
      '',
      '# Assessment and Plan',
      ...facts.filter(f => f.kind === 'condition').map(f => `Patient is presenting with ${f.kind === 'condition' ? f.cond.display.toLowerCase() : ''}.`),
      '',
      '## Plan',
      ...facts.filter(f => f.kind === 'medication').map(f => `Prescribed medications: ${f.kind === 'medication' ? (f.textOnly ?? f.med.display) : ''}`),
      ...facts.filter(f => f.kind === 'procedure').map(f => `The following procedures were conducted: ${f.kind === 'procedure' ? f.proc.display : ''}`),
    ]
    return {
      resourceType: 'DocumentReference',
      id: this.rng.uuid(),
      meta: { profile: [`${US_CORE}us-core-documentreference`] },
      identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${enc.id}` }],
      status: 'superseded',
      type: { coding: [coding(SYS.loinc, '34117-2', 'History and physical note'), coding(SYS.loinc, '51847-2', 'Evaluation + Plan note')] },
      category: [{ coding: [coding('http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', 'clinical-note', 'Clinical Note')] }],
      subject: { reference: this.pref.reference },
      date: instantOf(enc.start, this.rng),
      author: [this.practitioner(enc.provider)],
      custodian: this.organization(enc.provider),
      content: [
        {
          attachment: { contentType: 'text/plain; charset=utf-8', data: base64(lines.join('\n')) },
          format: coding('http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', 'urn:ihe:iti:xds:2017:mimeTypeSufficient', 'mimeType Sufficient'),
        },
      ],
      context: { encounter: [encRef], period: { start: enc.start, end: enc.end } },
    }
  }

  /** A Claim and its ExplanationOfBenefit (Synthea writes a pair per encounter and per prescription). */
  private claimPair(
    enc: EncounterModel,
    type: 'professional' | 'institutional' | 'pharmacy',
    items: Array<{ code: Json; net: number }>,
    conditionIds: string[],
    prescriptionId?: string,
  ): void {
    const claimId = this.rng.uuid()
    const total = Math.round(items.reduce((s, x) => s + x.net, 0) * 100) / 100
    const claimType = { coding: [coding('http://terminology.hl7.org/CodeSystem/claim-type', type)] }
    const period = { start: enc.start, end: enc.end }
    const encRef = { reference: `urn:uuid:${enc.id}` }
    const diagnosis = conditionIds.map((id, k) => ({ sequence: k + 1, diagnosisReference: { reference: `urn:uuid:${id}` } }))
    this.add({
      resourceType: 'Claim',
      id: claimId,
      status: 'active',
      type: claimType,
      use: 'claim',
      patient: this.pref,
      billablePeriod: period,
      created: enc.end,
      provider: this.organization(enc.provider),
      priority: { coding: [coding('http://terminology.hl7.org/CodeSystem/processpriority', 'normal')] },
      facility: this.location(enc.provider),
      ...(prescriptionId ? { prescription: { reference: `urn:uuid:${prescriptionId}` } } : {}),
      ...(diagnosis.length ? { diagnosis } : {}),
      insurance: [{ sequence: 1, focal: true, coverage: { display: this.payer } }],
      item: items.map((x, k) => ({ sequence: k + 1, productOrService: x.code, encounter: [encRef], net: { value: x.net, currency: 'USD' } })),
      total: { value: total, currency: 'USD' },
    })
    const paid = Math.round(total * this.rng.decimal(0.5, 0.9, 2) * 100) / 100
    const adjudication = (code: string, display: string, value: number) => ({
      category: { coding: [coding('https://bluebutton.cms.gov/resources/codesystem/adjudication', code, display)] },
      amount: { value, currency: 'USD' },
    })
    this.add({
      resourceType: 'ExplanationOfBenefit',
      id: this.rng.uuid(),
      contained: [
        {
          resourceType: 'ServiceRequest',
          id: 'referral',
          status: 'completed',
          intent: 'order',
          subject: { reference: this.pref.reference },
          requester: this.practitioner(enc.provider),
          performer: [this.practitioner(enc.provider)],
        },
        {
          resourceType: 'Coverage',
          id: 'coverage',
          status: 'active',
          type: { text: this.payer },
          beneficiary: { reference: this.pref.reference },
          payor: [{ display: this.payer }],
        },
      ],
      identifier: [
        { system: 'https://bluebutton.cms.gov/resources/variables/clm_id', value: claimId },
        { system: 'https://bluebutton.cms.gov/resources/identifier/claim-group', value: '99999999999' },
      ],
      status: 'active',
      type: claimType,
      use: 'claim',
      patient: { reference: this.pref.reference },
      billablePeriod: period,
      created: enc.end,
      insurer: { display: this.payer },
      provider: this.practitioner(enc.provider),
      referral: { reference: '#referral' },
      facility: this.location(enc.provider),
      claim: { reference: `urn:uuid:${claimId}` },
      outcome: 'complete',
      careTeam: [
        {
          sequence: 1,
          provider: this.practitioner(enc.provider),
          role: { coding: [coding('http://terminology.hl7.org/CodeSystem/claimcareteamrole', 'primary', 'Primary provider')] },
        },
      ],
      ...(diagnosis.length
        ? { diagnosis: diagnosis.map(d => ({ ...d, type: [{ coding: [coding('http://terminology.hl7.org/CodeSystem/ex-diagnosistype', 'principal')] }] })) }
        : {}),
      insurance: [{ focal: true, coverage: { reference: '#coverage', display: this.payer } }],
      item: items.map((x, k) => ({
        sequence: k + 1,
        category: { coding: [coding('https://bluebutton.cms.gov/resources/variables/line_cms_type_srvc_cd', '1', 'Medical care')] },
        productOrService: x.code,
        servicedPeriod: period,
        locationCodeableConcept: { coding: [coding('http://terminology.hl7.org/CodeSystem/ex-serviceplace', '19', 'Off Campus-Outpatient Hospital')] },
        encounter: [encRef],
        net: { value: x.net, currency: 'USD' },
        adjudication: [
          adjudication('https://bluebutton.cms.gov/resources/variables/line_coinsrnc_amt', 'Line Beneficiary Coinsurance Amount', Math.round(x.net * 20) / 100),
          adjudication('https://bluebutton.cms.gov/resources/variables/line_sbmtd_chrg_amt', 'Line Submitted Charge Amount', x.net),
        ],
      })),
      total: [
        {
          category: { coding: [coding('http://terminology.hl7.org/CodeSystem/adjudication', 'submitted', 'Submitted Amount')], text: 'Submitted Amount' },
          amount: { value: total, currency: 'USD' },
        },
      ],
      payment: { amount: { value: paid, currency: 'USD' } },
    })
  }

  private provenance(): Json {
    const last = this.story.encounters.at(-1)
    const recorded = last ? instantOf(last.end, this.rng) : `${addDays(this.story.screeningDate, -1)}T12:00:00.000-05:00`
    const pr = last?.provider
    return {
      resourceType: 'Provenance',
      id: this.rng.uuid(),
      meta: { profile: [`${US_CORE}us-core-provenance`] },
      target: this.entries.map(e => ({ reference: String(e.fullUrl) })),
      recorded,
      agent: pr
        ? [
            {
              type: { coding: [coding('http://terminology.hl7.org/CodeSystem/provenance-participant-type', 'author', 'Author')], text: 'Author' },
              who: this.practitioner(pr),
              onBehalfOf: this.organization(pr),
            },
            {
              type: {
                coding: [coding('http://terminology.hl7.org/CodeSystem/provenance-participant-type', 'transmitter', 'Transmitter')],
                text: 'Transmitter',
              },
              who: this.practitioner(pr),
              onBehalfOf: this.organization(pr),
            },
          ]
        : [],
    }
  }
}
