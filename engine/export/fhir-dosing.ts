/**
 * Each arm's interventions: one ActivityDefinition (a MedicationRequest to
 * be: product, route, dose, one cycle's Timing) and one PlanDefinition
 * action placing it in the study (first dose after the reference date, one
 * child action per cycle when there are several, as Timing has no cycles).
 * Parameters are resolved to their numbers here.
 */
import type { Arm, Intervention, NumberOrParam } from '../types.ts'
import { isParamRef, resolveNumber } from '../compile/resolve.ts'
import { defaultDictionary } from '../dictionary/index.ts'
import { humanUnit } from '../describe/index.ts'
import type { FhirContext } from './fhir-context.ts'
import { actionKey, afterStartOf, offsetOfDay } from './fhir-actions.ts'
import { ACTIVE, ATC, ROUTES, RXNORM, SNOMED } from './fhir-codes.ts'
import { canonicalUrl, coding, fhirId, machineName, ucumQuantity, type FhirResource, type JsonObject } from './fhir-json.ts'

/** An intervention's numbers, parameters resolved. */
interface Dosing {
  amount: number
  startDay: number
  everyDays?: number
  dosesPerCycle: number
  cycles: number
  cyclePeriodDays?: number
}

function dosing(iv: Intervention, ctx: FhirContext): Dosing {
  const n = (x: NumberOrParam) => resolveNumber(x, ctx.params)
  return {
    amount: n(iv.dose.amount),
    startDay: n(iv.start.day),
    everyDays: iv.every_days === undefined ? undefined : n(iv.every_days),
    dosesPerCycle: n(iv.doses_per_cycle),
    cycles: n(iv.cycles),
    cyclePeriodDays: iv.cycle_period_days === undefined ? undefined : n(iv.cycle_period_days),
  }
}

/** The registry's product name, coded by the drug dictionary's ATC and RxNorm codes when the intervention names an entry. */
function product(iv: Intervention, where: string, ctx: FhirContext): JsonObject {
  const entry = iv.drug === undefined ? undefined : defaultDictionary.drugs.find(d => d.id === iv.drug)
  if (iv.drug !== undefined && !entry) ctx.note(`${where}.drug`, `Drug "${iv.drug}" is not in the drug dictionary: the product is carried by name only.`)
  const codes = [...(entry?.atc ?? []).map(c => coding(ATC, c, entry!.name)), ...(entry?.rxnorm ?? []).map(c => coding(RXNORM, c, entry!.name))]
  return { coding: codes, text: iv.product }
}

/** One cycle: `count` doses, one every `every_days` days (FHIR Timing: frequency 1 per period). */
function cycleTiming(d: Dosing, where: string, ctx: FhirContext): JsonObject {
  // Timing.repeat.periodUnit d: UCUM day (http://hl7.org/fhir/R4/valueset-units-of-time.html)
  if (d.everyDays !== undefined) return { repeat: { count: d.dosesPerCycle, frequency: 1, period: d.everyDays, periodUnit: 'd' } }
  if (d.dosesPerCycle > 1) ctx.note(`${where}.doses_per_cycle`, `${d.dosesPerCycle} doses per cycle with no interval: Timing carries the count only.`)
  return { repeat: { count: d.dosesPerCycle } }
}

function dosage(iv: Intervention, d: Dosing, sentence: string, where: string, ctx: FhirContext): JsonObject {
  const code = iv.dose.per === 'kg' ? `${iv.dose.unit}/kg` : iv.dose.unit
  const route = ROUTES[iv.route]
  return {
    text: sentence,
    timing: cycleTiming(d, where, ctx),
    route: { coding: [coding(SNOMED, route.code, route.display)], text: iv.route },
    doseAndRate: [{ doseQuantity: ucumQuantity(d.amount, code, humanUnit(code)) }],
  }
}

