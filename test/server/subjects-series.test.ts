import { describe, expect, it } from 'vitest'
import { defaultDictionary, examplePatient, resolveParameters, type SubjectRecord } from '../../engine/index.ts'
import { exampleSubject } from '../../engine/study.ts'
import { endpointThresholds, studyDay, subjectSeries, type SubjectSeriesView } from '../../server/routes/subject-series.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { caller, testApp } from './helpers.ts'

const shipped = shippedProtocol('NCT05631717')
const doc = shipped.doc
const params = resolveParameters(doc)
const series = (record: SubjectRecord) => subjectSeries(record, doc, params, defaultDictionary)
const of = (view: SubjectSeriesView, id: string) => view.series.find(s => s.id === id)!

describe('studyDay (CDISC --DY: day 1 is the anchor, no day 0)', () => {
  it.each([
    { date: '2026-01-19', want: 1 }, // the anchor itself
    { date: '2026-01-20', want: 2 },
    { date: '2026-01-18', want: -1 }, // the day before: no day 0
    { date: '2026-02-16', want: 29 }, // week 4 as the visit plan counts it
    { date: '2026-02-30', want: null }, // not a date
  ])('$date -> $want', ({ date, want }) => expect(studyDay('2026-01-19', date)).toBe(want))
})

describe('subjectSeries', () => {
  const subject = exampleSubject(shipped.examples!, 'cr-by-week-20')

  it('counts study days from randomization', () => {
    const view = series(subject)
    expect(view.anchor).toEqual({ ref: 'randomization', date: '2026-01-19' })
    expect(of(view, 'upcr').points.map(p => [p.date, p.day, p.value])).toEqual([
      ['2026-01-15', -4, 3],
      ['2026-02-16', 29, 2.5],
      ['2026-03-16', 57, 1.8],
      ['2026-05-11', 113, 0.8],
      ['2026-06-08', 141, 0.45],
      ['2026-07-06', 169, 0.3],
    ])
  })

  it('converts creatinine recorded in umol/L into mg/dL by the concept (113.12 g/mol: 88.4 umol/L = 1 mg/dL)', () => {
    const { id: _id, ...patient } = examplePatient(shipped.examples!, 'eligible-baseline')
    const creat = of(series(patient as SubjectRecord), 'serum_creatinine')
    expect(creat.unit).toBe('mg/dL')
    expect(creat.points).toHaveLength(1)
    expect(creat.points[0]!.value).toBeCloseTo(88 / 88.4, 3)
    expect(creat.points[0]!.note).toBe('88 umol/L')
  })

  it('converts UPCR in mg/mmol to g/g and leaves out (and names) a value in a unit that cannot be converted', () => {
    const record: SubjectRecord = {
      dates: { randomization: '2026-01-19' },
      measurements: [
        { concept: 'urine_protein_creatinine_ratio', value: 113.12, unit: 'mg/mmol', date: '2026-01-20' },
        { concept: 'urine_protein_creatinine_ratio', value: 2, unit: 'mL', date: '2026-01-21' },
      ],
    }
    const upcr = of(series(record), 'upcr')
    expect(upcr.points.map(p => p.value)).toEqual([1])
    expect(upcr.problems).toHaveLength(1)
    expect(upcr.problems[0]).toContain('2026-01-21: 2 mL left out')
  })

  it('scores SLEDAI-2K from descriptors only when all 24 are recorded', () => {
    const all = {
      seizure: false,
      psychosis: false,
      organic_brain_syndrome: false,
      visual_disturbance: false,
      cranial_nerve_disorder: false,
      lupus_headache: false,
      cerebrovascular_accident: false,
      vasculitis: false,
      arthritis: false,
      myositis: false,
      urinary_casts: false,
      hematuria: false,
      proteinuria: false,
      pyuria: false,
      rash: false,
      alopecia: false,
      mucosal_ulcers: false,
      pleurisy: false,
      pericarditis: false,
      low_complement: false,
      increased_dna_binding: false,
      fever: false,
      thrombocytopenia: false,
      leukopenia: false,
    }
    const record = {
      dates: { randomization: '2026-01-19' },
      sledai_2k: [
        { date: '2026-01-19', descriptors: { ...all, proteinuria: true, hematuria: true } },
        { date: '2026-02-16', descriptors: { proteinuria: true } },
        { date: '2026-03-16', score: 6 },
      ],
    } as SubjectRecord
    const s = of(series(record), 'sledai_2k')
    expect(s.points.map(p => [p.day, p.value])).toEqual([
      [1, 8],
      [57, 6],
    ]) // proteinuria 4 + hematuria 4 (SLEDAI-2K weights)
    expect(s.problems[0]).toMatch(/^2026-02-16: 23 descriptor\(s\) not recorded, so the score is only known to be 4 to /)
  })

  it('steps the prednisone-equivalent dose at each change, converting other glucocorticoids (methylprednisolone 4 mg = prednisone 5 mg)', () => {
    const record: SubjectRecord = {
      dates: { randomization: '2026-01-19' },
      medications: [
        {
          drug: 'prednisone',
          start: '2026-01-01',
          stop: '2026-02-28',
          doses: [
            { date: '2026-01-01', amount: 30, unit: 'mg', frequency: 'daily' },
            { date: '2026-02-01', amount: 10, unit: 'mg', frequency: 'twice daily' },
          ],
        },
        { drug: 'methylprednisolone', start: '2026-03-01', ongoing: true, doses: [{ date: '2026-03-01', amount: 4, unit: 'mg', frequency: 'daily' }] },
        {
          drug: 'mycophenolate mofetil',
          start: '2025-01-01',
          ongoing: true,
          doses: [{ date: '2025-01-01', amount: 1000, unit: 'mg', frequency: 'twice daily' }],
        },
      ],
    }
    const g = of(series(record), 'glucocorticoid')
    expect(g.step).toBe(true)
    expect(g.unit).toBe('mg/d')
    // the day after prednisone's stop (03-01) is also methylprednisolone's start: one point
    expect(g.points.map(p => [p.date, p.value])).toEqual([
      ['2026-01-01', 30],
      ['2026-02-01', 20],
      ['2026-03-01', 5],
    ])
    expect(g.problems).toEqual([])
  })

  it('carries the last dose to the latest dated entry of the record, and starts 90 days before day 1', () => {
    const g = of(series(subject), 'glucocorticoid')
    // prednisone from 2025-12-01 (day -49): 30, 20, 15, 10, 7.5 mg daily; the last measurement is 2026-07-06
    expect(g.points.map(p => [p.date, p.day, p.value])).toEqual([
      ['2025-12-01', -49, 30],
      ['2026-02-01', 14, 20],
      ['2026-03-01', 42, 15],
      ['2026-04-15', 87, 10],
      ['2026-06-01', 134, 7.5],
      ['2026-07-06', 169, 7.5],
    ])
    const { id: _id, ...patient } = examplePatient(shipped.examples!, 'eligible-baseline')
    // prednisone since 2025-03-01, long before day 1 (2026-01-19): drawn from day -90
    expect(of(series(patient as SubjectRecord), 'glucocorticoid').points[0]).toMatchObject({ date: '2025-10-21', day: -90, value: 10 })
  })

  it('gives no dose (and says why) when a frequency is not recognised', () => {
    const record: SubjectRecord = {
      medications: [
        { drug: 'prednisone', start: '2026-01-01', ongoing: true, doses: [{ date: '2026-01-01', amount: 10, unit: 'mg', frequency: 'as needed' }] },
      ],
    }
    const view = series(record)
    expect(view.anchor).toBeNull()
    const g = of(view, 'glucocorticoid')
    expect(g.points).toEqual([{ date: '2026-01-01', day: null, value: null, note: 'prednisone: dosing frequency "as needed" not recognised' }])
  })
})

