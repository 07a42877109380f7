/**
 * Time to response as Kaplan–Meier cumulative incidence (1 − S) per arm,
 * from the `time_to_event` part of GET /protocols/:id/results: step series
 * for <tp-chart> with the pointwise 95 % band, and a summary per arm.
 */
import type { ProtocolDocument, StudyResults } from '../api/dashboard.ts'
import { percent, plural } from './format.ts'

/** The shape <tp-chart> draws (web/charts/series.ts ChartSeries), kept here so this module stands alone. */
export interface KmSeries {
  label: string
  points: Array<{ x: number; y: number | null }>
  step?: boolean
  dash?: boolean
  band?: { lower: Array<number | null>; upper: Array<number | null> }
}

export interface KmArmSummary {
  arm: string
  label: string
  subjects: number
  events: number
  /** `56 days`, or `not reached`. */
  median: string
  /** Cumulative incidence at the last step: `66.7 %`. */
  final: string
  /** Times censored (follow-up ended without the event). */
  censored: number
  /** Events whose time is an interval between visits (some visit before it not evaluable). */
  interval_censored: number
}

export interface KmPanel {
  endpoint: string
  title: string
  /** Days counted from this reference date, in words (its label). */
  from: string
  series: KmSeries[]
  arms: KmArmSummary[]
  /** Subjects left out: time unknown. */
  excluded: number
  /** Where an interval-censored time is counted, in words (the endpoint's `interval_censored_as`). */
  intervalCensoredAs: string
  /** Some arm has at least one subject with a known time. */
  hasData: boolean
}

type Tte = StudyResults['time_to_event'][number]

/** Short words for the engine's conventions (engine/endpoints/time-to-event.ts says why each). */
const INTERVAL_WORDS: Record<Tte['interval_censored_as'], string> = { right: 'at the visit first seen (right endpoint)', midpoint: 'at the interval midpoint' }

/** A proportion as a percentage, to 0.1 (what the axis and the data table show). */
const pct = (p: number): number => Math.round(p * 1000) / 10

/**
 * The curves of one time-to-event endpoint: each arm's curve starts at day 0
 * with no one responded and steps up at each event; censor-only times keep
 * the level. y is in percent (0–100). Every other arm is dashed, so the arms
 * differ without colour.
 *
 * @example
 * kmPanels(results, doc)[0].series[0].points // [{ x: 0, y: 0 }, { x: 56, y: 50 }, ...]
 */
export function kmPanels(results: StudyResults, doc: ProtocolDocument): KmPanel[] {
  const label = (arm: string) => results.arms.find(a => a.arm === arm)?.label ?? arm
  return results.time_to_event.map((t: Tte) => {
    const endpoint = doc.endpoints?.find(e => e.id === t.endpoint)
    const ref = endpoint?.type === 'time_to_event' || endpoint?.type === 'time_to_first_event' ? endpoint.from : undefined
    const from = ref === undefined ? 'the reference date' : (doc.reference_dates?.[ref]?.label ?? ref)
    const series = t.arms.map((a, i): KmSeries => {
      const pts = [{ x: 0, y: 0 }, ...a.steps.map(s => ({ x: s.time, y: pct(s.incidence) }))]
      return {
        // the arm alone: the legend repeats it for the band; counts are in the table beside the chart
        label: label(a.arm),
        points: pts,
        step: true,
        ...(i % 2 === 1 ? { dash: true } : {}),
        band: { lower: [0, ...a.steps.map(s => pct(s.incidenceLower))], upper: [0, ...a.steps.map(s => pct(s.incidenceUpper))] },
      }
    })
    const arms = t.arms.map((a): KmArmSummary => {
      const last = a.steps.at(-1)
      return {
        arm: a.arm,
        label: label(a.arm),
        subjects: a.subjects,
        events: a.events,
        median: a.median === undefined ? 'not reached' : plural(a.median, 'day'),
        final: last ? percent(last.incidence) : '—',
        censored: a.steps.reduce((n, s) => n + s.censored, 0),
        interval_censored: a.interval_censored,
      }
    })
    return {
      endpoint: t.endpoint,
      title: endpoint?.title ?? t.endpoint,
      from,
      series,
      arms,
      excluded: t.excluded,
      intervalCensoredAs: INTERVAL_WORDS[t.interval_censored_as],
      hasData: t.arms.some(a => a.subjects > 0),
    }
  })
}
