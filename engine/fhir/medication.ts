/**
 * MedicationStatement and MedicationRequest: the drug by ATC code or by name
 * through the drug dictionary (RxNorm is not in the dictionary, so an RxNorm
 * coding matches by its display, reported as a name match), dates, whether
 * still taken, and the first dose.
 */
import type { CodeableConcept, Dosage, Medication, MedicationRequest, MedicationStatement, Reference } from '@medplum/fhirtypes'
import type { IsoDate, MedicationRecord } from '../types.ts'
import { SYSTEMS, codings, conceptText, matchEntry } from './codes.ts'
import type { ImportContext, Where } from './context.ts'

/** FHIR R4 medication-statement-status / medicationrequest-status values that mean "not taken" or "not real". */
const STATEMENT_EXCLUDED: Record<string, string> = {
  'entered-in-error': 'entered in error',
  'not-taken': 'not taken',
  intended: 'intended, not yet taken',
}
const REQUEST_EXCLUDED: Record<string, string> = {
  'entered-in-error': 'entered in error',
  cancelled: 'cancelled before it was taken',
  draft: 'a draft, not an order',
}
/** medicationrequest-intent values that are not orders. */
const REQUEST_NOT_ORDER = new Set(['proposal', 'plan', 'option'])

/**
 * SNOMED CT route codes of the FHIR R4 route-codes example value set → the
 * record's route words (26643006 Oral, 47625008 Intravenous, 34206005
 * Subcutaneous, 78421000 Intramuscular; verify).
 */
const ROUTES: Record<string, string> = { '26643006': 'oral', '47625008': 'iv', '34206005': 'sc', '78421000': 'im' }

/** UCUM time units of Timing.repeat.periodUnit in days. */
const PERIOD_DAYS: Record<string, number> = { h: 1 / 24, d: 1, wk: 7, mo: 30, a: 365 }
/** Administrations per day → the phrase the dose calculator reads (engine/calculators/dose-frequency.ts). */
const FREQUENCY_WORDS: Array<[number, string]> = [
  [1, 'daily'],
  [2, 'twice daily'],
  [3, 'three times daily'],
  [4, 'four times daily'],
  [0.5, 'every other day'],
  [1 / 7, 'weekly'],
]

export function importMedicationStatement(ctx: ImportContext, where: Where, ms: MedicationStatement): void {
  if (ctx.otherPatient(where, 'subject', ms.subject)) return
  const status = ms.status ?? ''
  if (STATEMENT_EXCLUDED[status]) {
    ctx.miss(where, 'status', 'EXCLUDED_STATUS', `status "${status}": ${STATEMENT_EXCLUDED[status]}`)
    return
  }
  const start = ctx.date(where, [{ sub: 'effectiveDateTime', value: ms.effectiveDateTime }, { sub: 'effectivePeriod.start', value: ms.effectivePeriod?.start }], 'start date', { required: true, imported: true })
  const stop = ctx.date(where, [{ sub: 'effectivePeriod.end', value: ms.effectivePeriod?.end }], 'stop date', { required: false, imported: true })
  importMedication(ctx, where, {
    concept: medicationConcept(ctx, where, ms.medicationCodeableConcept, ms.medicationReference),
    status,
    start: start.date,
    stop: stop.date,
    dosages: ms.dosage ?? [],
    dosageField: 'dosage',
  })
}

export function importMedicationRequest(ctx: ImportContext, where: Where, mr: MedicationRequest): void {
  if (ctx.otherPatient(where, 'subject', mr.subject)) return
  const status = mr.status ?? ''
  if (REQUEST_EXCLUDED[status]) {
    ctx.miss(where, 'status', 'EXCLUDED_STATUS', `status "${status}": ${REQUEST_EXCLUDED[status]}`)
    return
  }
  if (mr.intent && REQUEST_NOT_ORDER.has(mr.intent)) {
    ctx.miss(where, 'intent', 'EXCLUDED_STATUS', `intent "${mr.intent}": not an order, so not a medication taken`)
    return
  }
  const bounds = mr.dosageInstruction?.[0]?.timing?.repeat?.boundsPeriod
  const start = ctx.date(
    where,
    [
      { sub: 'dosageInstruction[0].timing.repeat.boundsPeriod.start', value: bounds?.start },
      { sub: 'authoredOn', value: mr.authoredOn },
    ],
    'start date',
    { required: true, imported: true },
  )
  const stop = ctx.date(where, [{ sub: 'dosageInstruction[0].timing.repeat.boundsPeriod.end', value: bounds?.end }], 'stop date', { required: false, imported: true })
  importMedication(ctx, where, {
    concept: medicationConcept(ctx, where, mr.medicationCodeableConcept, mr.medicationReference),
    status,
    start: start.date,
    stop: stop.date,
    dosages: mr.dosageInstruction ?? [],
    dosageField: 'dosageInstruction',
    note: start.sub === 'authoredOn' ? 'start is the prescription date (authoredOn)' : undefined,
  })
}

interface MedicationInput {
  concept: { cc: CodeableConcept | undefined; sub: string } | undefined
  status: string
  start: IsoDate | undefined
  stop: IsoDate | undefined
  dosages: Dosage[]
  dosageField: string
  note?: string | undefined
}

