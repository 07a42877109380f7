/**
 * Study-level results per arm: response rates with exact (Clopper–Pearson)
 * 95 % CIs and the difference between arms (Newcombe hybrid score), Kaplan–
 * Meier time to response (interval-censored times counted at the endpoint's
 * `interval_censored_as` point, and counted), subjects with safety events,
 * changes from baseline.
 */
import type { ClassificationEndpoint, IntervalConvention, ProtocolDocument, SubjectEndpointResults } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { resolveString } from '../compile/resolve.ts'
import { intervalConvention, observedTime } from './time-to-event.ts'
import { clopperPearson, differenceInProportions, kaplanMeierIncidence, type BinomialInterval, type DifferenceResult } from '../statistics/index.ts'

export interface Rate {
  x: number
  n: number
  ci: BinomialInterval
}

export interface ArmRates {
  arm: string
  label: string
  subjects: number
  unknown: number
  /** Per level (CR, PR...) and `any` (any level but `otherwise`). */
  rates: Record<string, Rate>
}

export interface ResponseSummary {
  endpoint: string
  visit: string
  missing_as: 'otherwise' | 'exclude'
  arms: ArmRates[]
  /** First arm minus second arm, per level and `any`. */
  differences: Record<string, DifferenceResult>
}

export interface StudySummary {
  protocol: { registry_id: string; version: string }
  arms: Array<{ arm: string; label: string; subjects: number }>
  responses: ResponseSummary[]
  time_to_event: Array<{
    endpoint: string
    /** The point an interval-censored time is counted at (the endpoint's `interval_censored_as`). */
    interval_censored_as: IntervalConvention
    /** `interval_censored`: events among them whose time is an interval, counted at `interval_censored_as`. */
    arms: Array<{
      arm: string
      subjects: number
      events: number
      interval_censored: number
      median?: number
      steps: ReturnType<typeof kaplanMeierIncidence>['steps']
    }>
    /** Subjects left out: time unknown (no reference date or no evaluable visit). */
    excluded: number
  }>
  /** Subjects with the event over every randomized subject of the arm (an undecided subject counts as without it). */
  safety: Array<{ endpoint: string; arms: Array<{ arm: string; rate: Rate; unknown: number }>; difference?: DifferenceResult }>
  changes: Array<{ endpoint: string; visit: string; arms: Array<{ arm: string; n: number; mean?: number; sd?: number; min?: number; max?: number }> }>
  /** Responders over the subjects whose response at the visit is known. */
  responder_index: Array<{ endpoint: string; visit: string; arms: Array<{ arm: string; rate: Rate; unknown: number }>; difference?: DifferenceResult }>
}

/** First arm minus second (Newcombe hybrid score), as for the response rates; none with fewer than two arms. */
function differenceOf(arms: Array<{ rate: Rate }>): { difference?: DifferenceResult } {
  const [first, second] = arms
  return first && second ? { difference: differenceInProportions({ x: first.rate.x, n: first.rate.n }, { x: second.rate.x, n: second.rate.n }) } : {}
}

function rate(x: number, n: number): Rate {
  return { x, n, ci: clopperPearson(x, n) }
}

/** The one group of a pooled summary: every subject given, whatever their arm. */
export const POOLED_ARM = { arm: 'all', label: 'All randomized subjects' } as const

type ArmGroup = { arm: string; label: string; subjects: SubjectEndpointResults[] }

function armsOf(doc: ProtocolDocument, results: SubjectEndpointResults[], pooled: boolean): ArmGroup[] {
  if (pooled) return [{ ...POOLED_ARM, subjects: results }]
  return (doc.arms ?? []).map(a => ({ arm: a.id, label: a.label, subjects: results.filter(r => r.arm === a.id) }))
}

function responseSummaries(compiled: CompiledProtocol, arms: ArmGroup[]): ResponseSummary[] {
  const doc = compiled.document
  return (doc.endpoints ?? [])
    .filter((e): e is ClassificationEndpoint => e.type === 'classification')
    .flatMap(e => {
      const missingAs = (e.missing_as === undefined ? 'exclude' : resolveString(e.missing_as, compiled.parameters)) as 'otherwise' | 'exclude'
      const levels = e.levels.map(l => l.level)
      return e.visits.map((visit): ResponseSummary => {
        const perArm = arms.map((a): ArmRates => {
          const grades = a.subjects.map(s => s.classifications.find(c => c.endpoint === e.id && c.visit === visit)?.level ?? 'unknown')
          const unknown = grades.filter(g => g === 'unknown').length
          const n = missingAs === 'exclude' ? grades.length - unknown : grades.length
          const rates: Record<string, Rate> = {}
          for (const level of levels) rates[level] = rate(grades.filter(g => g === level).length, n)
          rates.any = rate(grades.filter(g => levels.includes(g)).length, n)
          return { arm: a.arm, label: a.label, subjects: a.subjects.length, unknown, rates }
        })
        const differences: Record<string, DifferenceResult> = {}
        const [first, second] = perArm
        if (first && second) {
          for (const key of [...levels, 'any']) {
            const a = first.rates[key]!
            const b = second.rates[key]!
            differences[key] = differenceInProportions({ x: a.x, n: a.n }, { x: b.x, n: b.n })
          }
        }
        return { endpoint: e.id, visit, missing_as: missingAs, arms: perArm, differences }
      })
    })
}

