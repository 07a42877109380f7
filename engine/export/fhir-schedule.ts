/**
 * The schedule as one PlanDefinition (type clinical-protocol): an anchor
 * action per reference date the schedule counts from, an action per visit
 * (nominal day as offsetDuration after the anchor's start, the window as the
 * Vulcan acceptable-offset-range extension), and the arms as a group of
 * which each subject gets exactly one, holding the interventions' actions.
 */
import type { VisitDefinition } from '../types.ts'
import { resolveNumber } from '../compile/resolve.ts'
import { isParamRef } from '../logic/param-ref.ts'
import type { FhirContext } from './fhir-context.ts'
import { actionKey, afterStartOf, anchorKey, offsetOfDay } from './fhir-actions.ts'
import { ACTIVE, CLINICAL_PROTOCOL } from './fhir-codes.ts'
import { interventionAction } from './fhir-dosing.ts'
import { canonicalUrl, fhirId, machineName, type FhirResource, type JsonObject } from './fhir-json.ts'

/** Reference dates the visits and doses count from, in the protocol's order. */
function scheduleRefs(ctx: FhirContext): string[] {
  const used = new Set([...(ctx.doc.visits ?? []).map(v => v.ref), ...(ctx.doc.arms ?? []).flatMap(a => a.interventions.map(i => i.start.ref))])
  return Object.keys(ctx.doc.reference_dates).filter(name => used.has(name))
}

function anchorAction(name: string, ctx: FhirContext): JsonObject {
  const ref = ctx.doc.reference_dates[name]!
  return {
    ...actionKey(ctx, anchorKey(name)),
    title: ref.label,
    description: `Reference date "${name}"${ref.description ? `: ${ref.description}` : ''} It is study day 1 of what counts from it.`,
  }
}

function visitAction(v: VisitDefinition, ctx: FhirContext): JsonObject {
  const day = resolveNumber(v.day, ctx.params)
  const before = resolveNumber(v.window.before_days, ctx.params)
  const after = resolveNumber(v.window.after_days, ctx.params)
  const offset = offsetOfDay(day)
  const words = ctx.words.visits.find(w => w.id === v.id)?.text ?? `day ${day}`
  const params = [v.day, v.window.before_days, v.window.after_days].flatMap(x => (isParamRef(x) ? [`${x.param} = ${String(ctx.params[x.param])}`] : []))
  ctx.note(
    `visits.${v.id}.window`,
    `Core FHIR has no visit window: study day ${day} is offsetDuration ${offset} days after the start of action ${anchorKey(v.ref)}; ` +
      `the window (${before} days before, ${after} after: offsets ${offset - before} to ${offset + after}) is in the HL7 Vulcan Schedule of Activities ` +
      `extension AcceptableOffsetRangeSoa (an implementation-guide extension) and in words in the action's description` +
      `${params.length ? `; resolved from ${[...new Set(params)].join(', ')} (parameter names not carried)` : ''}.`,
  )
  return {
    ...actionKey(ctx, `visit-${fhirId(v.id)}`),
    title: v.label,
    description: `Visit ${v.label}: ${words}.`,
    relatedAction: [afterStartOf(ctx, v.ref, offset, { low: offset - before, high: offset + after })],
  }
}

function armsAction(ctx: FhirContext): JsonObject | undefined {
  const arms = ctx.doc.arms ?? []
  if (!arms.length) return undefined
  return {
    ...actionKey(ctx, 'arms'),
    title: 'Arms',
    description: 'Each subject is allocated to exactly one arm.',
    // action-grouping-behavior logical-group, action-selection-behavior exactly-one (http://hl7.org/fhir/R4/codesystem-action-selection-behavior.html)
    groupingBehavior: 'logical-group',
    selectionBehavior: 'exactly-one',
    action: arms.map(arm => ({
      ...actionKey(ctx, `arm-${fhirId(arm.id)}`),
      title: arm.label,
      description: arm.text,
      groupingBehavior: 'logical-group',
      // action-selection-behavior all: an arm gives all its interventions
      selectionBehavior: 'all',
      action: arm.interventions.map((iv, i) => interventionAction(arm, iv, i, ctx)),
    })),
  }
}

function referenceDatesNote(ctx: FhirContext, anchors: string[]): void {
  const defs = Object.entries(ctx.doc.reference_dates).map(([name, r]) => `${name} (${r.label}${r.description ? `: ${r.description}` : ''})`)
  const others = Object.keys(ctx.doc.reference_dates).filter(n => !anchors.includes(n))
  ctx.note(
    'reference_dates',
    `FHIR has no named reference dates. ${anchors.length ? `Those the schedule counts from (${anchors.join(', ')}) are anchor actions of the PlanDefinition, which visits and doses follow by relatedAction` : 'The schedule counts from none'}` +
      `${others.length ? `; the others (${others.join(', ')}), read by the criteria's windows and ages, appear only in the criteria's words` : ''}. Definitions: ${defs.join('; ')}.`,
  )
}

export function scheduleResource(ctx: FhirContext): FhirResource {
  const { doc, ids } = ctx
  const anchors = scheduleRefs(ctx)
  referenceDatesNote(ctx, anchors)
  const arms = armsAction(ctx)
  return {
    resourceType: 'PlanDefinition',
    id: ids.schedule,
    url: canonicalUrl('PlanDefinition', ids.schedule),
    version: ctx.version,
    name: machineName(doc.protocol.registry_id, 'schedule'),
    title: `Schedule of ${doc.protocol.registry_id}`,
    type: CLINICAL_PROTOCOL,
    status: ACTIVE,
    description:
      'Visits and dosing. Study days count from a reference date, which is day 1: an action offsetDuration N days after the start of a ' +
      "reference date's anchor action falls on study day N + 1. Visit windows are in the HL7 Vulcan AcceptableOffsetRangeSoa extension.",
    action: [...anchors.map(a => anchorAction(a, ctx)), ...(doc.visits ?? []).map(v => visitAction(v, ctx)), ...(arms ? [arms] : [])],
  }
}
