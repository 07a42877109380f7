/**
 * Arms, visits and endpoints in plain words, briefly: how each arm is dosed,
 * when each visit falls, what each endpoint measures.
 */
import type { Arm, DatedEventSource, Endpoint, Intervention, IntervalConvention, ProtocolDocument, VisitDefinition } from '../types.ts'
import { describeRef, visitLabel } from '../compile/labels.ts'
import { describeLogic, type DescribeContext, type DescribedNode } from './describe-logic.ts'
import { joinAnd, joinOr, lowerFirst, newUsage, numberOf, stringOf, unitWords, useParameter, useRef, type Usage } from './words.ts'
import { resolveLabConcept } from '../dictionary/index.ts'
import { plural, upperFirst } from '../words/phrases.ts'
import { kindedEventSource } from '../logic/event-source-model.ts'
import { DEFAULT_INTERVAL_CONVENTION, INTERVAL_CONVENTION_WORDS } from '../endpoints/time-to-event.ts'

export interface ArmDescription {
  id: string
  label: string
  /** The registry's text, verbatim. */
  text: string
  /** One sentence per intervention: product, dose, route, schedule. */
  interventions: string[]
  notes: string[]
  parameters: string[]
}

export interface VisitDescription {
  id: string
  label: string
  /** "day 29 counted from random allocation (day 1); window 7 days before to 7 days after" */
  text: string
  parameters: string[]
}

export interface EndpointDescription {
  id: string
  kind: 'primary' | 'secondary'
  type: Endpoint['type']
  title: string
  /** The registry's text, verbatim. */
  text: string
  time_frame?: string
  /** What is measured and when, in plain words. */
  summary: string
  /** A response endpoint's logic. */
  logic?: DescribedNode
  notes: string[]
  parameters: string[]
}

/** Run `fn` with a fresh usage, then fold it into the context's; return what it used. */
function tracked<T>(ctx: DescribeContext, fn: (u: Usage) => T): { value: T; usage: Usage } {
  const u = newUsage()
  const value = fn(u)
  for (const p of u.parameters) useParameter(ctx.usage, p)
  for (const r of u.refs) useRef(ctx.usage, r)
  return { value, usage: u }
}

function interventionWords(i: Intervention, ctx: DescribeContext, u: Usage): string {
  const { doc } = ctx
  const unit = unitWords(i.dose.unit)
  const dose = `${numberOf(i.dose.amount, doc, u)}${unit ? ` ${unit}` : ''}${i.dose.per === 'kg' ? '/kg body weight' : ''}`
  const vehicle = i.vehicle ? `, in ${numberOf(i.vehicle.volume.amount, doc, u)} ${unitWords(i.vehicle.volume.unit)} ${i.vehicle.substance}` : ''
  useRef(u, i.start.ref)
  const ref = describeRef(doc, i.start.ref)
  const start = `first dose on day ${numberOf(i.start.day, doc, u)} counted from ${ref} (day 1 = the ${ref} date)`
  const perCycle = numberOf(i.doses_per_cycle, doc, u)
  const cycles = numberOf(i.cycles, doc, u)
  const every = i.every_days === undefined ? undefined : numberOf(i.every_days, doc, u)
  const period = i.cycle_period_days === undefined || cycles === '1' ? undefined : numberOf(i.cycle_period_days, doc, u)
  const schedule =
    perCycle === '1' && cycles === '1'
      ? 'a single dose'
      : [
          `${plural(perCycle, 'dose')} per cycle${every !== undefined && perCycle !== '1' ? `, one every ${plural(every, 'day')}` : ''}`,
          `${plural(cycles, 'cycle')}${period !== undefined ? `, a new cycle every ${plural(period, 'day')}` : ''}`,
        ].join('; ')
  return `${i.product}${i.drug ? ` (${i.drug})` : ''}: ${dose} ${i.route}${vehicle}; ${start}; ${schedule}.`
}

