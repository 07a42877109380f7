/**
 * `steroid_dose.over_days`: "prednisone reduced to ≤ 10 mg/day" read on the
 * visit date (1 day) or as held over the days up to it (NCT05631717's
 * cr_prednisone_reduced_over_days).
 */
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { compileProtocol, loadProtocol, type MedicationRecord, type ProtocolDocument, type SubjectRecord } from '../../../engine/index.ts'
import { evaluateSubject, exampleSubject } from '../../../engine/study.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const { doc, examples } = shippedProtocol('NCT05631717')
const WEEK_24 = '2026-07-06' // the base subject's week-24 visit date

/** Prednisone 12.5 mg/day from June, then 10 mg/day from `reducedOn`. */
function reducedOn(reducedOn: string): SubjectRecord {
  const prednisone: MedicationRecord = {
    drug: 'prednisone',
    start: '2025-12-01',
    ongoing: true,
    doses: [
      { date: '2025-12-01', amount: 30, unit: 'mg', frequency: 'daily' },
      { date: '2026-06-01', amount: 12.5, unit: 'mg', frequency: 'daily' },
      { date: reducedOn, amount: 10, unit: 'mg', frequency: 'daily' },
    ],
  }
  return { ...exampleSubject(examples!, 'cr-by-week-20'), medications: [prednisone] }
}

const withDays = (days: number): ProtocolDocument => ({
  ...doc,
  parameters: { ...doc.parameters, cr_prednisone_reduced_over_days: { ...doc.parameters!.cr_prednisone_reduced_over_days!, value: days } },
})

async function crAtWeek24(protocol: ProtocolDocument, subject: SubjectRecord) {
  const r = await evaluateSubject(compileProtocol(protocol), subject)
  return r.responses.find(x => x.endpoint === 'complete_response' && x.visit === 'week_24')!
}

describe('CR prednisone ≤ 10 mg/day over the days up to the visit', () => {
  it('reads the visit date only by default', async () => {
    expect(doc.parameters!.cr_prednisone_reduced_over_days!.value).toBe(1)
    expect((await crAtWeek24(doc, reducedOn(WEEK_24))).truth).toBe('met')
    expect((await crAtWeek24(doc, reducedOn('2026-07-07'))).truth).toBe('not_met')
  })

  it.each([
    // 28 days up to and including 2026-07-06 start on 2026-06-09
    { reduced: '2026-06-09', want: 'met' },
    { reduced: '2026-06-10', want: 'not_met' }, // 2026-06-09 was still 12.5 mg
    { reduced: WEEK_24, want: 'not_met' },
  ])('over 28 days: reduced to 10 mg on $reduced -> $want', async ({ reduced, want }) => {
    const cr = await crAtWeek24(withDays(28), reducedOn(reduced))
    expect(cr.truth).toBe(want)
  })

  it('names the highest dose and its day in the explanation', async () => {
    const cr = await crAtWeek24(withDays(28), reducedOn('2026-06-10'))
    const text = JSON.stringify(cr.explanation)
    expect(text).toContain('glucocorticoid dose on each of the 28 days up to the visit ≤ 10 mg/day prednisone-equivalent')
    expect(text).toContain('highest 12.5 mg/day prednisone-equivalent over the 28 days 2026-06-09 to 2026-07-06 (week 24), on 2026-06-09')
  })

  it('is unknown when a day of the period has a dose it cannot work out', async () => {
    const subject = reducedOn('2026-06-09')
    subject.medications![0]!.doses![1]!.frequency = 'as needed'
    const cr = await crAtWeek24(withDays(40), subject)
    expect(cr.truth).toBe('unknown')
  })

  it('rejects a period that is not a whole number of days, located', () => {
    const bad = withDays(1.5)
    const d = loadProtocol(stringify(bad)).diagnostics
    expect(d.map(x => [x.code, x.path])).toContainEqual([
      'E_SCHEMA_RANGE',
      expect.stringMatching(/^endpoints\[\d+\]\.logic\.all\[2\]\.steroid_dose\.over_days$/),
    ])
  })
})