describe('endpointThresholds', () => {
  it("reads complete response's thresholds at the visit from the protocol", () => {
    const t = endpointThresholds(doc, params, defaultDictionary)
    expect(t.upcr).toEqual([{ y: 0.5, label: 'Complete response (CR): < 0.5 g/g' }])
    expect(t.serum_creatinine).toEqual([{ y: 1.2, label: 'Complete response (CR): ≤ 1.2 mg/dL' }])
    expect(t.glucocorticoid).toEqual([{ y: 10, label: 'Complete response (CR): ≤ 10 mg/day' }])
    expect(t.sledai_2k).toEqual([])
  })
})

describe('GET /subjects/:sid/series', () => {
  it('answers the series of a registered subject, and 404 for an unknown one', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const { id: _id, ...record } = examplePatient(shipped.examples!, 'eligible-baseline')
    const res = await call('POST', '/protocols/nct05631717/subjects', { body: { code: 'S-SERIES', record } })
    const { id } = (await res.json()) as { id: string }
    const got = await call('GET', `/subjects/${id}/series`, { as: 'viewer' })
    expect(got.status).toBe(200)
    const body = (await got.json()) as SubjectSeriesView & { version: number }
    expect(body.version).toBe(1)
    expect(body.anchor).toEqual({ ref: 'randomization', date: '2026-01-19' })
    expect(of(body, 'upcr').points).toEqual([{ date: '2026-01-04', day: -15, value: 1.8, note: '1.8 g/g' }])
    expect((await call('GET', '/subjects/nope/series')).status).toBe(404)
  })
})