export function describeArm(arm: Arm, ctx: DescribeContext): ArmDescription {
  const { value, usage } = tracked(ctx, u => arm.interventions.map(i => interventionWords(i, ctx, u)))
  return { id: arm.id, label: arm.label, text: arm.text, interventions: value, notes: arm.notes ?? [], parameters: usage.parameters }
}

export function describeVisit(v: VisitDefinition, ctx: DescribeContext): VisitDescription {
  const { value, usage } = tracked(ctx, u => {
    useRef(u, v.ref)
    const ref = describeRef(ctx.doc, v.ref)
    const before = numberOf(v.window.before_days, ctx.doc, u)
    const after = numberOf(v.window.after_days, ctx.doc, u)
    return `day ${numberOf(v.day, ctx.doc, u)} counted from ${ref} (day 1 = the ${ref} date); window ${plural(before, 'day')} before to ${plural(after, 'day')} after, both ends included`
  })
  return { id: v.id, label: v.label, text: value, parameters: usage.parameters }
}

const CHANGE_MEASURE: Record<'sledai_2k' | 'bilag_2004' | 'prednisone_equivalent_mg_per_day', string> = {
  sledai_2k: 'SLEDAI-2K score',
  bilag_2004: 'BILAG-2004 numeric score',
  prednisone_equivalent_mg_per_day: 'glucocorticoid dose (prednisone-equivalent mg/day)',
}

const LAB_SHIFT: Record<string, string> = {
  creatinine_increased: 'creatinine increased',
  alt_increased: 'ALT increased',
  ast_increased: 'AST increased',
  neutrophil_count_decreased: 'neutrophil count decreased',
  platelet_count_decreased: 'platelet count decreased',
  anemia: 'anaemia',
}

/** One source of a `time_to_first_event` endpoint in words. */
function firstEventWords(s: DatedEventSource, doc: ProtocolDocument, u: Usage): string {
  const name = s.label
  const k = kindedEventSource(s)
  switch (k.kind) {
    case 'death':
      return name ?? 'death'
    case 'condition':
      return `${name ?? k.source.condition.label ?? k.source.condition.set ?? 'a condition'} (from its onset)`
    case 'procedure':
      return `${name ?? k.source.procedure.label ?? k.source.procedure.set ?? 'a procedure'} (the day done)`
    case 'attestation': {
      const a = k.source.attestation
      return `${name ?? a} (answered yes at a visit: "${doc.attestations?.[a]?.question ?? a}")`
    }
    case 'ratio_to_baseline': {
      const r = k.source.ratio_to_baseline
      const concept = r.concept.replaceAll('_', ' ')
      return `${name ?? concept} (the first ${concept} ${r.op} ${numberOf(r.value, doc, u)} × its value at ${visitLabel(doc, r.baseline)})`
    }
  }
}

