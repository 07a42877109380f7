/**
 * The clinical story of one generated patient, independent of how it is
 * written: demographics, encounters and the findings of each (medications,
 * conditions, procedures, immunizations, observations). The profile writers
 * (synthea.ts, us-core.ts) turn it into resources and ground truth.
 */
import {
  B_CELL_DEPLETING,
  BIOLOGICS,
  BIOSIMILAR_RITUXIMAB,
  CONDITIONS,
  EGFR_MDRD_ML_MIN,
  EVERYDAY_MEDS,
  EXCLUSION_INFECTIONS,
  EXCLUSION_MEDS,
  IMMUNOSUPPRESSANTS,
  LABS,
  LIVE_VACCINES,
  LUPUS_MEDS,
  MALIGNANCIES,
  MULTI_INGREDIENT_MEDS,
  OTHER_PROCEDURES,
  PLASMAPHERESIS,
  PREGNANCY_STATUS,
  ROUTINE_PROCEDURES,
  SDOH_FINDINGS,
  SMOKING,
  SURGERIES,
  TOPICAL_IMMUNOSUPPRESSANTS,
  VACCINES,
  type CondCode,
  type EncounterType,
  type LabCode,
  type MedCode,
  type ProcCode,
  type VaxCode,
} from './codes.ts'
import { addDays, addYears, clinicTime, daysBetween, laterSameDay, US_OFFSETS, yearOf } from './dates.ts'
import type { Rng } from './random.ts'
import type { CorpusProfile, IncludeItem } from './types.ts'

export interface PatientModel {
  id: string
  sex: 'female' | 'male'
  birthDate: string
  given: string
  family: string
  prefix: string
  maidenName?: string
  line: string
  city: string
  postalCode: string
  lat: number
  lon: number
  race: { code: string; display: string }
  ethnicity: { code: string; display: string }
  marital: { code: string; display: string }
  phone: string
  ssn: string
  mrn: string
  /** Write the sex extension and no `gender`. */
  sexExtensionOnly: boolean
  offset: string
}

export interface Provider {
  npi: string
  name: string
  orgId: string
  orgName: string
  locationName: string
}

export interface EncounterModel {
  id: string
  type: EncounterType
  date: string
  start: string
  end: string
  provider: Provider
  reason?: CondCode
}

interface FactBase {
  id: string
  enc: EncounterModel
  /** dateTime written (on `date`). */
  at: string
  date: string
}
export interface MedFact extends FactBase {
  kind: 'medication'
  med: MedCode
  status: 'active' | 'stopped' | 'completed'
  /** Planned / actual stop date (written by the US Core writer in boundsPeriod.end). */
  end?: string
  resource: 'MedicationRequest' | 'MedicationStatement'
  /** How the product is named: inline CodeableConcept, a Medication entry, or a contained Medication. */
  reference: 'inline' | 'entry' | 'contained'
  containedId?: string
  /** Only text is written (no coding), e.g. "MPA 500 mg"; the product it may be is unknown. */
  textOnly?: string
  asNeeded?: boolean
  reasonId?: string
}
export interface CondFact extends FactBase {
  kind: 'condition'
  cond: CondCode
  abatement?: string
  category: 'encounter-diagnosis' | 'problem-list-item'
}
export interface ProcFact extends FactBase {
  kind: 'procedure'
  proc: ProcCode
  minutes: number
  reasonId?: string
}
export interface VaxFact extends FactBase {
  kind: 'vaccination'
  vax: VaxCode
}
export interface LabFact extends FactBase {
  kind: 'lab'
  lab: LabCode
  value: number
  panel?: string
}
export interface BpFact extends FactBase {
  kind: 'bp'
  systolic: number
  diastolic: number
}
export interface CodedFact extends FactBase {
  kind: 'pregnancy_status' | 'smoking'
  answer: { code: string; display: string }
}
export type Fact = MedFact | CondFact | ProcFact | VaxFact | LabFact | BpFact | CodedFact

export interface PatientStory {
  patient: PatientModel
  encounters: EncounterModel[]
  /** Findings in encounter order. */
  facts: Fact[]
  screeningDate: string
}

