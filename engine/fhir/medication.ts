/**
 * MedicationStatement and MedicationRequest: the drug by ATC code, RxNorm
 * ingredient or product code, or by reading its product name into
 * ingredients (every ingredient of a combination product becomes its own
 * entry); dates, whether still taken, the route and the first dose. An
 * ingredient that no dictionary drug matches is kept as unrecognised, so
 * exposure criteria it could decide stay unknown.
 */
import type { CodeableConcept, Dosage, Medication, MedicationRequest, MedicationStatement, Reference, Resource } from '@medplum/fhirtypes'
import { entryNames } from '../dictionary/index.ts'
import { ROUTES, isSystemicRoute, routeBySnomed, type RouteInfo } from '../dictionary/routes.ts'
import type { IsoDate, MedicationRecord, UnrecognisedEntry } from '../types.ts'
import { SYSTEMS, codings, conceptCodes, conceptText, conceptTexts } from './codes.ts'
import type { ImportContext, Where } from './context.ts'
import { drugConcept, type DrugConcept } from './drug-concept.ts'

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
  const start = ctx.date(
    where,
    [
      { sub: 'effectiveDateTime', value: ms.effectiveDateTime },
      { sub: 'effectivePeriod.start', value: ms.effectivePeriod?.start },
    ],
    'start date',
    { required: true, imported: true },
  )
  const stop = ctx.date(where, [{ sub: 'effectivePeriod.end', value: ms.effectivePeriod?.end }], 'stop date', { required: false, imported: true })
  importMedication(ctx, where, {
    concept: medicationConcept(ctx, where, ms, ms.medicationCodeableConcept, ms.medicationReference),
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
  const stop = ctx.date(where, [{ sub: 'dosageInstruction[0].timing.repeat.boundsPeriod.end', value: bounds?.end }], 'stop date', {
    required: false,
    imported: true,
  })
  importMedication(ctx, where, {
    concept: medicationConcept(ctx, where, mr, mr.medicationCodeableConcept, mr.medicationReference),
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

/**
 * The medication's code: inline, or from the Medication a reference names —
 * contained in the resource (`#med1`) or an entry of the bundle. A Medication
 * without a code but with coded ingredients is read through them.
 */
function medicationConcept(
  ctx: ImportContext,
  where: Where,
  resource: Resource,
  cc: CodeableConcept | undefined,
  ref: Reference | undefined,
): MedicationInput['concept'] {
  if (cc) return { cc, sub: 'medicationCodeableConcept' }
  if (ref?.reference) {
    const med = ref.reference.startsWith('#')
      ? (resource as { contained?: Resource[] }).contained?.find(r => r?.resourceType === 'Medication' && `#${r.id}` === ref.reference)
      : ctx.byReference.get(ref.reference)
    if (med?.resourceType === 'Medication')
      return { cc: codeOfMedication(med as Medication), sub: ref.reference.startsWith('#') ? `contained(${ref.reference})` : 'medicationReference' }
    ctx.miss(
      where,
      'medicationReference',
      'UNRESOLVED_REFERENCE',
      `${ref.reference} is not a Medication ${ref.reference.startsWith('#') ? 'contained in the resource' : 'in the bundle'}${ref.display ? ` ("${ref.display}")` : ''}`,
    )
    // the display still says what was taken: keep it, unrecognised
    if (ref.display) return { cc: { text: ref.display }, sub: 'medicationReference.display' }
    return undefined
  }
  if (ref?.display) return { cc: { text: ref.display }, sub: 'medicationReference.display' }
  ctx.miss(where, 'medication[x]', 'MISSING_VALUE', 'no medication code or reference')
  return undefined
}

/** A Medication's code, or its ingredients' codes joined as one product when it has no code. */
function codeOfMedication(med: Medication): CodeableConcept | undefined {
  if (med.code && (codings(med.code).length > 0 || med.code.text)) return med.code
  const parts = (med.ingredient ?? []).map(i => i.itemCodeableConcept).filter((c): c is CodeableConcept => c !== undefined)
  if (parts.length === 0) return med.code
  const names = parts.map(p => conceptTexts(p)[0]).filter((t): t is string => t !== undefined)
  return { coding: parts.flatMap(p => codings(p)), ...(names.length ? { text: names.join(' / ') } : {}) }
}

function importMedication(ctx: ImportContext, where: Where, input: MedicationInput): void {
  if (!input.concept) return
  const { cc, sub } = input.concept
  const concept = drugConcept(cc, ctx.dict)
  const dosage = chooseDosage(ctx, where, input)
  const route = routeOf(ctx, where, dosage, concept)
  const dates: Pick<MedicationRecord, 'start' | 'stop' | 'ongoing'> = {}
  if (input.start) dates.start = input.start
  if (input.stop) dates.stop = input.stop
  if (input.status === 'active') dates.ongoing = true
  else if (['completed', 'stopped', 'on-hold'].includes(input.status)) dates.ongoing = false
  // an active statement with an end date in its period: the end is planned, the drug still taken
  if (dates.ongoing && dates.stop) delete dates.stop
  const local = route && !route.systemic ? `${route.route}: not systemic exposure` : undefined

  if (!concept) {
    const codes = conceptCodes(cc)
    keepDrug(
      ctx,
      where,
      sub,
      {
        text: codes.join(', ') || '(no code or text)',
        ...(codes.length ? { codes } : {}),
        reason: 'no known code and no name to read',
        ...dates,
        ...(route ? { route: route.route } : {}),
      },
      'UNKNOWN_CODE',
      `no drug in the dictionary matches ${conceptText(cc)}`,
    )
    return
  }
  const single = concept.ingredients.length === 1
  for (const ing of concept.ingredients) {
    const of = single ? '' : ` (an ingredient of ${concept.product ?? conceptTexts(cc)[0] ?? 'a combination product'})`
    if (!ing.entry) {
      const codes = conceptCodes(cc)
      const item: Omit<UnrecognisedEntry, 'source'> = {
        text: single ? (concept.product ?? conceptTexts(cc)[0] ?? ing.name) : `${ing.name}${of}`,
        ...(codes.length ? { codes } : {}),
        ...(ing.candidates ? { possibly: ing.candidates } : {}),
        reason: ing.candidates
          ? `"${ing.name}" may be ${entryNames('drugs', ing.candidates, ctx.dict).join(' or ')}`
          : `"${ing.name}" is not in the drug dictionary`,
        ...dates,
        ...(route ? { route: route.route } : {}),
      }
      if (ing.candidates)
        keepDrug(
          ctx,
          where,
          sub,
          item,
          'AMBIGUOUS_NAME',
          `"${ing.name}"${of} is ambiguous: ${entryNames('drugs', ing.candidates, ctx.dict).join(' or ')}; kept unrecognised with every candidate`,
        )
      else keepDrug(ctx, where, sub, item, 'UNKNOWN_CODE', `no drug in the dictionary matches "${ing.name}"${of} (${conceptText(cc)})`)
      continue
    }
    const m: MedicationRecord = { drug: ing.entry.id, ...dates }
    if (route) m.route = route.route
    const list = (ctx.record.medications ??= [])
    const target = `medications[${list.length}]`
    // a dose belongs to one ingredient: a combination product's dose is not split
    const dose = single ? doseOf(ctx, where, input, dosage) : undefined
    if (dose) m.doses = [dose]
    const notes = [
      concept.match === 'name' ? `matched by name to ${ing.entry.name}${of}; check it` : single ? undefined : `${ing.entry.name}${of}`,
      concept.product && concept.match === 'code' ? `RxNorm product ${concept.product}` : undefined,
      local,
      input.note,
    ].filter(Boolean)
    ctx.hit(where, target, concept.match, concept.matched, notes.length ? notes.join('; ') : undefined, sub)
    list.push(m)
  }
}

function keepDrug(
  ctx: ImportContext,
  where: Where,
  sub: string,
  item: Omit<UnrecognisedEntry, 'source'>,
  reason: 'UNKNOWN_CODE' | 'AMBIGUOUS_NAME',
  message: string,
): void {
  const local = !isSystemicRoute(item.route)
  ctx.keep(
    where,
    sub,
    'medications',
    item,
    reason,
    local
      ? `${message}; given by the ${item.route} route, so not systemic exposure`
      : `${message}; the exposure criteria it could decide stay unknown — review it`,
  )
}

interface ChosenDosage {
  dosage?: Dosage
  /** Its path, e.g. `dosageInstruction[0]`. */
  at: string
}

/** The dosage the dose is read from: the first with a dose quantity, else the first. */
function chooseDosage(ctx: ImportContext, where: Where, input: MedicationInput): ChosenDosage {
  const i = input.dosages.findIndex(d => d.doseAndRate?.[0]?.doseQuantity !== undefined)
  const dosage = i >= 0 ? input.dosages[i]! : input.dosages[0]
  const at = `${input.dosageField}[${Math.max(i, 0)}]`
  if (dosage && i >= 0 && input.dosages.length > 1)
    ctx.miss(where, input.dosageField, 'UNSUPPORTED_VALUE', `${input.dosages.length} dosages: only ${at} was imported`, true)
  return { ...(dosage ? { dosage } : {}), at }
}

/** The route: the dosage's SNOMED CT route code, else what the product's dose form implies. */
function routeOf(ctx: ImportContext, where: Where, chosen: ChosenDosage, concept: DrugConcept | undefined): RouteInfo | undefined {
  const route = chosen.dosage?.route
  for (const c of codings(route)) {
    const r = c.system === SYSTEMS.snomed && c.code ? routeBySnomed(c.code) : undefined
    if (r) return r
  }
  if (route)
    ctx.miss(
      where,
      `${chosen.at}.route`,
      'UNKNOWN_CODE',
      `route ${conceptText(route)} is not a SNOMED CT route the import knows (${ROUTES.filter(r => r.snomed.length)
        .map(r => r.route)
        .join(', ')})${concept?.route ? `; the dose form says ${concept.route.route}` : ''}`,
      true,
    )
  return concept?.route
}

/** The first dose, from the chosen dosage, dated from the start. */
function doseOf(ctx: ImportContext, where: Where, input: MedicationInput, chosen: ChosenDosage): NonNullable<MedicationRecord['doses']>[number] | undefined {
  const { dosage, at } = chosen
  const q = dosage?.doseAndRate?.[0]?.doseQuantity
  if (!dosage || !q) return undefined
  if (q.system !== SYSTEMS.ucum || !q.code || typeof q.value !== 'number') {
    ctx.miss(
      where,
      `${at}.doseAndRate[0].doseQuantity`,
      q.system !== SYSTEMS.ucum || !q.code ? 'UNIT_NOT_UCUM' : 'MISSING_VALUE',
      `dose ${q.value ?? '?'} ${q.unit ?? q.code ?? ''}: a dose needs a number and a UCUM unit code; not imported`,
      true,
    )
    return undefined
  }
  if (!input.start) {
    ctx.miss(where, `${at}.doseAndRate[0].doseQuantity`, 'MISSING_DATE', 'the dose has no start date to count from; not imported', true)
    return undefined
  }
  const frequency = frequencyOf(dosage)
  if (frequency === undefined && dosage.timing)
    ctx.miss(
      where,
      `${at}.timing`,
      'UNSUPPORTED_VALUE',
      'dosing frequency not recognised (1-4 times a day, every other day or weekly); the dose is imported without it',
      true,
    )
  return { date: input.start, amount: q.value, unit: q.code, ...(frequency ? { frequency } : {}) }
}

function frequencyOf(d: Dosage): string | undefined {
  const r = d.timing?.repeat
  if (!r || r.frequency === undefined || r.period === undefined || !r.periodUnit) return undefined
  const days = PERIOD_DAYS[r.periodUnit]
  if (!days || r.period <= 0) return undefined
  const perDay = r.frequency / (r.period * days)
  return FREQUENCY_WORDS.find(([n]) => Math.abs(n - perDay) < 1e-9)?.[1]
}
