/**
 * Kaplan–Meier (product-limit) estimation for right-censored times, e.g.
 * time to response or duration of response.
 */
import jStat from 'jstat'

/** One subject: follow-up time and whether the event was seen (`false` = censored at `time`). */
export interface SurvivalObservation {
  time: number
  event: boolean
}

/** The curve at one distinct observed time (event or censoring). */
export interface KaplanMeierStep {
  time: number
  /** Subjects with time ≥ this time (censorings at this time still count). */
  atRisk: number
  events: number
  censored: number
  /** S(t), right-continuous: includes the events at this time. */
  survival: number
  lower: number
  upper: number
}

/** A Kaplan–Meier curve. */
export interface KaplanMeierResult {
  steps: KaplanMeierStep[]
  /** Median time; absent when the curve never reaches 0.5. */
  median?: number
}

/** A step of a cumulative-incidence (1 − S) curve, keeping the survival fields. */
export interface IncidenceStep extends KaplanMeierStep {
  /** 1 − S(t) */
  incidence: number
  /** 1 − upper */
  incidenceLower: number
  /** 1 − lower */
  incidenceUpper: number
}

/** A cumulative-incidence curve; `median` is the time by which half had the event. */
export interface IncidenceResult {
  steps: IncidenceStep[]
  median?: number
}

// S is a product of fractions, so "exactly 0.5" must allow for rounding.
const HALF_TOLERANCE = 1e-8

/**
 * Kaplan–Meier product-limit estimate with pointwise confidence intervals.
 *
 * - Estimator: Kaplan EL, Meier P. Nonparametric estimation from incomplete
 *   observations. J Am Stat Assoc 1958;53(282):457–481.
 *   S(t) = ∏_{tᵢ ≤ t} (1 − dᵢ/nᵢ).
 * - Variance: Greenwood M. The natural duration of cancer. Reports on Public
 *   Health and Medical Subjects 33. London: HMSO; 1926.
 *   Var S(t) = S(t)² Σ dᵢ/(nᵢ(nᵢ − dᵢ)).
 * - Interval: log(−log S) transform (Kalbfleisch JD, Prentice RL. The
 *   Statistical Analysis of Failure Time Data. Wiley; 1980), i.e.
 *   S^exp(±z·σ/|log S|) with σ² the Greenwood sum. Unlike the plain
 *   interval it stays within [0, 1]; it is SAS LIFETEST's default and R
 *   survival's `conf.type = "log-log"`. Where S = 1 (no events yet) or
 *   S = 0 (everyone at risk had the event) the transform is undefined and
 *   both limits equal S.
 *
 * Ties: events at a time precede censorings at the same time, so a subject
 * censored at t is at risk for the events at t (the standard convention).
 * There is a step at every distinct time, censor-only times included (their
 * survival is unchanged), so plots can mark censorings.
 *
 * Median: the first time with S(t) ≤ 0.5; when S is exactly 0.5 on a step
 * and falls below later, the midpoint of that time and the next event time
 * (as R survival and SAS), which gives the sample median without censoring.
 *
 * @param observations one entry per subject; times finite and ≥ 0, in any order
 * @param confidence two-sided confidence level in (0, 1)
 * @returns the steps in increasing time and the median if reached
 * @throws RangeError on a negative or non-finite time or an invalid confidence level
 * @example
 * kaplanMeier([{ time: 1, event: true }, { time: 2, event: true }, { time: 3, event: true }, { time: 4, event: true }])
 * // steps survival 0.75, 0.5, 0.25, 0; median 2.5
 */
export function kaplanMeier(observations: readonly SurvivalObservation[], confidence = 0.95): KaplanMeierResult {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`)
  }
  for (const o of observations) {
    if (!Number.isFinite(o.time) || o.time < 0) {
      throw new RangeError(`time must be a finite number >= 0, got ${o.time}`)
    }
  }
  const z = jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1)
  const sorted = [...observations].sort((p, q) => p.time - q.time)

  const steps: KaplanMeierStep[] = []
  let atRisk = sorted.length
  let survival = 1
  let greenwood = 0
  for (let i = 0; i < sorted.length; ) {
    const time = sorted[i]!.time
    let events = 0
    let censored = 0
    for (; i < sorted.length && sorted[i]!.time === time; i++) {
      if (sorted[i]!.event) events++
      else censored++
    }
    if (events > 0) {
      survival *= 1 - events / atRisk
      // atRisk === events only when survival has just become 0; the term
      // is infinite then and no limit is computed from it.
      if (atRisk > events) greenwood += events / (atRisk * (atRisk - events))
    }
    steps.push({ time, atRisk, events, censored, survival, ...logLogLimits(survival, greenwood, z) })
    atRisk -= events + censored
  }
  const median = medianTime(steps)
  return median === undefined ? { steps } : { steps, median }
}

/**
 * Cumulative incidence as 1 − Kaplan–Meier, for "time to response" plots
 * that rise from 0. Valid when there is no competing event (e.g. death
 * before response); with competing risks 1 − KM overstates incidence and
 * an Aalen–Johansen estimate is needed instead.
 *
 * @param observations one entry per subject; `event: true` = the response was seen
 * @param confidence two-sided confidence level in (0, 1)
 * @returns the {@link kaplanMeier} steps plus `incidence`, `incidenceLower`
 *   (1 − upper) and `incidenceUpper` (1 − lower); the median time to event
 * @example
 * kaplanMeierIncidence([{ time: 2, event: true }, { time: 5, event: false }]).steps[0]?.incidence // 0.5
 */
export function kaplanMeierIncidence(observations: readonly SurvivalObservation[], confidence = 0.95): IncidenceResult {
  const km = kaplanMeier(observations, confidence)
  const steps = km.steps.map(s => ({
    ...s,
    incidence: 1 - s.survival,
    incidenceLower: 1 - s.upper,
    incidenceUpper: 1 - s.lower,
  }))
  return km.median === undefined ? { steps } : { steps, median: km.median }
}

function logLogLimits(survival: number, greenwood: number, z: number): { lower: number; upper: number } {
  if (survival <= 0 || survival >= 1) return { lower: survival, upper: survival }
  const k = Math.exp((z * Math.sqrt(greenwood)) / Math.abs(Math.log(survival)))
  return { lower: survival ** k, upper: survival ** (1 / k) }
}

function medianTime(steps: readonly KaplanMeierStep[]): number | undefined {
  const eventSteps = steps.filter(s => s.events > 0)
  const i = eventSteps.findIndex(s => s.survival <= 0.5 + HALF_TOLERANCE)
  const at = eventSteps[i]
  if (at === undefined) return undefined
  const next = eventSteps[i + 1]
  if (Math.abs(at.survival - 0.5) <= HALF_TOLERANCE && next !== undefined) return (at.time + next.time) / 2
  return at.time
}