const FEMALE_NAMES = [
  'Maria',
  'Jennifer',
  'Aisha',
  'Latoya',
  'Mei',
  'Sofia',
  'Emily',
  'Keisha',
  'Ana',
  'Priya',
  'Rachel',
  'Tamika',
  'Guadalupe',
  'Linh',
  'Hannah',
  'Shanice',
  'Rosa',
  'Olivia',
]
const MALE_NAMES = ['James', 'Carlos', 'Darnell', 'Wei', 'Michael', 'Luis', 'Andre', 'David', 'Hiro', 'Jamal', 'Robert', 'Miguel']
const FAMILY_NAMES = [
  'Johnson',
  'Garcia',
  'Williams',
  'Nguyen',
  'Brown',
  'Rodriguez',
  'Davis',
  'Martinez',
  'Jackson',
  'Chen',
  'Patel',
  'Thompson',
  'Hernandez',
  'Walker',
  'Kim',
  'Lopez',
  'Robinson',
  'Clark',
]
const CITIES: Array<[string, string, number, number]> = [
  ['Boston', '02118', 42.3371, -71.0724],
  ['Worcester', '01605', 42.2917, -71.7893],
  ['Springfield', '01109', 42.1181, -72.5498],
  ['Lowell', '01852', 42.6334, -71.3162],
  ['Cambridge', '02139', 42.3647, -71.1042],
  ['Brockton', '02301', 42.0834, -71.0184],
  ['New Bedford', '02740', 41.6362, -70.9342],
  ['Quincy', '02169', 42.2529, -71.0023],
]
const STREETS = ['Main St', 'Elm St', 'Maple Ave', 'Pleasant St', 'Washington St', 'Park Ave', 'Highland Ave', 'Center St']
/** CDC race and ethnicity code set (urn:oid:2.16.840.1.113883.6.238), as in US Core race/ethnicity extensions. */
const RACES = [
  { code: '2106-3', display: 'White' },
  { code: '2054-5', display: 'Black or African American' },
  { code: '2028-9', display: 'Asian' },
  { code: '1002-5', display: 'American Indian or Alaska Native' },
  { code: '2131-1', display: 'Other Race' },
]
const ETHNICITIES = [
  { code: '2186-5', display: 'Not Hispanic or Latino' },
  { code: '2135-2', display: 'Hispanic or Latino' },
]
const MARITAL = [
  { code: 'M', display: 'Married' },
  { code: 'S', display: 'Never Married' },
  { code: 'D', display: 'Divorced' },
]
const PROVIDERS: Array<[string, string]> = [
  ['PCP123456', 'BOSTON MEDICAL CENTER CORPORATION-'],
  ['ATLANTIC MEDICAL GROUP', 'ATLANTIC MEDICAL GROUP PC'],
  ['UMASS MEMORIAL MEDICAL CENTER', 'UMASS MEMORIAL MEDICAL CENTER INC'],
  ['SIGNATURE HEALTHCARE', 'SIGNATURE HEALTHCARE BROCKTON HOSPITAL'],
]
const CLINICIANS = ['Dr. Gwenda Kuhn', 'Dr. Ramon Ortiz', 'Dr. Susan Whitfield', 'Dr. Kwame Mensah', 'Dr. Yuki Tanaka', 'Dr. Elena Petrova']

