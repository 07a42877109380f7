import { describe, expect, it } from 'vitest'
import { compileProtocol, type SubjectEndpointResults } from '../../../engine/index.ts'
import { summarizeStudy } from '../../../engine/study.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const compiled = compileProtocol(shippedProtocol('NCT05631717').doc)

/** A subject's results with only what the summary reads: the week-24 grade, time to PR, TEAE. */
function subject(
  id: string,
  arm: string,
  grade: string,
  timeToPr: { days?: number; censored?: number },
  teae: boolean | undefined,
  sri?: boolean | 'unknown',
): SubjectEndpointResults {
  return {
    subject: id,
    arm,
    responses: [],
    classifications: [{ endpoint: 'response_status', visit: 'week_24', level: grade, detail: '', missing: [] }],
    times_to_event: [
      timeToPr.days !== undefined
        ? { endpoint: 'time_to_pr', event: true, days: timeToPr.days, detail: '' }
        : { endpoint: 'time_to_pr', event: false, censored_at_days: timeToPr.censored!, detail: '' },
    ],
    changes: [],
    responder_index: sri === undefined ? [] : [{ endpoint: 'sri_4', visit: 'week_24', value: sri === 'unknown' ? undefined : sri, detail: '', missing: [] }],
    safety: [{ endpoint: 'teae', value: teae, detail: '', missing: [] }],
  }
}

// IL-2: 3 CR, 2 PR, 4 NR, 1 unknown; MSC: 1 CR, 1 PR, 8 NR
const il2 = [
  ...['CR', 'CR', 'CR'].map((g, i) => subject(`a${i}`, 'il2', g, { days: 56 + 28 * i }, true)),
  ...['PR', 'PR'].map((g, i) => subject(`b${i}`, 'il2', g, { days: 112 }, false)),
  ...['NR', 'NR', 'NR', 'NR'].map((g, i) => subject(`c${i}`, 'il2', g, { censored: 168 }, false)),
  subject('d0', 'il2', 'unknown', { censored: 112 }, undefined),
]
const msc = [
  subject('e0', 'msc', 'CR', { days: 140 }, true),
  subject('e1', 'msc', 'PR', { days: 168 }, false),
  ...Array.from({ length: 8 }, (_, i) => subject(`f${i}`, 'msc', 'NR', { censored: 168 }, false)),
]
const summary = summarizeStudy(compiled, [...il2, ...msc])

