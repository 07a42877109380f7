/**
 * The visit schedule in USDM: one Encounter per visit, placed on the main
 * ScheduleTimeline by a Timing counted from its reference date (USDM's
 * "Fixed Reference" instance), with the visit window as windowLower /
 * windowUpper. A screening instance comes first and holds the eligibility
 * assessment; each endpoint is an Activity at the visits it is assessed at.
 * Study days follow the protocol's convention: day 1 is the reference date,
 * so day 29 is 28 days after it.
 */
import type { ResolvedParameters } from '../compile/ir.ts'
import { resolveNumber } from '../compile/resolve.ts'
import type { ProtocolDescription } from '../describe/index.ts'
import type { ProtocolDocument } from '../types.ts'
import type { ExportNote } from './export-notes.ts'
import { chain, isoDays, type UsdmBuilder, type UsdmInstance } from './usdm-build.ts'
import { USDM_CODES } from './usdm-codes.ts'

export interface UsdmSchedule {
  encounters: UsdmInstance[]
  activities: UsdmInstance[]
  timeline: UsdmInstance
  notes: ExportNote[]
}

interface Epochs {
  screening: UsdmInstance
  treatment: UsdmInstance
}

export function usdmSchedule(doc: ProtocolDocument, described: ProtocolDescription, params: ResolvedParameters, epochs: Epochs, b: UsdmBuilder): UsdmSchedule {
  const visits = doc.visits ?? []
  const notes: ExportNote[] = []
  const eligibility = activity(
    b,
    'eligibility',
    'Eligibility assessment',
    `${doc.criteria.length} eligibility criteria (EligibilityCriterion) checked before random allocation`,
  )
  // each endpoint assessed at visits, with those visits' ids
  const assessed = (doc.endpoints ?? []).flatMap(e => ('visits' in e ? [{ visits: e.visits, activity: activity(b, e.id, `Assess: ${e.title}`, null) }] : []))
  const activities = [eligibility, ...assessed.map(a => a.activity)]
  chain(activities)

  const instance = (name: string, label: string, epoch: UsdmInstance, activityIds: string[], encounterId: string | null) =>
    b.make('ScheduledActivityInstance', {
      name,
      label,
      description: null,
      defaultConditionId: null,
      epochId: epoch.id,
      timelineId: null,
      timelineExitId: null,
      activityIds,
      encounterId,
    })
  const screening = instance('screening', 'Screening', epochs.screening, [eligibility.id], null)
  const instances: UsdmInstance[] = [screening]
  const timings: UsdmInstance[] = []
  const anchors = new Map<string, UsdmInstance>()
  const days = visits.map(v => resolveNumber(v.day, params))
  // a reference date's anchor: its day-1 visit, else an instance of its own
  const anchorOf = (ref: string): UsdmInstance => {
    const found = anchors.get(ref)
    if (found) return found
    const label = doc.reference_dates[ref]?.label ?? ref
    const made = instance(ref, `${label} (day 1)`, epochs.treatment, [], null)
    instances.push(made)
    timings.push(b.make('Timing', timingFields(b, `${label} (day 1)`, USDM_CODES.fixedReference, 1, made.id, made.id)))
    anchors.set(ref, made)
    return made
  }
  const encounters = visits.map((v, i) => {
    const day = days[i]!
    const before = resolveNumber(v.window.before_days, params)
    const after = resolveNumber(v.window.after_days, params)
    const activityIds = assessed.filter(a => a.visits.includes(v.id)).map(a => a.activity.id)
    const encounterId = b.peekId('Encounter')
    const inst = instance(v.id, v.label, epochs.treatment, activityIds, encounterId)
    instances.push(inst)
    // the first day-1 visit of a reference date is its anchor; others are timed from it
    if (day === 1 && !anchors.has(v.ref)) anchors.set(v.ref, inst)
    const anchor = anchorOf(v.ref)
    const timing = b.make('Timing', {
      ...timingFields(b, v.label, anchor === inst ? USDM_CODES.fixedReference : USDM_CODES.after, day, inst.id, anchor.id),
      windowLower: isoDays(before),
      windowUpper: isoDays(after),
      windowLabel: `-${before}..${after} days`,
    })
    timings.push(timing)
    const description = described.visits[i]?.text ?? null
    return b.make('Encounter', {
      name: v.id,
      label: v.label,
      description,
      type: b.code(USDM_CODES.visit),
      scheduledAtId: timing.id,
      environmentalSettings: [],
      contactModes: [],
      transitionStartRule: null,
      transitionEndRule: null,
      notes: [],
    })
  })
  chain(encounters)
  if (visits.some(v => typeof v.day !== 'number' || typeof v.window.before_days !== 'number' || typeof v.window.after_days !== 'number'))
    notes.push({
      where: 'visits',
      note: 'Visit days and windows set by protocol parameters are exported as the numbers the parameters hold now; the link to the parameter is in the Encounter description only.',
    })
  if (new Set(visits.map(v => v.ref)).size > 1)
    notes.push({
      where: 'visits',
      note: 'Visits are counted from different reference dates; USDM times each from its own Fixed Reference instance, and how those dates relate to each other is not exported.',
    })
  notes.push({
    where: 'reference_dates',
    note: 'USDM has no named reference dates (consent, screening, random allocation): visits are timed from a Fixed Reference instance named after their date; criteria windows stay in the criteria text.',
  })

  const timeline = b.make('ScheduleTimeline', {
    name: 'main',
    label: 'Main timeline',
    description: 'Screening, then the protocol visits in order',
    mainTimeline: true,
    entryCondition: 'Informed consent signed',
    entryId: screening.id,
    exits: [b.make('ScheduleTimelineExit', {})],
    timings,
    instances,
    plannedDuration: null,
  })
  return { encounters, activities, timeline, notes }
}

function timingFields(
  b: UsdmBuilder,
  label: string,
  type: { code: string; decode: string },
  day: number,
  fromId: string,
  toId: string,
): Record<string, unknown> {
  // day 1 is the reference date itself: the Fixed Reference is written P1D, as the USDM pilot example writes it
  const offset = type === USDM_CODES.fixedReference ? 1 : day - 1
  return {
    name: `${label} timing`,
    label,
    description: null,
    type: b.code(type),
    value: isoDays(offset),
    valueLabel: type === USDM_CODES.fixedReference ? 'day 1' : `day ${day}`,
    relativeToFrom: b.code(USDM_CODES.startToStart),
    relativeFromScheduledInstanceId: fromId,
    relativeToScheduledInstanceId: toId,
    windowLower: null,
    windowUpper: null,
    windowLabel: null,
  }
}

/** An Activity with none of USDM's optional links (procedures, biomedical concepts, sub-timeline). */
function activity(b: UsdmBuilder, name: string, label: string, description: string | null): UsdmInstance {
  return b.make('Activity', {
    name,
    label,
    description,
    childIds: [],
    definedProcedures: [],
    biomedicalConceptIds: [],
    bcCategoryIds: [],
    bcSurrogateIds: [],
    timelineId: null,
    notes: [],
  })
}