/** Builds the story; `rng` is consumed in a fixed order, so a seed gives one story. */
export function buildStory(rng: Rng, profile: CorpusProfile, screeningDate: string, include: readonly IncludeItem[] | undefined): PatientStory {
  const inc = new Set(include ?? [])
  if (inc.has('prostate_metastasis') && inc.has('old_pregnancy_status'))
    throw new Error('prostate_metastasis (male) and old_pregnancy_status (female) cannot be combined')
  const sex: 'female' | 'male' = inc.has('prostate_metastasis') ? 'male' : inc.has('old_pregnancy_status') ? 'female' : rng.chance(0.8) ? 'female' : 'male'
  const age = rng.int(18, 65)
  const birthDate = addDays(addYears(screeningDate, -age), -rng.int(1, 364))
  const city = rng.pick(CITIES)
  const synthea = profile === 'synthea'
  const nameDigits = () => (synthea ? String(rng.int(100, 999)) : '')
  const given = rng.pick(sex === 'female' ? FEMALE_NAMES : MALE_NAMES) + nameDigits()
  const family = rng.pick(FAMILY_NAMES) + nameDigits()
  const marital = rng.pick(MARITAL)
  const offset = rng.pick(US_OFFSETS)
  const patient: PatientModel = {
    id: synthea ? rng.uuid() : `pt-${rng.digits(7)}`,
    sex,
    birthDate,
    given,
    family,
    prefix: sex === 'male' ? 'Mr.' : marital.code === 'M' ? 'Mrs.' : 'Ms.',
    ...(sex === 'female' ? { maidenName: rng.pick(FAMILY_NAMES) + nameDigits() } : {}),
    line: `${rng.int(10, 999)} ${rng.pick(STREETS)}${rng.chance(0.3) ? ` Unit ${rng.int(1, 40)}` : ''}`,
    city: city[0],
    postalCode: city[1],
    lat: city[2] + rng.decimal(-0.02, 0.02, 6),
    lon: city[3] + rng.decimal(-0.02, 0.02, 6),
    race: rng.pick(RACES),
    ethnicity: rng.pick(ETHNICITIES),
    marital,
    phone: `555-${rng.digits(3)}-${rng.digits(4)}`,
    ssn: `999-${rng.digits(2)}-${rng.digits(4)}`,
    mrn: rng.uuid(),
    sexExtensionOnly: inc.has('sex_extension_only') || ((profile === 'us-core-8.0' || profile === 'us-core-9.0') && rng.chance(0.15)),
    offset,
  }
  const providers: Provider[] = PROVIDERS.map(([orgName, locationName]) => ({
    npi: `99999${rng.digits(5)}`,
    name: rng.pick(CLINICIANS),
    orgId: rng.uuid(),
    orgName,
    locationName,
  }))
  const b = new StoryBuilder(rng, profile, patient, providers, screeningDate)

  const adult = addYears(birthDate, 18)
  const historyStart = [addYears(screeningDate, -rng.int(3, 8)), adult].sort().at(-1)!
  const lastVisit = addDays(screeningDate, -rng.int(10, 60))
  b.wellness(historyStart, lastVisit)
  b.chronic(historyStart, lastVisit)
  b.acuteInfections(historyStart, addDays(screeningDate, -120))
  if (rng.chance(sex === 'female' ? 0.4 : 0.2)) b.lupus(historyStart, lastVisit)
  if (sex === 'female' && rng.chance(0.3)) b.contraception(historyStart, lastVisit)
  b.fillMedications(rng.int(3, 40), historyStart, lastVisit)
  if (include === undefined) b.randomExclusions(historyStart)
  if (profile !== 'synthea' && sex === 'female' && rng.chance(0.3)) b.pregnancyStatus(addDays(screeningDate, -rng.int(5, 200)), PREGNANCY_STATUS.notPregnant)
  for (const item of INCLUDE_ORDER) if (inc.has(item)) b.include(item)
  return b.story()
}

const INCLUDE_ORDER: readonly IncludeItem[] = [
  'rituximab_recent',
  'ciclosporin_modified',
  'colon_malignancy',
  'prostate_metastasis',
  'topical_ciclosporin',
  'tacrolimus_ointment',
  'old_pregnancy_status',
  'contained_medication',
  'multi_ingredient',
  'ambiguous_mpa',
  'sirolimus',
  'alemtuzumab',
  'biosimilar_rituximab',
  'creatinine_38483',
  'egfr_mdrd_ml_min',
  'sex_extension_only',
]

class StoryBuilder {
  private readonly encounters: EncounterModel[] = []
  private readonly facts: Fact[] = []
  private readonly synthea: boolean

  constructor(
    private readonly rng: Rng,
    profile: CorpusProfile,
    private readonly patient: PatientModel,
    private readonly providers: Provider[],
    private readonly screening: string,
  ) {
    this.synthea = profile === 'synthea'
  }