describe('study summary per arm', () => {
  const week24 = summary.responses.find(r => r.endpoint === 'response_status' && r.visit === 'week_24')!
  const [a, b] = week24.arms

  it('counts an undecided subject as a non-responder (parameter missing_response_imputation = otherwise)', () => {
    expect(week24.missing_as).toBe('otherwise')
    expect(a).toMatchObject({ arm: 'il2', subjects: 10, unknown: 1 })
    expect(a!.rates.CR).toMatchObject({ x: 3, n: 10 })
    expect(a!.rates.any).toMatchObject({ x: 5, n: 10 })
    expect(b!.rates.any).toMatchObject({ x: 2, n: 10 })
  })

  it('gives exact Clopper–Pearson 95 % CIs', () => {
    // published values: 3/10 0.0667–0.6525; 5/10 0.1871–0.8129; 2/10 0.0252–0.5561
    expect(a!.rates.CR!.ci).toMatchObject({ estimate: 0.3, lower: expect.closeTo(0.0667, 4), upper: expect.closeTo(0.6525, 4) })
    expect(a!.rates.any!.ci).toMatchObject({ lower: expect.closeTo(0.1871, 4), upper: expect.closeTo(0.8129, 4) })
    expect(b!.rates.any!.ci).toMatchObject({ lower: expect.closeTo(0.0252, 4), upper: expect.closeTo(0.5561, 4) })
  })

  it('gives the difference between arms with a Newcombe interval that contains it', () => {
    const d = week24.differences.any!
    expect(d).toMatchObject({ difference: expect.closeTo(0.3, 10), method: 'newcombe-hybrid-score' })
    expect(d.lower).toBeLessThan(0.3)
    expect(d.upper).toBeGreaterThan(0.3)
    expect(d.lower).toBeGreaterThan(-1)
  })

  it('estimates time to PR with Kaplan–Meier per arm', () => {
    const ttp = summary.time_to_event.find(t => t.endpoint === 'time_to_pr')!
    const il2Km = ttp.arms.find(x => x.arm === 'il2')!
    expect(il2Km).toMatchObject({ subjects: 10, events: 5 })
    // events at 56, 84, 112 (×3): incidence after day 112 = 1 − (9/10 · 8/9 · 5/8) = 0.5, so the median is 112
    expect(il2Km.median).toBe(112)
    expect(il2Km.steps.find(s => s.time === 112)!.incidence).toBeCloseTo(0.5, 10)
  })

  it('counts subjects with a treatment-emergent adverse event', () => {
    const teae = summary.safety.find(s => s.endpoint === 'teae')!
    expect(teae.arms.map(x => [x.arm, x.rate.x, x.rate.n, x.unknown])).toEqual([
      ['il2', 3, 10, 1],
      ['msc', 1, 10, 0],
    ])
    // first arm minus second, as for the response rates: 3/10 − 1/10
    expect(teae.difference).toMatchObject({ difference: expect.closeTo(0.2, 10), method: 'newcombe-hybrid-score' })
    expect(teae.difference!.lower).toBeLessThan(0.2)
    expect(teae.difference!.upper).toBeGreaterThan(0.2)
  })

  it('gives SRI-4 responder rates over subjects whose response is known, and the difference between arms', () => {
    const sri = summarizeStudy(compiled, [
      subject('s1', 'il2', 'CR', { days: 56 }, false, true),
      subject('s2', 'il2', 'NR', { censored: 168 }, false, true),
      subject('s3', 'il2', 'NR', { censored: 168 }, false, 'unknown'),
      subject('s4', 'msc', 'NR', { censored: 168 }, false, false),
      subject('s5', 'msc', 'CR', { days: 84 }, false, true),
    ]).responder_index.find(r => r.endpoint === 'sri_4' && r.visit === 'week_24')!
    expect(sri.arms.map(x => [x.arm, x.rate.x, x.rate.n, x.unknown])).toEqual([
      ['il2', 2, 2, 1],
      ['msc', 1, 2, 0],
    ])
    expect(sri.difference).toMatchObject({ difference: expect.closeTo(0.5, 10) })
    expect(sri.difference!.lower).toBeLessThan(0.5)
    expect(sri.difference!.upper).toBeGreaterThan(0.5)
  })
})

describe('study summary pooled (a reader blinded to the allocation)', () => {
  const pooled = summarizeStudy(compiled, [...il2, ...msc], { pooled: true })

  it('is one group of every subject, with the same exact CIs and no difference between arms', () => {
    expect(pooled.arms).toEqual([{ arm: 'all', label: 'All randomized subjects', subjects: 20 }])
    const week24 = pooled.responses.find(r => r.endpoint === 'response_status' && r.visit === 'week_24')!
    expect(week24.arms).toHaveLength(1)
    expect(week24.arms[0]).toMatchObject({ arm: 'all', subjects: 20, unknown: 1 })
    // 4 CR and 7 responders of 20; Clopper–Pearson 7/20: 0.1539–0.5922 (exact binomial tables)
    expect(week24.arms[0]!.rates.CR).toMatchObject({ x: 4, n: 20 })
    expect(week24.arms[0]!.rates.any!.ci).toMatchObject({ estimate: 0.35, lower: expect.closeTo(0.1539, 4), upper: expect.closeTo(0.5922, 4) })
    expect(week24.differences).toEqual({})
  })

  it('pools time to event and safety over both arms', () => {
    const ttp = pooled.time_to_event.find(t => t.endpoint === 'time_to_pr')!
    expect(ttp.arms).toHaveLength(1)
    expect(ttp.arms[0]).toMatchObject({ arm: 'all', subjects: 20, events: 7 })
    const teae = pooled.safety.find(s => s.endpoint === 'teae')!
    expect(teae.arms).toEqual([expect.objectContaining({ arm: 'all', rate: expect.objectContaining({ x: 4, n: 20 }), unknown: 1 })])
    expect(teae.difference).toBeUndefined()
  })
})