function meanSd(xs: number[]) {
  if (xs.length === 0) return {}
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : undefined
  return { mean, ...(sd !== undefined ? { sd } : {}), min: Math.min(...xs), max: Math.max(...xs) }
}

/**
 * Summarise per-subject results by arm, or (`pooled`) as one group of every
 * subject given, labelled POOLED_ARM: the same rates, Kaplan–Meier and
 * counts, and no between-arm difference (there is one group).
 *
 * @example
 * const subjects = await Promise.all(records.map((r) => evaluateSubject(compiled, r)))
 * summarizeStudy(compiled, subjects).responses[0].arms[0].rates.CR.ci // { estimate, lower, upper }
 */
export function summarizeStudy(compiled: CompiledProtocol, results: SubjectEndpointResults[], options: { pooled?: boolean } = {}): StudySummary {
  const doc = compiled.document
  const arms = armsOf(doc, results, options.pooled === true)
  const endpointIds = (type: string) => (doc.endpoints ?? []).filter(e => e.type === type).map(e => e.id)
  return {
    protocol: { registry_id: doc.protocol.registry_id, version: doc.protocol.version },
    arms: arms.map(a => ({ arm: a.arm, label: a.label, subjects: a.subjects.length })),
    responses: responseSummaries(compiled, arms),
    time_to_event: (doc.endpoints ?? []).flatMap(e => {
      if (e.type !== 'time_to_event' && e.type !== 'time_to_first_event') return []
      const convention = intervalConvention(e, compiled.parameters)
      let excluded = 0
      const perArm = arms.map(a => {
        let intervalCensored = 0
        const obs = a.subjects.flatMap(s => {
          const t = s.times_to_event.find(x => x.endpoint === e.id)
          const o = t === undefined ? undefined : observedTime(t, convention)
          if (o === undefined) {
            excluded++
            return []
          }
          if (t?.interval) intervalCensored++
          return [o]
        })
        const km = kaplanMeierIncidence(obs)
        return {
          arm: a.arm,
          subjects: obs.length,
          events: obs.filter(o => o.event).length,
          interval_censored: intervalCensored,
          ...(km.median !== undefined ? { median: km.median } : {}),
          steps: km.steps,
        }
      })
      return [{ endpoint: e.id, interval_censored_as: convention, arms: perArm, excluded }]
    }),
    safety: [...endpointIds('adverse_events'), ...endpointIds('lab_shifts'), ...endpointIds('vital_sign_changes')].map(endpoint => {
      const perArm = arms.map(a => {
        const values = a.subjects.map(s => s.safety.find(x => x.endpoint === endpoint)?.value)
        return { arm: a.arm, rate: rate(values.filter(v => v === true).length, a.subjects.length), unknown: values.filter(v => v === undefined).length }
      })
      return { endpoint, arms: perArm, ...differenceOf(perArm) }
    }),
    changes: (doc.endpoints ?? []).flatMap(e =>
      e.type !== 'change_from_baseline'
        ? []
        : e.visits.map(visit => ({
            endpoint: e.id,
            visit,
            arms: arms.map(a => {
              const xs = a.subjects.flatMap(s =>
                s.changes.filter(c => c.endpoint === e.id && c.visit === visit && c.value !== undefined).map(c => c.value as number),
              )
              return { arm: a.arm, n: xs.length, ...meanSd(xs) }
            }),
          })),
    ),
    responder_index: (doc.endpoints ?? []).flatMap(e =>
      e.type !== 'sle_responder_index'
        ? []
        : e.visits.map(visit => {
            const perArm = arms.map(a => {
              const values = a.subjects.map(s => s.responder_index.find(r => r.endpoint === e.id && r.visit === visit)?.value)
              const unknown = values.filter(v => v === undefined).length
              return { arm: a.arm, rate: rate(values.filter(v => v === true).length, values.length - unknown), unknown }
            })
            return { endpoint: e.id, visit, arms: perArm, ...differenceOf(perArm) }
          }),
    ),
  }
}