  story(): PatientStory {
    const order = new Map(this.encounters.map((e, i) => [e, i]))
    const encounters = [...this.encounters].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : order.get(a)! - order.get(b)!))
    const rank = new Map(encounters.map((e, i) => [e, i]))
    const facts = this.facts
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank.get(a.f.enc)! - rank.get(b.f.enc)! || a.i - b.i)
      .map(x => x.f)
    return { patient: this.patient, encounters, facts, screeningDate: this.screening }
  }

  private id(): string {
    return this.synthea ? this.rng.uuid() : `${this.rng.pick(['e', 'f', 'g', 'h'])}${this.rng.digits(9)}`
  }

  encounter(type: EncounterType, date: string, reason?: CondCode): EncounterModel {
    const start = clinicTime(date, this.rng, this.patient.offset)
    const minutes = type === 'inpatient' ? 600 : type === 'emergency' ? 180 : this.rng.pick([15, 30, 45])
    const enc: EncounterModel = {
      id: this.id(),
      type,
      date,
      start,
      end: laterSameDay(start, minutes),
      provider: this.rng.pick(this.providers),
      ...(reason ? { reason } : {}),
    }
    this.encounters.push(enc)
    return enc
  }

  private base(enc: EncounterModel, date = enc.date): FactBase {
    return { id: this.id(), enc, at: date === enc.date ? laterSameDay(enc.start, this.rng.int(1, 10)) : clinicTime(date, this.rng, this.patient.offset), date }
  }

  med(
    enc: EncounterModel,
    med: MedCode,
    opts: {
      status?: MedFact['status']
      end?: string
      date?: string
      resource?: MedFact['resource']
      reference?: MedFact['reference']
      textOnly?: string
      reasonId?: string
    } = {},
  ): MedFact {
    const reference: MedFact['reference'] =
      opts.reference ?? (this.synthea ? 'inline' : this.rng.chance(0.55) ? 'inline' : this.rng.chance(0.6) ? 'entry' : 'contained')
    const f: MedFact = {
      ...this.base(enc, opts.date),
      kind: 'medication',
      med,
      status: opts.status ?? (opts.end ? 'stopped' : 'active'),
      ...(opts.end ? { end: opts.end } : {}),
      resource: opts.resource ?? 'MedicationRequest',
      reference,
      ...(reference === 'contained' ? { containedId: 'med1' } : {}),
      ...(opts.textOnly ? { textOnly: opts.textOnly } : {}),
      ...(med.perDay === undefined && med.route === 'oral' ? { asNeeded: true } : {}),
      ...(opts.reasonId ? { reasonId: opts.reasonId } : {}),
    }
    this.facts.push(f)
    return f
  }

  cond(enc: EncounterModel, cond: CondCode, abatement?: string, date?: string): CondFact {
    const f: CondFact = {
      ...this.base(enc, date),
      kind: 'condition',
      cond,
      ...(abatement ? { abatement } : {}),
      category: this.synthea || cond.lasts ? 'encounter-diagnosis' : this.rng.chance(0.7) ? 'problem-list-item' : 'encounter-diagnosis',
    }
    this.facts.push(f)
    return f
  }

  proc(enc: EncounterModel, proc: ProcCode, reasonId?: string): ProcFact {
    const f: ProcFact = { ...this.base(enc), kind: 'procedure', proc, minutes: this.rng.pick([10, 15, 20, 30, 90]), ...(reasonId ? { reasonId } : {}) }
    this.facts.push(f)
    return f
  }

  vax(enc: EncounterModel, vax: VaxCode): VaxFact {
    const f: VaxFact = { ...this.base(enc), kind: 'vaccination', vax }
    this.facts.push(f)
    return f
  }

  lab(enc: EncounterModel, lab: LabCode, value?: number, panel?: string): LabFact {
    const f: LabFact = {
      ...this.base(enc),
      kind: 'lab',
      lab,
      value: value ?? this.rng.decimal(lab.range[0], lab.range[1], lab.decimals),
      ...(panel ? { panel } : {}),
    }
    this.facts.push(f)
    return f
  }

  coded(enc: EncounterModel, kind: CodedFact['kind'], answer: { code: string; display: string }): CodedFact {
    const f: CodedFact = { ...this.base(enc), kind, answer }
    this.facts.push(f)
    return f
  }

  vitals(enc: EncounterModel): void {
    const r = this.rng
    this.lab(enc, LABS.height)
    this.lab(enc, LABS.weight)
    this.lab(enc, LABS.bmi)
    this.facts.push({ ...this.base(enc), kind: 'bp', systolic: r.int(102, 148), diastolic: r.int(62, 94) })
    this.lab(enc, LABS.heartRate)
    this.lab(enc, LABS.respiratoryRate)
    if (r.chance(0.5)) this.lab(enc, LABS.pain)
  }

  metabolicPanel(enc: EncounterModel): void {
    for (const lab of [LABS.glucose, LABS.bun, LABS.creatinineBlood, LABS.calcium, LABS.sodium, LABS.potassium, LABS.chloride, LABS.co2])
      this.lab(enc, lab, undefined, '51990-0')
    if (this.synthea || this.rng.chance(0.5)) this.lab(enc, LABS.egfrMdrd)
  }

  /** Yearly wellness visits with vital signs, screenings, social-determinant findings and vaccines. */
  wellness(from: string, to: string): void {
    const r = this.rng
    let date = addDays(from, r.int(0, 120))
    let lastTd = ''
    let sdoh: { fact: CondFact; code: CondCode } | undefined
    while (date <= to) {
      const enc = this.encounter(r.chance(0.8) ? 'wellness' : 'checkup', date)
      this.vitals(enc)
      this.coded(enc, 'smoking', r.pick(SMOKING.answers))
      if (r.chance(0.5)) this.metabolicPanel(enc)
      if (r.chance(0.25)) for (const lab of [LABS.cholesterol, LABS.triglycerides, LABS.ldl, LABS.hdl]) this.lab(enc, lab, undefined, '57698-3')
      if (r.chance(0.3)) for (const lab of [LABS.wbc, LABS.hemoglobin, LABS.hematocrit, LABS.platelets]) this.lab(enc, lab, undefined, '58410-2')
      if (r.chance(0.2)) for (const lab of [LABS.alt, LABS.ast]) this.lab(enc, lab)
      for (const p of r.sample(ROUTINE_PROCEDURES, r.int(1, 3))) this.proc(enc, p)
      if (sdoh && !sdoh.fact.abatement && r.chance(0.6)) sdoh.fact.abatement = date
      if (r.chance(0.45)) {
        const code = r.pick(SDOH_FINDINGS)
        sdoh = { fact: this.cond(enc, code), code }
      }
      if (r.chance(0.6)) this.vax(enc, VACCINES.flu)
      if (!lastTd || daysBetween(lastTd, date) > 3650) {
        if (r.chance(0.5)) this.vax(enc, r.chance(0.5) ? VACCINES.td : VACCINES.tdap)
        lastTd = date
      }
      if (yearOf(date) === 2021 && r.chance(0.7)) {
        this.vax(enc, r.chance(0.5) ? VACCINES.covid30 : VACCINES.covid100)
        this.vax(this.encounter('checkup', addDays(date, 28)), VACCINES.covid30)
      }
      if (r.chance(0.08)) this.vax(enc, r.pick([VACCINES.hepB, VACCINES.hepA, VACCINES.hpv, VACCINES.mening, VACCINES.pcv13, VACCINES.zosterRecombinant]))
      date = addDays(date, r.int(360, 1100))
    }
  }

  /** Chronic conditions with their medications renewed at follow-up visits. */
  chronic(from: string, to: string): void {
    const r = this.rng
    const span = Math.max(daysBetween(from, to), 30)
    const onset = () => addDays(from, r.int(0, span - 1))
    const follow = (start: string, cond: CondCode, meds: MedCode[]) => {
      const enc = this.encounter('problem', start, cond)
      const c = this.cond(enc, cond)
      let d = start
      for (const med of meds) this.med(enc, med, { reasonId: c.id, ...(r.chance(0.3) ? { end: addDays(start, r.int(60, 400)), status: 'stopped' } : {}) })
      while ((d = addDays(d, r.int(150, 400))) <= to && meds.length > 0) {
        const fu = this.encounter('followUp', d, cond)
        for (const med of meds) if (r.chance(0.6)) this.med(fu, med, { reasonId: c.id })
      }
    }
    if (r.chance(0.3)) {
      const meds = r.sample([EVERYDAY_MEDS[0]!, EVERYDAY_MEDS[1]!, EVERYDAY_MEDS[2]!, MULTI_INGREDIENT_MEDS[2]!], r.int(1, 2))
      follow(onset(), CONDITIONS.hypertension, meds)
    }
    if (r.chance(0.25)) this.cond(this.encounter('checkup', onset()), CONDITIONS.prediabetes)
    if (r.chance(0.08)) follow(onset(), CONDITIONS.diabetes2, [EVERYDAY_MEDS[3]!])
    if (r.chance(0.2)) follow(onset(), CONDITIONS.hyperlipidemia, [r.pick([EVERYDAY_MEDS[10]!, EVERYDAY_MEDS[11]!])])
    if (r.chance(0.1)) follow(onset(), CONDITIONS.asthma, [EVERYDAY_MEDS[20]!, EVERYDAY_MEDS[21]!])
    if (r.chance(0.1)) this.cond(this.encounter('checkup', onset()), CONDITIONS.anemia)
    if (r.chance(0.25)) this.cond(this.encounter('checkup', onset()), CONDITIONS.obesity)
    if (r.chance(0.05)) this.cond(this.encounter('checkup', onset()), CONDITIONS.chronicSinusitis)
  }

  /** Everyday acute infections, ended well before screening. */
  acuteInfections(from: string, to: string): void {
    const r = this.rng
    if (to <= from) return
    const span = daysBetween(from, to)
    for (let n = r.int(0, 4); n > 0; n--) {
      const cond = r.pick([CONDITIONS.viralSinusitis, CONDITIONS.viralPharyngitis, CONDITIONS.bronchitis, CONDITIONS.strepThroat])
      const date = addDays(from, r.int(0, span))
      const enc = this.encounter(r.chance(0.5) ? 'symptom' : 'problem', date, cond)
      const c = this.cond(enc, cond, addDays(date, r.int(cond.lasts![0], cond.lasts![1])))
      if (cond === CONDITIONS.strepThroat) this.proc(enc, OTHER_PROCEDURES[1]!, c.id)
      if (r.chance(0.5)) {
        const med =
          cond === CONDITIONS.strepThroat ? EVERYDAY_MEDS[8]! : r.pick([EVERYDAY_MEDS[7]!, MULTI_INGREDIENT_MEDS[1]!, EVERYDAY_MEDS[4]!, EVERYDAY_MEDS[6]!])
        this.med(enc, med, { end: addDays(date, 10), status: 'stopped', reasonId: c.id })
      }
    }
  }

  /** Lupus (and lupus nephritis) with nephrology follow-up panels. */
  lupus(from: string, to: string): void {
    const r = this.rng
    const onset = addDays(from, r.int(0, Math.max(daysBetween(from, to) - 200, 1)))
    const enc = this.encounter('problem', onset, CONDITIONS.lupus)
    const c = this.cond(enc, this.synthea ? CONDITIONS.lupus : r.chance(0.7) ? CONDITIONS.sle : CONDITIONS.lupus)
    this.med(enc, LUPUS_MEDS[0]!, { reasonId: c.id })
    this.med(enc, LUPUS_MEDS[1]!, { reasonId: c.id, end: addDays(onset, r.int(14, 60)), status: 'stopped' })
    if (r.chance(0.5)) this.med(enc, LUPUS_MEDS[2]!, { reasonId: c.id })
    const nephritis = r.chance(0.5)
    if (nephritis) this.cond(this.encounter('consultation', addDays(onset, r.int(30, 150)), CONDITIONS.lupusNephritis), CONDITIONS.lupusNephritis)
    const upcr = r.chance(0.5) ? LABS.upcr : LABS.upcrGg
    let d = addDays(onset, r.int(20, 90))
    for (let visits = r.int(2, 6); visits > 0 && d <= to; visits--) {
      const fu = this.encounter('followUp', d, c.cond)
      this.lab(fu, upcr, nephritis ? undefined : upcr.unit === 'mg/g' ? r.int(40, 250) : r.decimal(0.04, 0.25, 2))
      this.lab(fu, LABS.creatinineSerum)
      this.lab(fu, LABS.c3)
      this.lab(fu, LABS.c4)
      this.lab(fu, LABS.antiDsDna)
      if (r.chance(0.6)) this.lab(fu, LABS.egfrCkdEpi)
      d = addDays(d, r.int(60, 200))
    }
  }

  contraception(from: string, to: string): void {
    const r = this.rng
    const enc = this.encounter('checkup', addDays(from, r.int(0, Math.max(daysBetween(from, to), 1))))
    this.med(enc, r.pick(EVERYDAY_MEDS.filter(m => m.sex === 'female')))
  }

  /** Everyday medications until the bundle has `target` medication resources. */
  fillMedications(target: number, from: string, to: string): void {
    const r = this.rng
    const span = Math.max(daysBetween(from, to), 1)
    const pool = EVERYDAY_MEDS.filter(m => !m.sex || m.sex === this.patient.sex)
    let count = this.facts.filter(f => f.kind === 'medication').length
    while (count < target) {
      const date = addDays(from, r.int(0, span))
      const enc = this.encounter(r.pick(['checkup', 'symptom', 'followUp'] as const), date)
      for (let k = r.int(1, 3); k > 0 && count < target; k--, count++) {
        const med = r.chance(0.1) ? r.pick(MULTI_INGREDIENT_MEDS) : r.pick(pool)
        this.med(enc, med, r.chance(0.5) ? { end: addDays(date, r.int(7, 300)), status: 'stopped' } : {})
      }
    }
  }

  /** Each exclusion-relevant kind with a seeded probability of about 15-25 %. */
  randomExclusions(from: string): void {
    const r = this.rng
    const s = this.screening
    const before = (lo: number, hi: number) => addDays(s, -r.int(lo, hi))
    if (r.chance(0.18)) {
      const date = before(14, 720)
      const enc = this.encounter('consultation', date)
      this.med(enc, r.pick(B_CELL_DEPLETING), { status: this.synthea ? 'stopped' : 'completed', end: date })
    }
    if (r.chance(0.22)) {
      const date = before(14, 900)
      const active = r.chance(0.5)
      const end = [addDays(date, r.int(30, 400)), addDays(s, -1)].sort()[0]!
      this.med(this.encounter('followUp', date), r.pick(IMMUNOSUPPRESSANTS), active ? {} : { end, status: 'stopped' })
    }
    if (r.chance(0.15)) {
      const date = before(10, 600)
      this.med(this.encounter('followUp', date), r.pick(BIOLOGICS), r.chance(0.5) ? {} : { end: addDays(date, r.int(30, 200)), status: 'stopped' })
    }
    if (r.chance(0.18)) {
      const cond = r.pick(MALIGNANCIES.filter(m => !m.sex || m.sex === this.patient.sex))
      const date = [before(200, 3000), from].sort().at(-1)!
      const enc = this.encounter('consultation', date, cond)
      const c = this.cond(enc, cond, r.chance(0.3) ? addDays(date, r.int(200, 600)) : undefined)
      if (cond === CONDITIONS.colonCancer || cond === CONDITIONS.colonOverlapping)
        this.proc(this.encounter('inpatient', addDays(date, r.int(10, 40)), cond), SURGERIES[2]!, c.id)
    }
    if (r.chance(0.2)) {
      const cond = r.pick(EXCLUSION_INFECTIONS)
      const date = before(3, 700)
      const enc = this.encounter(cond === CONDITIONS.pneumonia ? 'emergency' : 'problem', date, cond)
      const end = cond.lasts ? addDays(date, r.int(cond.lasts[0], cond.lasts[1])) : undefined
      this.cond(enc, cond, end && end < s ? end : undefined)
    }
    if (r.chance(0.18)) this.proc(this.encounter('inpatient', before(10, 1500)), r.pick(SURGERIES))
    if (r.chance(0.15)) {
      const enc = this.encounter('inpatient', before(10, 700))
      this.proc(enc, PLASMAPHERESIS)
    }
    if (r.chance(0.18)) this.vax(this.encounter('checkup', before(10, 1500)), r.pick(LIVE_VACCINES))
    if (this.patient.sex === 'female' && r.chance(0.15)) {
      if (this.synthea) {
        const date = before(20, 400)
        const end = addDays(date, r.int(180, 270))
        this.cond(this.encounter('checkup', date, CONDITIONS.pregnancy), CONDITIONS.pregnancy, end < s ? end : undefined)
      } else {
        this.pregnancyStatus(before(3, 120), PREGNANCY_STATUS.pregnant)
      }
    }
    if (r.chance(0.1)) {
      const topical = r.pick(Object.values(TOPICAL_IMMUNOSUPPRESSANTS))
      this.med(this.encounter('checkup', before(20, 500)), topical)
    }
  }

  pregnancyStatus(date: string, answer: { code: string; display: string }): void {
    this.coded(this.encounter('checkup', date), 'pregnancy_status', answer)
  }

  include(item: IncludeItem): void {
    const r = this.rng
    const s = this.screening
    switch (item) {
      case 'rituximab_recent': {
        const date = addDays(s, -42)
        this.med(this.encounter('consultation', date), EXCLUSION_MEDS.rituxan, { status: this.synthea ? 'stopped' : 'completed', end: date })
        return
      }
      case 'ciclosporin_modified': {
        const date = addDays(s, -r.int(14, 70))
        this.med(this.encounter('followUp', date), EXCLUSION_MEDS.ciclosporinModified, { status: 'active' })
        return
      }
      case 'colon_malignancy': {
        const cond = r.chance(0.5) ? CONDITIONS.colonOverlapping : CONDITIONS.colonCancer
        const date = addDays(s, -r.int(400, 1800))
        this.cond(this.encounter('consultation', date, cond), cond)
        return
      }
      case 'prostate_metastasis': {
        const date = addDays(s, -r.int(300, 1500))
        this.cond(this.encounter('consultation', date, CONDITIONS.prostateMetastasis), CONDITIONS.prostateMetastasis)
        return
      }
      case 'topical_ciclosporin':
        this.med(this.encounter('checkup', addDays(s, -r.int(20, 80))), TOPICAL_IMMUNOSUPPRESSANTS.restasis, { status: 'active' })
        return
      case 'tacrolimus_ointment':
        this.med(this.encounter('checkup', addDays(s, -r.int(20, 80))), TOPICAL_IMMUNOSUPPRESSANTS.protopic, { status: 'active' })
        return
      case 'old_pregnancy_status':
        this.pregnancyStatus(`2022-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`, PREGNANCY_STATUS.pregnant)
        return
      case 'contained_medication': {
        const f = this.med(this.encounter('followUp', addDays(s, -r.int(30, 70))), EXCLUSION_MEDS.mmf, { status: 'active', reference: 'contained' })
        f.containedId = 'med2'
        return
      }
      case 'multi_ingredient':
        this.med(this.encounter('symptom', addDays(s, -r.int(20, 200))), MULTI_INGREDIENT_MEDS[0]!, { end: addDays(s, -10), status: 'stopped' })
        return
      case 'ambiguous_mpa':
        this.med(
          this.encounter('checkup', addDays(s, -r.int(20, 60))),
          { code: '', display: 'MPA 500 mg', concept: null, route: 'oral' },
          {
            status: 'active',
            resource: 'MedicationStatement',
            reference: 'inline',
            textOnly: 'MPA 500 mg',
          },
        )
        return
      case 'sirolimus':
        this.med(this.encounter('followUp', addDays(s, -r.int(20, 70))), EXCLUSION_MEDS.sirolimus, { status: 'active' })
        return
      case 'alemtuzumab': {
        const date = addDays(s, -r.int(60, 160))
        this.med(this.encounter('consultation', date), EXCLUSION_MEDS.alemtuzumab, { status: this.synthea ? 'stopped' : 'completed', end: date })
        return
      }
      case 'biosimilar_rituximab': {
        const date = addDays(s, -r.int(30, 150))
        this.med(this.encounter('consultation', date), r.pick(BIOSIMILAR_RITUXIMAB), { status: this.synthea ? 'stopped' : 'completed', end: date })
        return
      }
      case 'creatinine_38483':
        this.lab(this.encounter('followUp', addDays(s, -r.int(5, 30))), LABS.creatinineBlood, r.decimal(0.7, 1.4, 2))
        return
      case 'egfr_mdrd_ml_min':
        this.lab(this.encounter('followUp', addDays(s, -r.int(5, 30))), EGFR_MDRD_ML_MIN, r.decimal(55, 110, 1))
        return
      case 'sex_extension_only':
        this.patient.sexExtensionOnly = true
        return
    }
  }

  /** A padding visit: vital signs and a metabolic panel (written with claims by the Synthea writer). */
  padding(date: string): void {
    const enc = this.encounter(this.rng.chance(0.7) ? 'followUp' : 'checkup', date)
    this.vitals(enc)
    this.metabolicPanel(enc)
    if (this.rng.chance(0.3)) for (const lab of [LABS.wbc, LABS.hemoglobin, LABS.hematocrit, LABS.platelets]) this.lab(enc, lab, undefined, '58410-2')
    this.proc(enc, ROUTINE_PROCEDURES[0]!)
  }
}

