/**
 * The `steroid_dose` fact: total glucocorticoid dose in prednisone-equivalent
 * mg/day on a visit's date (the actual visit date when recorded, else its
 * nominal date), from the medication record's dose history.
 */
import type { MedicationRecord, PatientRecord } from '../../types.ts'
import { resolveEntry } from '../../dictionary/index.ts'
import { compareIsoDates, formatIsoDate, parseIsoDate } from '../../calculators/dates.ts'
import { convertQuantity, roundSignificant } from '../../calculators/units.ts'
import { prednisoneEquivalentMg } from '../../calculators/glucocorticoids.ts'
import { dosesPerDay } from '../../calculators/dose-frequency.ts'
import { visitLabel } from '../../compile/labels.ts'
import { known, unknown, type Evidence } from '../evidence.ts'
import { isSystemicRoute } from '../../dictionary/routes.ts'
import type { FactContext } from './context.ts'
import { unrecognisedDrugsOfClass } from './unrecognised.ts'

export type DoseOnDay = { ok: true; mgPerDay: number; text: string } | { ok: false; why: string }

/** The daily dose of one medication on a day, in mg, from its dose history. */
export function doseOn(m: MedicationRecord, day: number): DoseOnDay | undefined {
  const start = m.start === undefined ? undefined : parseIsoDate(m.start)
  const stop = m.stop === undefined ? undefined : parseIsoDate(m.stop)
  if (start !== undefined && start > day) return undefined
  if (stop !== undefined && stop < day) return undefined
  if (stop === undefined && !m.ongoing) return { ok: false, why: `${m.drug}: neither a stop date nor "ongoing" recorded` }
  const current = (m.doses ?? [])
    .filter(d => (parseIsoDate(d.date) ?? Infinity) <= day)
    .sort((a, b) => compareIsoDates(a.date, b.date))
    .at(-1)
  if (!current) return { ok: false, why: `${m.drug}: no dose recorded on or before that day` }
  const mg = current.unit === 'mg' ? { ok: true as const, value: current.amount } : convertQuantity(current.amount, current.unit, 'mg')
  if (!mg.ok) return { ok: false, why: `${m.drug}: dose unit ${current.unit} is not a mass` }
  const perDay = dosesPerDay(current.frequency)
  if (perDay === undefined) return { ok: false, why: `${m.drug}: dosing frequency "${current.frequency ?? 'not recorded'}" not recognised` }
  return { ok: true, mgPerDay: mg.value * perDay, text: `${m.drug} ${current.amount} ${current.unit} ${current.frequency}` }
}

export interface SteroidDoseParams {
  at: string
  /** Days up to and including the visit date whose highest daily dose is compared; 1 (default) = the visit date only. */
  over_days?: number
}

/** A glucocorticoid on the medication list with its dictionary entry. */
export type Glucocorticoid = { m: MedicationRecord; id: string }

/** The systemic glucocorticoids on the medication list, in list order (looked up once, not once per day); inhaled and topical ones add nothing systemic. */
export function glucocorticoids(patient: PatientRecord, ctx: FactContext): Glucocorticoid[] {
  const out: Glucocorticoid[] = []
  for (const m of patient.medications ?? []) {
    const entry = resolveEntry('drugs', m.drug, ctx.dictionary)
    if (entry?.classes.includes('glucocorticoid') && isSystemicRoute(m.route)) out.push({ m, id: entry.id })
  }
  return out
}

type DayTotal = { ok: true; mg: number; used: string[] } | { ok: false; problems: string[] }

/** The systemic glucocorticoid dose in prednisone-equivalent mg/day on one day. */
function totalOnDay(steroids: Glucocorticoid[], day: number): DayTotal {
  let total = 0
  const used: string[] = []
  const problems: string[] = []
  for (const { m, id } of steroids) {
    const dose = doseOn(m, day)
    if (!dose) continue
    if (!dose.ok) {
      problems.push(dose.why)
      continue
    }
    const eq = prednisoneEquivalentMg(id, dose.mgPerDay)
    if (eq === undefined) {
      problems.push(`${m.drug}: no prednisone equivalence`)
      continue
    }
    total += eq
    used.push(`${dose.text} = ${Number(eq.toPrecision(4))} mg prednisone-equivalent`)
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mg: roundSignificant(total, 10), used }
}

