/**
 * A dose change recorded at a visit ("prednisone tapered to 7.5 mg daily
 * from today"), applied to the medication history: it joins the dose history
 * of the record of that drug taken on that day, or starts a new record when
 * none is. Keeping one record per course matters: two overlapping records of
 * the same glucocorticoid would be added up as two doses.
 */
import type { Diagnostic, DiagnosticCode, IsoDate, MedicationRecord } from '../types.ts'
import { defaultDictionary, normalizeEntryText, resolveEntry, type Dictionary } from '../dictionary/index.ts'
import { addDays, formatIsoDate, parseIsoDate } from '../calculators/dates.ts'
import { dosesPerDay, DOSE_FREQUENCIES } from '../calculators/dose-frequency.ts'

/** A dose taken from a date on; amount 0 means the drug was stopped that day. */
export interface DoseChange {
  drug: string
  amount: number
  unit: string
  frequency?: string
}

export type DoseChangeResult = { ok: true; medications: MedicationRecord[] } | { ok: false; problems: Diagnostic[] }

/** The same drug: the same dictionary entry, or (for a name the dictionary lacks) the same text, case and spacing aside. */
function sameDrug(a: string, b: string, dictionary: Dictionary): boolean {
  const ea = resolveEntry('drugs', a, dictionary)
  const eb = resolveEntry('drugs', b, dictionary)
  return ea && eb ? ea.id === eb.id : normalizeEntryText(a) === normalizeEntryText(b)
}

/** Taken on `day`: started by then (or start not recorded) and not stopped before it. */
function takenOn(m: MedicationRecord, day: number): boolean {
  const start = m.start === undefined ? undefined : parseIsoDate(m.start)
  const stop = m.stop === undefined ? undefined : parseIsoDate(m.stop)
  return (start === undefined || start <= day) && (stop === undefined ? m.ongoing === true : stop >= day)
}

/**
 * Apply dose changes dated `date` to a medication history (nothing is
 * modified: the result is a new list).
 *
 * @returns the new history, or every problem (located at `dose_changes[i]`), in which case nothing applies
 * @example
 * applyDoseChanges([{ drug: 'prednisone', start: '2026-01-19', ongoing: true, doses: [{ date: '2026-01-19', amount: 20, unit: 'mg', frequency: 'daily' }] }],
 *   '2026-03-02', [{ drug: 'Prednisone', amount: 7.5, unit: 'mg', frequency: 'daily' }])
 * // { ok: true, medications: [{ drug: 'prednisone', ..., doses: [20 mg from 2026-01-19, 7.5 mg from 2026-03-02] }] }
 */
export function applyDoseChanges(
  medications: readonly MedicationRecord[] | undefined,
  date: IsoDate,
  changes: readonly DoseChange[],
  dictionary: Dictionary = defaultDictionary,
): DoseChangeResult {
  const day = parseIsoDate(date)
  if (day === undefined)
    return { ok: false, problems: [problem('E_DOSE_DATE', 'date', `the visit date must be a calendar date YYYY-MM-DD, got "${date}"`, 'YYYY-MM-DD', date)] }
  const out = [...(medications ?? [])]
  const problems: Diagnostic[] = []
  changes.forEach((change, i) => {
    const at = `dose_changes[${i}]`
    if (!(change.amount >= 0)) {
      problems.push(
        problem(
          'E_DOSE_AMOUNT',
          `${at}.amount`,
          `${change.drug}: the dose must be a number ≥ 0 (0 = stopped), got ${String(change.amount)}`,
          'a number ≥ 0',
          String(change.amount),
        ),
      )
      return
    }
    if (change.amount > 0 && dosesPerDay(change.frequency) === undefined) {
      problems.push(
        problem(
          'E_DOSE_FREQUENCY',
          `${at}.frequency`,
          `${change.drug}: frequency "${change.frequency ?? ''}" is not one the engine can turn into a daily dose`,
          `one of ${DOSE_FREQUENCIES.join(', ')}`,
          change.frequency ?? '',
        ),
      )
      return
    }
    const matches = out.flatMap((m, j) => (sameDrug(m.drug, change.drug, dictionary) && takenOn(m, day) ? [j] : []))
    if (matches.length > 1) {
      problems.push(
        problem(
          'E_DOSE_AMBIGUOUS',
          at,
          `${change.drug}: ${matches.length} records are taken on ${date} (${matches.map(j => `medications[${j}]`).join(', ')}); correct the history so that one course is current`,
          'one current record of the drug',
          `${matches.length} records`,
        ),
      )
      return
    }
    const j = matches[0]
    if (j === undefined) {
      if (change.amount === 0) {
        problems.push(
          problem(
            'E_DOSE_NOTHING_TO_STOP',
            `${at}.amount`,
            `${change.drug}: no record of it is taken on ${date}, so there is nothing to stop`,
            `a current record of ${change.drug}`,
            'none',
          ),
        )
        return
      }
      out.push({
        drug: change.drug,
        start: date,
        ongoing: true,
        doses: [{ date, amount: change.amount, unit: change.unit, frequency: change.frequency as string }],
      })
      return
    }
    const current = out[j]!
    if ((current.doses ?? []).some(d => d.date === date)) {
      problems.push(
        problem('E_DOSE_SAME_DAY', at, `${change.drug}: a dose dated ${date} is already recorded (medications[${j}])`, 'one dose per drug and day', date),
      )
      return
    }
    if (change.amount === 0) {
      // stopped on the visit day: the last day taken is the day before
      const { ongoing: _ongoing, ...rest } = current
      out[j] = { ...rest, stop: formatIsoDate(addDays(day, -1)) }
      return
    }
    out[j] = { ...current, doses: [...(current.doses ?? []), { date, amount: change.amount, unit: change.unit, frequency: change.frequency as string }] }
  })
  return problems.length ? { ok: false, problems } : { ok: true, medications: out }
}

function problem(code: DiagnosticCode, path: string, message: string, expected: string, found: string): Diagnostic {
  return { code, severity: 'error', message, path, expected, found }
}