export function describeEndpoint(e: Endpoint, ctx: DescribeContext): EndpointDescription {
  const { doc } = ctx
  const visits = (ids: string[]) => joinAnd(ids.map(v => visitLabel(doc, v)))
  const title = (id: string) => doc.endpoints?.find(x => x.id === id)?.title ?? id
  let logic: DescribedNode | undefined
  const { value: summary, usage } = tracked(ctx, (u): string => {
    switch (e.type) {
      case 'response': {
        const before = ctx.usage
        ctx.usage = u
        logic = describeLogic(e.logic, 'logic', ctx)
        ctx.usage = before
        return `Response (yes/no) at ${visits(e.visits)}: met when the logic below holds, with that visit's data compared against baseline.`
      }
      case 'classification': {
        const levels = e.levels.map(l => `${l.level} if ${title(l.endpoint)} holds`).join(', else ')
        const missing = e.missing_as === undefined ? 'otherwise' : typeof e.missing_as === 'string' ? e.missing_as : stringOf(e.missing_as, doc, u)
        const missingWords = missing === 'exclude' ? 'is left out of the rate' : `counts as ${e.otherwise}`
        return `Graded at ${visits(e.visits)}: ${levels}, else ${e.otherwise}. In study-level rates a subject whose grade cannot be decided ${missingWords}.`
      }
      case 'time_to_event': {
        useRef(u, e.from)
        const convention =
          e.interval_censored_as === undefined
            ? DEFAULT_INTERVAL_CONVENTION
            : typeof e.interval_censored_as === 'string'
              ? e.interval_censored_as
              : stringOf(e.interval_censored_as, doc, u)
        const words = INTERVAL_CONVENTION_WORDS[convention as IntervalConvention] ?? convention
        return (
          `Days from ${describeRef(doc, e.from)} to the first visit graded ${joinOr(e.levels)} (endpoint ${e.classification}); a subject without one is censored at the last visit that could be graded. ` +
          `When visits before that visit could not be graded, the time is interval-censored (after the last visit graded otherwise, by that visit) and counted at the ${words}.`
        )
      }
      case 'time_to_first_event': {
        useRef(u, e.from)
        const until = numberOf(e.until_day, doc, u)
        const convention =
          e.interval_censored_as === undefined
            ? DEFAULT_INTERVAL_CONVENTION
            : typeof e.interval_censored_as === 'string'
              ? e.interval_censored_as
              : stringOf(e.interval_censored_as, doc, u)
        const words = INTERVAL_CONVENTION_WORDS[convention as IntervalConvention] ?? convention
        const sources = e.events.map(s => firstEventWords(s, doc, u))
        return (
          `Days from ${describeRef(doc, e.from)} to the first of: ${joinOr(sources)}, up to study day ${until}; a subject without one is censored at the last visit. ` +
          `Where the record cannot decide a source before the first event (a history not recorded, a visit question not answered), the time is interval-censored and counted at the ${words}.`
        )
      }
      case 'change_from_baseline':
        return `${upperFirst(CHANGE_MEASURE[e.measure])} at ${visitLabel(doc, e.baseline)} and its change from ${visitLabel(doc, e.baseline)} at ${visits(e.visits)}.`
      case 'sle_responder_index': {
        const reduction = numberOf(e.reduction, doc, u)
        const pga = numberOf(e.pga_worsening_limit, doc, u)
        return `SLE Responder Index at ${visits(e.visits)}: SLEDAI-2K reduced by ≥ ${reduction} from ${visitLabel(doc, e.baseline)}, no new BILAG-2004 A domain and at most 1 new B, and physician global assessment worsened by < ${pga} (0–3 scale).`
      }
      case 'adverse_events': {
        const what = e.count === 'serious' ? 'serious treatment-emergent adverse event (ICH E2A seriousness criteria)' : 'treatment-emergent adverse event'
        return `Subjects with at least one ${what} from the first dose to the end of the ${visitLabel(doc, e.until_visit)} window.`
      }
      case 'lab_shifts': {
        const grade = numberOf(e.min_grade_increase, doc, u)
        return `Subjects whose CTCAE v5.0 grade of ${joinOr(e.labs.map(l => LAB_SHIFT[l] ?? l))} rises by ≥ ${plural(grade, 'grade')} from ${visitLabel(doc, e.baseline)} to any of ${visits(e.visits)}.`
      }
      case 'vital_sign_changes': {
        const rules = e.rules.map(r => {
          const name = lowerFirst(resolveLabConcept(r.concept, ctx.dictionary)?.name ?? r.concept)
          const dir = r.change === 'increase' ? 'up' : r.change === 'decrease' ? 'down' : 'up or down'
          return `${name} ${dir} by ≥ ${numberOf(r.by_at_least, doc, u)} ${unitWords(r.unit)}`
        })
        return `Subjects with, from ${visitLabel(doc, e.baseline)} to any of ${visits(e.visits)}: ${joinOr(rules)}.`
      }
    }
  })
  const out: EndpointDescription = {
    id: e.id,
    kind: e.kind,
    type: e.type,
    title: e.title,
    text: e.text,
    summary,
    notes: e.notes ?? [],
    parameters: usage.parameters,
  }
  if (e.time_frame !== undefined) out.time_frame = e.time_frame
  if (logic) out.logic = logic
  return out
}