/**
 * The daily glucocorticoid dose at a visit: on its date (the actual date when
 * recorded, else the nominal one), or with `over_days` the highest daily dose
 * over that many days up to and including it ("reduced to ≤ 10 mg/day" read
 * as held for a period rather than on the day).
 */
export function steroidDoseEvidence(
  patient: PatientRecord & { visits?: Array<{ visit: string; date: string }> },
  params: SteroidDoseParams,
  ctx: FactContext,
): Evidence {
  const id = params.at === 'current' ? ctx.run?.currentVisit : params.at
  const days = id === undefined ? undefined : ctx.run?.visitDays?.get(id)
  if (id === undefined || !days) {
    const missing = ctx.run?.visitProblem ?? { key: `visits.${id ?? 'current'}`, description: 'the visit schedule' }
    return unknown('the visit cannot be placed on the calendar', [missing])
  }
  const day = days.actual ?? days.due
  const span = Math.max(1, params.over_days ?? 1)
  const first = day - span + 1
  const visit = `${formatIsoDate(day)} (${visitLabel(ctx.doc, id)}${days.actual === undefined ? ', nominal date' : ''})`
  const when = span === 1 ? visit : `the ${span} days ${formatIsoDate(first)} to ${visit}`
  if (!patient.medications)
    return unknown('medication history not recorded', [{ key: 'medications', description: 'medication history with glucocorticoid doses' }])
  const steroids = glucocorticoids(patient, ctx)
  let highest: { mg: number; day: number; used: string[] } | undefined
  for (let d = first; d <= day; d++) {
    const total = totalOnDay(steroids, d)
    if (!total.ok) {
      return unknown(`on ${formatIsoDate(d)}: ${total.problems.join('; ')}`, [
        { key: 'medications', description: `glucocorticoid doses with frequency on ${when}` },
      ])
    }
    if (highest === undefined || total.mg > highest.mg) highest = { mg: total.mg, day: d, used: total.used }
  }
  const unsure = unrecognisedDrugsOfClass(patient, 'glucocorticoid', ctx.dictionary).filter(u => takenDuring(u.entry, first, day))
  if (unsure.length > 0) {
    return unknown(
      `on ${when}: ${unsure.map(u => `${u.review ? 'unrecognised' : 'unknown drug'} "${u.entry.text}"`).join('; ')} could be a glucocorticoid`,
      unsure.map(u =>
        u.review
          ? { key: u.key, description: `unrecognised "${u.entry.text}": could be a glucocorticoid taken on ${when} — review it`, review: true }
          : { key: u.key, description: `"${u.entry.text}" is not a drug the dictionary knows: name it (it could be a glucocorticoid taken on ${when})` },
      ),
    )
  }
  const top = highest!
  const taken = top.used.length ? `: ${top.used.join(' + ')}` : ': no glucocorticoid'
  if (span === 1) return known(top.mg, `${top.mg} mg/day prednisone-equivalent on ${visit}${taken}`)
  return known(top.mg, `highest ${top.mg} mg/day prednisone-equivalent over ${when}, on ${formatIsoDate(top.day)}${taken}`)
}

/** Whether an item's period may include the day (an unknown start or end may). */
export function takenOn(r: { start?: string; stop?: string; ongoing?: boolean }, day: number): boolean {
  return takenDuring(r, day, day)
}

/**
 * Whether an item's period may overlap the days `first` to `last`: no stop
 * and not ongoing means the end is unknown, so the days may be in it.
 */
export function takenDuring(r: { start?: string; stop?: string; ongoing?: boolean }, first: number, last: number): boolean {
  const start = r.start === undefined ? undefined : parseIsoDate(r.start)
  const stop = r.stop === undefined ? undefined : parseIsoDate(r.stop)
  return !(start !== undefined && start > last) && !(stop !== undefined && stop < first)
}
