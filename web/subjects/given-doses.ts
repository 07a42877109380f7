/**
 * Doses given against the doses planned: the dosing calendar pairs each
 * planned dose with the dose recorded as given (SubjectRecord
 * `administrations`, whose first date anchors treatment emergence in
 * engine/endpoints/safety.ts), and checks a "Record as given" entry before
 * it is saved. Dates are ISO calendar dates compared as text.
 */
import type { Administration, SubjectRecord } from '../../engine/index.ts'
import { parseIsoDate } from '../../engine/calculators/dates.ts'

export type GivenDose = NonNullable<SubjectRecord['administrations']>[number]

/**
 * The dose given for each planned dose (by index in `planned`): per
 * intervention, the n-th dose given (in date order) is the n-th planned one.
 *
 * @example givenForPlanned([{ intervention: 'a', date: '2026-01-01' } as Administration], [{ intervention: 'a', date: '2026-01-02' }]).get(0)?.date // '2026-01-02'
 */
export function givenForPlanned(planned: ReadonlyArray<Pick<Administration, 'intervention' | 'date'>>, given: readonly GivenDose[]): Map<number, GivenDose> {
  const out = new Map<number, GivenDose>()
  const interventions = new Set(planned.map(p => p.intervention))
  for (const intervention of interventions) {
    const plannedAt = planned.flatMap((p, i) => (p.intervention === intervention ? [i] : []))
    const givenSorted = given.filter(g => g.intervention === intervention).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    for (const [n, g] of givenSorted.slice(0, plannedAt.length).entries()) out.set(plannedAt[n]!, g)
  }
  return out
}

/** A typed amount: "120000000", "120,000,000" (grouped), "2e6", "0,5" (decimal comma). */
export function parseAmount(text: string): number | undefined {
  const t = text.trim().replace(/[\s_]/g, '')
  if (t === '') return undefined
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replace(/,/g, '') : t.replace(',', '.')
  const n = Number(plain)
  return Number.isFinite(n) ? n : undefined
}

/**
 * The dose to save from the "Record as given" form, or what is wrong with it
 * (nothing is saved then): a real calendar day not after today, an amount > 0.
 *
 * @example givenDose({ intervention: 'msc_iv', unit: '{cells}' }, '2026-01-19', '120,000,000', '2026-02-01').value // { intervention: 'msc_iv', date: '2026-01-19', amount: 120000000, unit: '{cells}' }
 */
export function givenDose(
  planned: Pick<Administration, 'intervention' | 'unit'>,
  date: string,
  amountText: string,
  today: string,
): { value?: GivenDose; errors: string[] } {
  const errors: string[] = []
  if (parseIsoDate(date) === undefined) errors.push(`Date given: expected a calendar date YYYY-MM-DD, got "${date}"`)
  else if (date > today) errors.push(`Date given: ${date} is after today (${today}); record a dose once it was given`)
  const amount = parseAmount(amountText)
  if (amountText.trim() === '') errors.push('Dose given: enter the amount given')
  else if (amount === undefined || amount <= 0) errors.push(`Dose given: expected a number > 0, got "${amountText}"`)
  if (errors.length || amount === undefined) return { errors }
  return { value: { intervention: planned.intervention, date, amount, unit: planned.unit }, errors }
}
