/**
 * `time_to_first_event`: BLISS-LN's time to a renal-related event or death,
 * read from the record's own dates; what the record cannot decide is never
 * "no event".
 */
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { compileProtocol, loadProtocol, validateAgainstSchema, type ProtocolDocument, type SubjectRecord } from '../../../engine/index.ts'
import { describeProtocol } from '../../../engine/describe/index.ts'
import { evaluateSubject, exampleSubject, summarizeStudy } from '../../../engine/study.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const { doc, examples } = shippedProtocol('NCT01639339')
const compiled = compileProtocol(doc)
const ENDPOINT = 'time_to_renal_event_or_death'
const base = exampleSubject(examples!, 'complete-response')

async function timeOf(subject: SubjectRecord, protocol = compiled) {
  const r = await evaluateSubject(protocol, subject)
  return r.times_to_event.find(t => t.endpoint === ENDPOINT)!
}

describe('time to a renal-related event or death', () => {
  it('without an event, censors at the last visit (week 104, day 728)', async () => {
    expect(await timeOf(base)).toMatchObject({ event: false, censored_at_days: 728 })
  })

  it('a follow-up shorter than the last visit censors at its last day', async () => {
    const short = {
      ...doc,
      parameters: { ...doc.parameters, renal_event_follow_up_last_day: { ...doc.parameters!.renal_event_follow_up_last_day!, value: 365 } },
    }
    expect(await timeOf(base, compileProtocol(short))).toMatchObject({ event: false, censored_at_days: 364 })
    // a death on day 365 of follow-up (2027-04-26) counts; the next day does not
    expect(await timeOf({ ...base, death: { date: '2027-04-26' } }, compileProtocol(short))).toMatchObject({ event: true, days: 364 })
    expect(await timeOf({ ...base, death: { date: '2027-04-27' } }, compileProtocol(short))).toMatchObject({ event: false, censored_at_days: 364 })
  })

  it('takes the first of several events', async () => {
    const both = { ...base, death: { date: '2027-01-01' }, procedures: [{ concept: 'hemodialysis', date: '2026-12-01' }] }
    const t = await timeOf(both)
    expect(t).toMatchObject({ event: true, days: 218 })
    expect(t.detail).toContain('dialysis or kidney transplantation')
  })

  it('an unrecorded history leaves an event-free subject unknown, naming what to enter', async () => {
    const { conditions: _c, ...noConditions } = base
    const t = await timeOf(noConditions)
    expect(t.event).toBe(false)
    expect(t.censored_at_days).toBeUndefined()
    expect(t.detail).toContain('end-stage kidney disease')
    expect(t.detail).toContain('not recorded')
  })

  it('an unrecognised condition that could be the event makes a later event interval-censored', async () => {
    const unsure: SubjectRecord = {
      ...base,
      death: { date: '2027-01-01' },
      unrecognised: { conditions: [{ text: 'renal failure NOS', reason: 'no dictionary entry', possibly: ['end_stage_kidney_disease'], onset: '2026-10-01' }] },
    }
    const t = await timeOf(unsure)
    expect(t).toMatchObject({ event: true, interval: { after_days: 0, by_days: 249 } })
  })

  it('an unanswered visit question with no later yes leaves the subject unknown', async () => {
    const visits = base.visits!.map(v => (v.visit === 'week_100' ? { visit: v.visit, date: v.date } : v))
    const t = await timeOf({ ...base, visits })
    expect(t).toMatchObject({ event: false })
    expect(t.censored_at_days).toBeUndefined()
    expect(t.detail).toContain('not answered at week 100')
  })

  it('counts toward the per-arm Kaplan–Meier with the other time-to-event endpoints', async () => {
    const subjects = [base, { ...base, id: 'd', death: { date: '2027-01-01' } }, { ...base, id: 'e', arm: 'placebo' }]
    const results = await Promise.all(subjects.map(s => evaluateSubject(compiled, s)))
    const km = summarizeStudy(compiled, results).time_to_event.find(t => t.endpoint === ENDPOINT)!
    expect(km.arms.find(a => a.arm === 'belimumab')).toMatchObject({ subjects: 2, events: 1, interval_censored: 0 })
    expect(km.arms.find(a => a.arm === 'placebo')).toMatchObject({ subjects: 1, events: 0 })
  })

  it('is described in plain words', () => {
    const d = describeProtocol(doc).endpoints.find(e => e.id === ENDPOINT)!
    expect(d.summary).toContain('Days from random allocation to the first of: death, end-stage kidney disease (from its onset)')
    expect(d.summary).toContain('(the first serum creatinine >= 2 × its value at baseline)')
  })
})

describe('time_to_first_event in the protocol language', () => {
  const withSources = (events: unknown[]): ProtocolDocument => ({
    ...doc,
    endpoints: [...doc.endpoints!.filter(e => e.id !== ENDPOINT), { ...(doc.endpoints!.find(e => e.id === ENDPOINT) as object), events } as never],
  })
  const at = (d: ProtocolDocument) => d.endpoints!.findIndex(e => e.id === ENDPOINT)

  it('rejects an unknown kind of event, located', () => {
    const bad = withSources([{ transfusion: true }])
    const diagnostics = loadProtocol(stringify(bad)).diagnostics.filter(x => x.severity === 'error')
    expect(diagnostics.map(x => x.path)).toContainEqual(expect.stringMatching(new RegExp(`^endpoints\\[${at(bad)}\\]\\.events\\[0\\]`)))
  })

  it('checks sets, attestations, concepts and visits as the leaves do', () => {
    const bad = withSources([
      { condition: { set: 'no_such_set' } },
      { attestation: 'not_declared' },
      { ratio_to_baseline: { concept: 'no_such_lab', baseline: 'week_3', op: '>=', value: 2 } },
    ])
    const found = loadProtocol(stringify(bad)).diagnostics.map(x => [x.code, x.path])
    const i = at(bad)
    expect(found).toContainEqual(['E_UNKNOWN_DEFINITION', `endpoints[${i}].events[0].condition.set`])
    expect(found).toContainEqual(['E_UNKNOWN_ATTESTATION', `endpoints[${i}].events[1].attestation`])
    expect(found).toContainEqual(['E_UNKNOWN_CONCEPT', `endpoints[${i}].events[2].ratio_to_baseline.concept`])
    expect(found).toContainEqual(['E_UNKNOWN_VISIT', `endpoints[${i}].events[2].ratio_to_baseline.baseline`])
  })

  it('the subject record takes a death date, and refuses one that is not a calendar date', () => {
    expect(validateAgainstSchema('subject', { death: { date: '2027-01-01' } }, undefined)).toEqual([])
    expect(validateAgainstSchema('subject', { death: { date: '2027-02-30' } }, undefined).map(x => x.path)).toEqual(['death.date'])
  })
})