/** What the export cannot hold of an intervention, or holds in another shape. */
function interventionNotes(iv: Intervention, d: Dosing, where: string, action: string, ctx: FhirContext): void {
  if (iv.dose.per === 'kg') {
    ctx.note(
      `${where}.dose`,
      `The dose is per kilogram of body weight: carried as the UCUM unit ${iv.dose.unit}/kg of doseQuantity; the amount given depends on the subject's weight, which FHIR's Dosage does not compute.`,
    )
  }
  if (iv.vehicle) {
    ctx.note(
      `${where}.vehicle`,
      `The vehicle (${iv.vehicle.volume.amount} ${iv.vehicle.volume.unit} ${iv.vehicle.substance}) has no Dosage element: carried in Dosage.text only.`,
    )
  }
  if (d.cycles > 1 && d.cyclePeriodDays === undefined) {
    ctx.note(`${where}.cycles`, `${d.cycles} cycles but no cycle_period_days: only the first cycle is placed in PlanDefinition action ${action}.`)
  } else if (d.cycles > 1) {
    ctx.note(
      `${where}.cycles`,
      `FHIR Timing has no cycles: each of the ${d.cycles} cycles is a child of PlanDefinition action ${action}, starting every ${d.cyclePeriodDays} days, and all refer to the same ActivityDefinition, whose Timing is one cycle.`,
    )
  }
  const fields: Array<[string, NumberOrParam | undefined]> = [
    ['dose.amount', iv.dose.amount],
    ['start.day', iv.start.day],
    ['every_days', iv.every_days],
    ['doses_per_cycle', iv.doses_per_cycle],
    ['cycles', iv.cycles],
    ['cycle_period_days', iv.cycle_period_days],
  ]
  const fromParams = fields.flatMap(([field, x]) => {
    if (x === undefined || !isParamRef(x)) return []
    // a single cycle has no period: the export places one cycle and uses none
    const unused = field === 'cycle_period_days' && d.cycles <= 1 ? ', unused: one cycle' : ''
    return [`${field} = ${x.param} (${String(ctx.params[x.param])}${unused})`]
  })
  if (fromParams.length) {
    ctx.note(`${where}.parameters`, `Resolved to numbers; which parameter gave each is not carried: ${fromParams.join(', ')}.`)
  }
  if (iv.notes?.length) ctx.note(`${where}.notes`, `Not carried: ${iv.notes.join(' ')}`)
}

/** The words engine/describe gives an intervention ("<product> (<drug>): <dose> <route>; …"). */
function sentenceOf(arm: Arm, index: number, ctx: FhirContext): string {
  return ctx.words.arms.find(a => a.id === arm.id)?.interventions[index] ?? arm.interventions[index]!.product
}

export function activityDefinitions(ctx: FhirContext): FhirResource[] {
  const { doc, ids } = ctx
  return (doc.arms ?? []).flatMap(arm => {
    if (arm.notes?.length) ctx.note(`arms.${arm.id}.notes`, `Not carried: ${arm.notes.join(' ')}`)
    return arm.interventions.map((iv, i): FhirResource => {
      const where = `arms.${arm.id}.interventions.${iv.id}`
      const id = ids.activity(arm.id, iv.id)
      const sentence = sentenceOf(arm, i, ctx)
      const d = dosing(iv, ctx)
      interventionNotes(iv, d, where, interventionKey(arm, iv), ctx)
      return {
        resourceType: 'ActivityDefinition',
        id,
        url: canonicalUrl('ActivityDefinition', id),
        version: ctx.version,
        name: machineName(doc.protocol.registry_id, arm.id, iv.id),
        title: `${iv.product} (${arm.label})`,
        status: ACTIVE,
        description: sentence,
        // ActivityDefinition.kind: the resource it defines (R4 resource-types, R5 request-resource-types)
        kind: 'MedicationRequest',
        productCodeableConcept: product(iv, where, ctx),
        dosage: [dosage(iv, d, sentence, where, ctx)],
      }
    })
  })
}

/** `dose-<arm>.<intervention>`: interventions are unique within their arm only. */
function interventionKey(arm: Arm, iv: Intervention): string {
  return `dose-${fhirId(arm.id)}.${fhirId(iv.id)}`
}

/** The PlanDefinition action of an intervention: when its cycles start, and which ActivityDefinition they perform. */
export function interventionAction(arm: Arm, iv: Intervention, index: number, ctx: FhirContext): JsonObject {
  const key = interventionKey(arm, iv)
  const d = dosing(iv, ctx)
  const definitionCanonical = canonicalUrl('ActivityDefinition', ctx.ids.activity(arm.id, iv.id))
  const first = offsetOfDay(d.startDay)
  const head = { ...actionKey(ctx, key), title: iv.product, description: sentenceOf(arm, index, ctx) }
  if (d.cycles <= 1 || d.cyclePeriodDays === undefined) {
    return { ...head, definitionCanonical, relatedAction: [afterStartOf(ctx, iv.start.ref, first)] }
  }
  const period = d.cyclePeriodDays
  return {
    ...head,
    // action-grouping-behavior logical-group (http://hl7.org/fhir/R4/codesystem-action-grouping-behavior.html)
    groupingBehavior: 'logical-group',
    // action-selection-behavior all: every cycle is given
    selectionBehavior: 'all',
    action: Array.from({ length: d.cycles }, (_, k) => ({
      ...actionKey(ctx, `${key}.cycle-${k + 1}`),
      title: `${iv.product}, cycle ${k + 1}`,
      definitionCanonical,
      relatedAction: [afterStartOf(ctx, iv.start.ref, first + k * period)],
    })),
  }
}