/** Padding visits on `count` dates spread over the patient's adult years before screening (a separate stream: the base story is unchanged). */
export function paddingStory(rng: Rng, profile: CorpusProfile, base: PatientStory, count: number): PatientStory {
  const providers: Provider[] = [
    { npi: `99999${rng.digits(5)}`, name: rng.pick(CLINICIANS), orgId: rng.uuid(), orgName: PROVIDERS[0]![0], locationName: PROVIDERS[0]![1] },
  ]
  const b = new StoryBuilder(rng, profile, base.patient, providers, base.screeningDate)
  const from = [addYears(base.screeningDate, -10), addYears(base.patient.birthDate, 18)].sort().at(-1)!
  const span = Math.max(daysBetween(from, base.screeningDate) - 7, 1)
  for (let i = 0; i < count; i++) b.padding(addDays(from, rng.int(0, span)))
  return b.story()
}

/** Merges padding visits into a story, in date order. */
export function mergeStories(base: PatientStory, extra: PatientStory): PatientStory {
  const encounters = [...base.encounters, ...extra.encounters].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
  const rank = new Map(encounters.map((e, i) => [e, i]))
  const facts = [...base.facts, ...extra.facts]
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank.get(a.f.enc)! - rank.get(b.f.enc)! || a.i - b.i)
    .map(x => x.f)
  return { ...base, encounters, facts }
}