/** The medication's code: inline, or from the Medication resource a reference names. */
function medicationConcept(ctx: ImportContext, where: Where, cc: CodeableConcept | undefined, ref: Reference | undefined): MedicationInput['concept'] {
  if (cc) return { cc, sub: 'medicationCodeableConcept' }
  if (ref?.reference) {
    const med = ctx.byReference.get(ref.reference)
    if (med?.resourceType === 'Medication') return { cc: (med as Medication).code, sub: 'medicationReference' }
    ctx.miss(where, 'medicationReference', 'UNRESOLVED_REFERENCE', `${ref.reference} is not a Medication in the bundle${ref.display ? ` ("${ref.display}")` : ''}`)
    return undefined
  }
  if (ref?.display) return { cc: { text: ref.display }, sub: 'medicationReference.display' }
  ctx.miss(where, 'medication[x]', 'MISSING_VALUE', 'no medication code or reference')
  return undefined
}

function importMedication(ctx: ImportContext, where: Where, input: MedicationInput): void {
  if (!input.concept) return
  const found = matchEntry('drugs', input.concept.cc, ctx.dict)
  if (!found) {
    const systems = codings(input.concept.cc).map((c) => c.system)
    const hint = systems.includes(SYSTEMS.rxnorm) ? ' (RxNorm codes match by their display name)' : ''
    ctx.miss(where, input.concept.sub, 'UNKNOWN_CODE', `no drug in the dictionary matches ${conceptText(input.concept.cc)}${hint}`)
    return
  }
  const m: MedicationRecord = { drug: found.entry.id }
  if (input.start) m.start = input.start
  if (input.stop) m.stop = input.stop
  if (input.status === 'active') m.ongoing = true
  else if (['completed', 'stopped', 'on-hold'].includes(input.status)) m.ongoing = false
  // an active statement with an end date in its period: the end is planned, the drug still taken
  if (m.ongoing && m.stop) delete m.stop
  const list = (ctx.record.medications ??= [])
  const target = `medications[${list.length}]`
  const dose = doseOf(ctx, where, input, target)
  if (dose.route) m.route = dose.route
  if (dose.entry) m.doses = [dose.entry]
  const notes = [found.match === 'name' ? `matched by name to ${found.entry.name}; check it` : undefined, input.note].filter(Boolean)
  ctx.hit(where, target, found.match, found.matched, notes.length ? notes.join('; ') : undefined, input.concept.sub)
  list.push(m)
}

function doseOf(ctx: ImportContext, where: Where, input: MedicationInput, target: string): { entry?: NonNullable<MedicationRecord['doses']>[number]; route?: string } {
  const i = input.dosages.findIndex((d) => d.doseAndRate?.[0]?.doseQuantity !== undefined)
  const dosage = i >= 0 ? input.dosages[i]! : input.dosages[0]
  const at = `${input.dosageField}[${Math.max(i, 0)}]`
  if (!dosage) return {}
  if (i >= 0 && input.dosages.length > 1) ctx.miss(where, input.dosageField, 'UNSUPPORTED_VALUE', `${input.dosages.length} dosages: only ${at} was imported into ${target}`, true)
  const routeCode = codings(dosage.route).find((c) => c.system === SYSTEMS.snomed && c.code && ROUTES[c.code])?.code
  const route = routeCode ? ROUTES[routeCode] : undefined
  if (dosage.route && !route) ctx.miss(where, `${at}.route`, 'UNKNOWN_CODE', `route ${conceptText(dosage.route)} is not one the import knows (oral, intravenous, subcutaneous, intramuscular)`, true)
  const q = dosage.doseAndRate?.[0]?.doseQuantity
  if (!q) return route ? { route } : {}
  if (q.system !== SYSTEMS.ucum || !q.code || typeof q.value !== 'number') {
    ctx.miss(where, `${at}.doseAndRate[0].doseQuantity`, q.system !== SYSTEMS.ucum || !q.code ? 'UNIT_NOT_UCUM' : 'MISSING_VALUE', `dose ${q.value ?? '?'} ${q.unit ?? q.code ?? ''}: a dose needs a number and a UCUM unit code; not imported`, true)
    return route ? { route } : {}
  }
  if (!input.start) {
    ctx.miss(where, `${at}.doseAndRate[0].doseQuantity`, 'MISSING_DATE', 'the dose has no start date to count from; not imported', true)
    return route ? { route } : {}
  }
  const frequency = frequencyOf(dosage)
  if (frequency === undefined && dosage.timing) ctx.miss(where, `${at}.timing`, 'UNSUPPORTED_VALUE', 'dosing frequency not recognised (1-4 times a day, every other day or weekly); the dose is imported without it', true)
  return { route, entry: { date: input.start, amount: q.value, unit: q.code, ...(frequency ? { frequency } : {}) } }
}

function frequencyOf(d: Dosage): string | undefined {
  const r = d.timing?.repeat
  if (!r || r.frequency === undefined || r.period === undefined || !r.periodUnit) return undefined
  const days = PERIOD_DAYS[r.periodUnit]
  if (!days || r.period <= 0) return undefined
  const perDay = r.frequency / (r.period * days)
  return FREQUENCY_WORDS.find(([n]) => Math.abs(n - perDay) < 1e-9)?.[1]
}
