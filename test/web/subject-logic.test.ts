import { describe, expect, it } from 'vitest'
import type { PlannedVisit, ProtocolDocument } from '../../engine/index.ts'
import { dayOf, daysFrom, todayIso } from '../../web/subjects/dates.ts'
import { visitTimeline } from '../../web/subjects/timeline.ts'
import { canRandomize } from '../../web/subjects/screening.ts'
import { BILAG_SYSTEMS, DOSE_FREQUENCIES as WEB_DOSE_FREQUENCIES, emptyVisitForm, visitAssessments, visitAttestations, visitInput } from '../../web/subjects/visit-input.ts'
import { BILAG_SYSTEM_NAMES } from '../../engine/types-study.ts'
import { DOSE_FREQUENCIES as ENGINE_DOSE_FREQUENCIES } from '../../engine/calculators/dose-frequency.ts'
import { adverseEventInput, courseWords, emptyAeForm, seriousWords } from '../../web/subjects/adverse-events.ts'
import { responseTable } from '../../web/subjects/responses.ts'
import { subjectCharts } from '../../web/subjects/charts.ts'
import { shippedProtocol } from '../helpers/protocols.ts'

describe('dates', () => {
  it.each([
    { iso: '1970-01-02', want: 1 },
    { iso: '2024-02-29', want: 19782 }, // leap day
    { iso: '2026-02-29', want: undefined }, // not a leap year
    { iso: '2026-1-5', want: undefined },
  ])('dayOf($iso) = $want', ({ iso, want }) => expect(dayOf(iso)).toBe(want))

  it('counts days across a daylight-saving change without drift', () => {
    expect(daysFrom('2026-03-28', '2026-03-30')).toBe(2)
    expect(daysFrom('2026-10-24', '2026-10-26')).toBe(2)
  })

  it("gives the user's local date", () => expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05'))
})

describe('visitTimeline', () => {
  const week4: PlannedVisit = { visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' }
  const one = (recorded: string | undefined, today: string) => visitTimeline([week4], recorded ? [{ visit: 'week_4', date: recorded }] : [], today)[0]!

  it.each([
    { recorded: '2026-02-16', today: '2026-03-01', state: 'in-window', words: 'done on the due date' },
    { recorded: '2026-02-09', today: '2026-03-01', state: 'in-window', words: 'done in the window, 7 days before the due date' }, // first day of the window
    { recorded: '2026-02-08', today: '2026-03-01', state: 'early', words: 'recorded 1 day before the window opened' },
    { recorded: '2026-02-23', today: '2026-03-01', state: 'in-window', words: 'done in the window, 7 days after the due date' }, // last day of the window
    { recorded: '2026-02-24', today: '2026-03-01', state: 'late', words: 'recorded 1 day after the window closed' },
    { recorded: undefined, today: '2026-02-08', state: 'upcoming', words: 'upcoming: the window opens in 1 day' },
    { recorded: undefined, today: '2026-02-09', state: 'due', words: 'due now: the window is open (14 days left)' },
    { recorded: undefined, today: '2026-02-17', state: 'due', words: 'overdue: past the due date, 6 days left in the window' },
    { recorded: undefined, today: '2026-02-23', state: 'due', words: 'overdue: past the due date, the window closes today' },
    { recorded: undefined, today: '2026-02-24', state: 'missed', words: 'missed: not recorded, the window closed 1 day ago' },
  ])('recorded $recorded, today $today -> $state', ({ recorded, today, state, words }) => {
    expect(one(recorded, today)).toMatchObject({ state, words })
  })

  it('lists a recorded visit the plan could not place', () => {
    expect(visitTimeline([], [{ visit: 'week_4', date: '2026-02-16' }], '2026-03-01')).toMatchObject([{ visit: 'week_4', state: 'unplanned' }])
  })
})

describe('canRandomize', () => {
  const screening = (overall: 'eligible' | 'ineligible' | 'undetermined', id = 1) => ({ id, overall, failing: overall === 'ineligible' ? ['IN04'] : [], version: 1 })
  it('allows a screened subject whose latest screening is eligible', () => {
    expect(canRandomize('screened', [screening('ineligible', 1), screening('eligible', 2)])).toEqual({ allowed: true })
  })
  it.each([
    { status: 'screened', list: [], why: 'has not been screened yet' },
    { status: 'screened', list: [screening('eligible', 1), screening('ineligible', 2)], why: 'found the subject ineligible (failing: IN04)' }, // the latest counts
    { status: 'screened', list: [screening('undetermined')], why: 'found the subject undetermined' },
    { status: 'randomized', list: [screening('eligible')], why: 'already randomized' },
  ])('refuses $status with $list.length screening(s), saying why', ({ status, list, why }) => {
    const r = canRandomize(status, list)
    expect(r.allowed).toBe(false)
    expect(r.allowed ? '' : r.why).toContain(why)
  })
})

describe('visitInput', () => {
  const base = { ...emptyVisitForm(), visit: 'week_4', date: '2026-02-16' }
  it('turns the form into measurements dated on the visit, in the unit chosen', () => {
    const { value, errors } = visitInput({ ...base, upcr: '0,4', creatinine: '80', creatinineUnit: 'umol/L', sledai: '4', attestations: { other_deterioration: 'no', x: '' } })
    expect(errors).toEqual([])
    expect(value).toEqual({
      visit: 'week_4',
      date: '2026-02-16',
      measurements: [
        { concept: 'urine_protein_creatinine_ratio', value: 0.4, unit: 'g/g', date: '2026-02-16' },
        { concept: 'serum_creatinine', value: 80, unit: 'umol/L', date: '2026-02-16' },
      ],
      sledai_2k: [{ date: '2026-02-16', score: 4 }],
      attestations: { other_deterioration: false },
    })
  })
  it('sends only the visit and date when nothing else was entered', () => {
    expect(visitInput(base).value).toEqual({ visit: 'week_4', date: '2026-02-16' })
  })
  it('collects every problem and sends nothing', () => {
    const { value, errors } = visitInput({ ...emptyVisitForm(), date: '2026-02-30', upcr: '-1', sledai: '106' })
    expect(value).toBeUndefined()
    expect(errors).toEqual([
      'Visit: choose the visit that took place',
      'Date: expected a calendar date YYYY-MM-DD, got "2026-02-30"',
      'UPCR: expected a number ≥ 0, got "-1"',
      'SLEDAI-2K: expected a whole number from 0 to 105, got "106"',
    ])
  })
  it.each([
    { sledai: '0', ok: true },
    { sledai: '105', ok: true }, // the maximum
    { sledai: '4.5', ok: false },
  ])('SLEDAI-2K $sledai ok=$ok', ({ sledai, ok }) => expect(visitInput({ ...base, sledai }).errors.length === 0).toBe(ok))
  it('a dose change: drug, amount and unit, with its frequency unless stopped (0)', () => {
    expect(visitInput({ ...base, doseDrug: ' prednisone ', doseAmount: '7,5', doseFrequency: 'every other day' }).value?.dose_changes).toEqual([
      { drug: 'prednisone', amount: 7.5, unit: 'mg', frequency: 'every other day' },
    ])
    expect(visitInput({ ...base, doseDrug: 'prednisone', doseAmount: '0' }).value?.dose_changes).toEqual([{ drug: 'prednisone', amount: 0, unit: 'mg' }])
  })
  it('a dose change needs both the drug and the dose', () => {
    expect(visitInput({ ...base, doseAmount: '5' }).errors).toEqual(['Dose: name the drug whose dose changed'])
    expect(visitInput({ ...base, doseDrug: 'prednisone' }).errors).toEqual(['Dose: give the prednisone dose from this visit on (0 if it was stopped)'])
    expect(visitInput({ ...base, doseDrug: 'prednisone', doseAmount: '-2' }).errors).toEqual(['Dose: expected a number ≥ 0, got "-2"'])
  })
  it('PGA 0–3 becomes a score measurement; BILAG-2004 grades one assessment of the graded systems', () => {
    const { value } = visitInput({ ...base, pga: '1.5', bilag: { renal: 'B', mucocutaneous: 'C', ophthalmic: '' } })
    expect(value?.measurements).toEqual([{ concept: 'physician_global_assessment', value: 1.5, unit: '{score}', date: '2026-02-16' }])
    expect(value?.bilag_2004).toEqual([{ date: '2026-02-16', grades: { mucocutaneous: 'C', renal: 'B' } }])
    expect(visitInput({ ...base, bilag: { renal: '' } }).value).toEqual({ visit: 'week_4', date: '2026-02-16' })
  })
  it.each([
    { pga: '0', ok: true },
    { pga: '3', ok: true }, // the top of the scale (Furie 2009)
    { pga: '3.1', ok: false },
    { pga: '-0.1', ok: false },
  ])('PGA $pga ok=$ok', ({ pga, ok }) => expect(visitInput({ ...base, pga }).errors.length === 0).toBe(ok))
  it('names the nine BILAG-2004 systems as the engine does', () => {
    expect([...BILAG_SYSTEMS]).toEqual([...BILAG_SYSTEM_NAMES])
  })
  it('offers only frequencies the engine can turn into a daily dose', () => {
    for (const f of WEB_DOSE_FREQUENCIES) expect(ENGINE_DOSE_FREQUENCIES).toContain(f)
  })
})

describe('visitAssessments', () => {
  it('asks for BILAG-2004 and the PGA when an endpoint is an SRI; for BILAG-2004 alone when only its change is read', () => {
    expect(visitAssessments(shippedProtocol('NCT05631717').doc)).toEqual({ bilag: true, pga: true })
    const doc = (endpoints: unknown[]) => ({ ...shippedProtocol('NCT05631717').doc, endpoints }) as ProtocolDocument
    expect(visitAssessments(doc([{ id: 'b', type: 'change_from_baseline', measure: 'bilag_2004' }]))).toEqual({ bilag: true, pga: false })
    expect(visitAssessments(doc([]))).toEqual({ bilag: false, pga: false })
  })
})

describe('visitAttestations', () => {
  it('asks what the endpoints read at each visit, not the eligibility questions', () => {
    const doc = shippedProtocol('NCT05631717').doc as ProtocolDocument
    expect(visitAttestations(doc)).toEqual([{ id: 'other_deterioration', question: 'At this visit, is there any other indicator of deterioration (renal or extrarenal)?' }])
  }, 60_000) // loading the shipped protocols and their examples takes a few seconds
})

describe('adverseEventInput', () => {
  const ok = { ...emptyAeForm(), term: ' Injection site reaction ', onset: '2026-01-20', relatedness: 'related' }
  it('builds the event with only what was given', () => {
    expect(adverseEventInput({ ...ok, end: '2026-01-22', grade: '1', serious: ['hospitalization'] }).value).toEqual({
      term: 'Injection site reaction',
      onset: '2026-01-20',
      end: '2026-01-22',
      seriousness: { hospitalization: true },
      relatedness: 'related',
      ctcae_grade: 1,
    })
    expect(adverseEventInput(ok).value).toEqual({ term: 'Injection site reaction', onset: '2026-01-20', seriousness: {}, relatedness: 'related' })
  })
  it('refuses an end before the onset, and both an end and ongoing', () => {
    expect(adverseEventInput({ ...ok, end: '2026-01-19' }).errors).toEqual(['Resolved on: 2026-01-19 is before the onset 2026-01-20'])
    expect(adverseEventInput({ ...ok, end: '2026-01-20' }).errors).toEqual([]) // same day
    expect(adverseEventInput({ ...ok, end: '2026-01-21', ongoing: true }).errors).toEqual(['Ongoing: an event with a resolution date is not ongoing; clear one of them'])
  })
  it('requires term, onset and relatedness', () => {
    expect(adverseEventInput(emptyAeForm()).errors).toHaveLength(3)
  })
  it('describes seriousness and course in words', () => {
    const ae = adverseEventInput({ ...ok, serious: ['life_threatening', 'hospitalization'] }).value!
    expect(seriousWords(ae)).toBe('Serious: life-threatening, required or prolonged hospitalisation')
    expect(seriousWords(adverseEventInput(ok).value!)).toBe('Not serious')
    expect(courseWords({ ...ae, ongoing: true })).toBe('2026-01-20, ongoing')
    expect(courseWords(ae)).toBe('2026-01-20, resolution not recorded')
  })
})

describe('responseTable', () => {
  it('gives each visit its status, each endpoint its truth, and what is missing once', () => {
    const missing = [{ key: 'm', description: 'UPCR at week 8' }]
    const t = responseTable({
      responses: [
        { endpoint: 'complete_response', visit: 'week_4', truth: 'met', explanation: {} as never, missing: [] },
        { endpoint: 'partial_response', visit: 'week_4', truth: 'not_met', explanation: {} as never, missing: [] },
        { endpoint: 'complete_response', visit: 'week_8', truth: 'unknown', explanation: {} as never, missing },
      ],
      classifications: [
        { endpoint: 'response_status', visit: 'week_4', level: 'CR', detail: '', missing: [] },
        { endpoint: 'response_status', visit: 'week_8', level: 'unknown', at_least: 'PR', detail: '', missing },
      ],
    })
    expect(t.endpoints).toEqual(['complete_response', 'partial_response'])
    expect(t.rows).toEqual([
      { visit: 'week_4', status: [{ endpoint: 'response_status', level: 'CR', words: 'CR' }], truths: { complete_response: '✓ met', partial_response: '✗ not met' }, missing: [] },
      { visit: 'week_8', status: [{ endpoint: 'response_status', level: 'unknown', words: '? unknown (at least PR)' }], truths: { complete_response: '? unknown' }, missing: ['UPCR at week 8'] },
    ])
  })
})

describe('subjectCharts', () => {
  const view = {
    version: 1,
    anchor: { ref: 'randomization', date: '2026-01-19' },
    series: [{ id: 'glucocorticoid' as const, label: 'g', unit: 'mg/d', step: true, points: [{ date: '2026-01-01', day: -18, value: 30, note: '' }, { date: '2026-02-01', day: 14, value: null, note: 'why' }], problems: ['why'], thresholds: [{ y: 10, label: 'CR' }] }],
  }
  it('charts study days with gaps kept, as steps, with the thresholds', () => {
    const [c] = subjectCharts(view)
    expect(c).toMatchObject({ title: 'Glucocorticoid dose over time', xIsDate: false, yLabel: 'mg/day (prednisone-eq.)', thresholds: [{ y: 10, label: 'CR' }], problems: ['why'] })
    expect(c!.xLabel).toBe('Study day')
    expect(c!.series).toEqual([{ label: 'Glucocorticoid dose (mg/day prednisone-equivalent)', step: true, points: [{ x: -18, y: 30 }, { x: 14, y: null }] }])
  })
  it('charts by date when the record has no anchor date', () => {
    const [c] = subjectCharts({ ...view, anchor: null, series: [{ ...view.series[0]!, points: view.series[0]!.points.map((p) => ({ ...p, day: null })) }] })
    expect(c!.xIsDate).toBe(true)
    expect(c!.series[0]!.points[0]!.x).toBe(Date.parse('2026-01-01'))
  })
})
