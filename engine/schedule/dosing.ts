/**
 * A subject's dosing calendar from an arm's interventions.
 *
 * Dates are day numbers (engine/calculators/dates.ts), so no local time zone
 * or daylight-saving change can move a dose to another calendar day.
 * Study days follow the usual clinical convention that there is no day 0:
 * day 1 is the reference date itself and day d is d − 1 days after it.
 */
import type { Administration, Arm, DosingSchedule, Intervention } from '../types/study.ts'
import type { IsoDate, NumberOrParam, ParameterValue } from '../types.ts'
import { addDays, formatIsoDate, parseIsoDate } from '../calculators/dates.ts'
import { resolvePositive, resolveWholeNumber } from './resolve-reported.ts'

/** What {@link generateSchedule} needs besides the arm. */
export interface ScheduleInput {
  /** The date of the interventions' `start.ref` reference date, i.e. study day 1. */
  start: IsoDate
  /** Body weight, needed only when a dose is per kg. */
  weightKg?: number
  /** Protocol parameter values by name, for `{ param }` references. */
  params: Record<string, ParameterValue>
}

/** A calendar, or why none could be made. */
export interface ScheduleResult {
  /** Absent when any problem was found. */
  schedule?: DosingSchedule
  /** One line per problem: where, what, expected, got. */
  problems: string[]
}

/**
 * Plans every administration of every intervention of an arm.
 *
 * Within a cycle doses are `every_days` apart, `doses_per_cycle` of them;
 * cycle k starts `cycle_period_days` after the first dose of cycle k − 1.
 * A per-kg amount is multiplied by `weightKg` and keeps the unit of the
 * numerator (`2e6 {cells}/kg` × 62.5 kg gives `1.25e8 {cells}`). Invalid
 * input is reported in `problems` (all of it, not just the first) and no
 * schedule is returned; nothing here throws for user input.
 *
 * @param arm the arm whose interventions are planned
 * @param input the reference date (day 1), body weight and parameters
 * @returns the schedule, sorted by date, with totals per intervention and unit
 * @example
 * // il2Arm: 1e6 [IU] every other day, 7 doses per cycle, 6 cycles every 28 days
 * const { schedule } = generateSchedule(il2Arm, { start: '2026-01-19', params: {} })
 * schedule?.administrations.slice(0, 2).map((a) => a.date) // ['2026-01-19', '2026-01-21']
 * schedule?.totals // [{ intervention: 'il2', amount: 42000000, unit: '[IU]', doses: 42 }]
 * @example
 * generateSchedule(mscArm, { start: '2026-01-19', params: {} }).problems
 * // ['arm "msc", intervention "msc_iv": dose is per kg: body weight needed']
 */
export function generateSchedule(arm: Arm, input: ScheduleInput): ScheduleResult {
  const problems: string[] = []
  const startDay = parseIsoDate(input.start)
  if (startDay === undefined) problems.push(`arm "${arm.id}": start date expected YYYY-MM-DD, got ${JSON.stringify(input.start)}`)
  if (arm.interventions.length === 0) problems.push(`arm "${arm.id}": no interventions to schedule`)

  const firstRef = arm.interventions[0]?.start.ref
  const plans: InterventionPlan[] = []
  for (const iv of arm.interventions) {
    const where = `arm "${arm.id}", intervention "${iv.id}"`
    // One start date is given for the whole arm, so every intervention must count from the same reference.
    if (iv.start.ref !== firstRef) {
      problems.push(`${where}: start.ref expected "${firstRef}" (one reference date per arm), got "${iv.start.ref}"`)
    }
    const plan = planIntervention(iv, where, input, problems)
    if (plan) plans.push(plan)
  }
  if (problems.length > 0 || startDay === undefined) return { problems }

  const administrations: Administration[] = []
  const totals: DosingSchedule['totals'] = []
  for (const plan of plans) {
    const { iv } = plan
    for (let cycle = 1; cycle <= plan.cycles; cycle++) {
      for (let dose = 1; dose <= plan.dosesPerCycle; dose++) {
        const day = plan.startDay + (cycle - 1) * plan.cyclePeriodDays + (dose - 1) * plan.everyDays
        administrations.push({
          intervention: iv.id,
          date: formatIsoDate(addDays(startDay, day - 1)),
          day,
          cycle,
          dose_in_cycle: dose,
          amount: plan.amount,
          unit: plan.unit,
          route: iv.route,
          ...(iv.vehicle ? { vehicle: iv.vehicle } : {}),
          basis: plan.basis,
        })
      }
    }
    const doses = plan.cycles * plan.dosesPerCycle
    // amount × count, not a running sum, so no rounding error builds up over many doses.
    totals.push({ intervention: iv.id, amount: plan.amount * doses, unit: plan.unit, doses })
  }
  // Stable: same-day doses keep the order of the interventions in the arm.
  administrations.sort((a, b) => a.day - b.day)
  return { schedule: { arm: arm.id, start: input.start, administrations, totals }, problems }
}

interface InterventionPlan {
  iv: Intervention
  startDay: number
  everyDays: number
  dosesPerCycle: number
  cycles: number
  cyclePeriodDays: number
  amount: number
  unit: string
  basis: string
}

function planIntervention(iv: Intervention, where: string, input: ScheduleInput, problems: string[]): InterventionPlan | undefined {
  const before = problems.length
  const field = (name: string, x: NumberOrParam | undefined, min: number): number | undefined =>
    resolveWholeNumber(x, input.params, `${where}: ${name}`, min, problems)

  // No day 0 and no negative days: "day -1" means different things in different protocols.
  const startDay = field('start.day', iv.start.day, 1)
  const dosesPerCycle = field('doses_per_cycle', iv.doses_per_cycle, 1)
  const cycles = field('cycles', iv.cycles, 1)
  let everyDays: number | undefined = 1
  if (iv.every_days !== undefined) everyDays = field('every_days', iv.every_days, 1)
  else if (dosesPerCycle !== undefined && dosesPerCycle > 1) {
    problems.push(`${where}: every_days needed when doses_per_cycle is ${dosesPerCycle}`)
  }
  let cyclePeriodDays: number | undefined = 0
  if (iv.cycle_period_days !== undefined) cyclePeriodDays = field('cycle_period_days', iv.cycle_period_days, 1)
  else if (cycles !== undefined && cycles > 1) problems.push(`${where}: cycle_period_days needed when cycles is ${cycles}`)

  if (
    cycles !== undefined &&
    cycles > 1 &&
    iv.cycle_period_days !== undefined &&
    cyclePeriodDays !== undefined &&
    dosesPerCycle !== undefined &&
    everyDays !== undefined
  ) {
    // A cycle occupies the days from its first to its last dose inclusive; the next one may start the day after.
    const spanDays = (dosesPerCycle - 1) * everyDays + 1
    if (cyclePeriodDays < spanDays) {
      problems.push(
        `${where}: cycle_period_days expected at least ${spanDays} (a cycle spans ${plural(spanDays, 'day')}: ` +
          `${plural(dosesPerCycle, 'dose')} every ${plural(everyDays, 'day')}), got ${cyclePeriodDays}`,
      )
    }
  }

  const dose = resolveAmount(iv, where, input, problems)
  if (problems.length > before) return undefined
  if (
    startDay === undefined ||
    dosesPerCycle === undefined ||
    cycles === undefined ||
    everyDays === undefined ||
    cyclePeriodDays === undefined ||
    dose === undefined
  ) {
    return undefined
  }
  return { iv, startDay, everyDays, dosesPerCycle, cycles, cyclePeriodDays, ...dose }
}

function resolveAmount(iv: Intervention, where: string, input: ScheduleInput, problems: string[]): { amount: number; unit: string; basis: string } | undefined {
  const perDose = resolvePositive(iv.dose.amount, input.params, `${where}: dose.amount`, problems)
  const unit = iv.dose.unit
  if (unit.trim() === '') problems.push(`${where}: dose.unit expected a UCUM unit, got ""`)
  if (iv.dose.per !== 'kg') {
    if (perDose === undefined) return undefined
    return { amount: perDose, unit, basis: `${formatAmount(perDose)} ${unit} per dose (fixed)` }
  }
  const w = input.weightKg
  if (w === undefined) {
    problems.push(`${where}: dose is per kg: body weight needed`)
    return undefined
  }
  if (!Number.isFinite(w) || w <= 0) {
    problems.push(`${where}: body weight expected a positive number of kg, got ${w}`)
    return undefined
  }
  if (perDose === undefined) return undefined
  const amount = perDose * w
  return {
    amount,
    unit,
    basis: `${formatAmount(perDose)} ${unit}/kg × ${formatAmount(w)} kg = ${formatAmount(amount)} ${unit}`,
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/**
 * Writes an amount the way protocols do: `2e6`, `1.25e8`, `62.5`, with
 * 12 significant digits at most so 0.1 × 3 reads `0.3`.
 */
function formatAmount(x: number): string {
  const rounded = Number(x.toPrecision(12))
  const abs = Math.abs(rounded)
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return rounded.toExponential().replace('e+', 'e')
  return String(rounded)
}
