import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compileProtocol, loadProtocol, validateAgainstSchema } from '../../../engine/index.ts'
import { evaluateSubject } from '../../../engine/study.ts'
import type { ProtocolDocument } from '../../../engine/types.ts'
import { syntheticStudy } from '../../../engine/synthetic/subjects.ts'

const PROTOCOL = new URL('../../../protocols/nct05631717.yaml', import.meta.url)
const doc = loadProtocol(readFileSync(PROTOCOL, 'utf8')).value as ProtocolDocument
const armIds = (doc.arms ?? []).map(a => a.id)
const visitIds = (doc.visits ?? []).map(v => v.id)

describe('syntheticStudy', () => {
  const subjects = syntheticStudy(doc, { subjects: 40, seed: 7 })

  it('is deterministic for a seed and differs between seeds', () => {
    expect(syntheticStudy(doc, { subjects: 40, seed: 7 })).toEqual(subjects)
    expect(syntheticStudy(doc, { subjects: 40, seed: 8 })).not.toEqual(subjects)
  })

  it('makes records valid against the subject schema', () => {
    for (const s of subjects) expect(validateAgainstSchema('subject', s, undefined), s.id).toEqual([])
  })

  it('randomises 1:1 to the protocol arms', () => {
    expect(armIds).toHaveLength(2)
    for (const arm of armIds) expect(subjects.filter(s => s.arm === arm)).toHaveLength(20)
  })

  it.each([
    { n: 4, each: 2 }, // one block of four
    { n: 8, each: 4 },
    { n: 6, each: undefined }, // a partial block: off by at most one pair
  ])('permuted blocks: $n subjects', ({ n, each }) => {
    const counts = armIds.map(arm => syntheticStudy(doc, { subjects: n, seed: 3 }).filter(s => s.arm === arm).length)
    if (each !== undefined) expect(counts).toEqual(armIds.map(() => each))
    else expect(Math.abs((counts[0] ?? 0) - (counts[1] ?? 0))).toBeLessThanOrEqual(2)
  })

  it('has every visit, in protocol order, when no visit is missed on purpose', () => {
    for (const s of syntheticStudy(doc, { subjects: 20, seed: 7, missedVisitRate: 0 })) {
      expect(s.visits?.map(v => v.visit)).toEqual(visitIds)
    }
  })

  it('misses at most one follow-up visit per subject, never baseline, and some visits are missed', () => {
    let gaps = 0
    for (const s of subjects) {
      const seen = s.visits?.map(v => v.visit) ?? []
      const missing = visitIds.filter(v => !seen.includes(v))
      expect(missing.length).toBeLessThanOrEqual(1)
      expect(missing).not.toContain(visitIds[0])
      gaps += missing.length
    }
    expect(gaps).toBeGreaterThan(0)
    expect(gaps).toBeLessThan(subjects.length / 2)
  })

  it('spreads randomization over about six months from the start date, in subject order', () => {
    const dates = subjects.map(s => s.dates?.randomization as string)
    expect([...dates].sort()).toEqual(dates)
    expect(dates[0]! >= '2026-01-05').toBe(true)
    expect(dates.at(-1)! <= '2026-07-06').toBe(true)
    const other = syntheticStudy(doc, { subjects: 5, seed: 7, randomizationStart: '2027-03-01' })
    expect(other.every(s => (s.dates?.randomization as string) >= '2027-03-01')).toBe(true)
  })

  it('gives the first dose on the randomization date and a body weight at baseline', () => {
    for (const s of subjects) {
      expect(s.administrations?.[0]?.date).toBe(s.dates?.randomization)
      expect(s.measurements?.some(m => m.concept === 'body_weight' && m.unit === 'kg')).toBe(true)
    }
  })

  it('records serum creatinine with a sex-specific upper limit and BILAG-2004 for all 9 systems', () => {
    for (const s of subjects) {
      const high = s.sex === 'female' ? 1.1 : 1.3
      const creat = s.measurements?.filter(m => m.concept === 'serum_creatinine') ?? []
      expect(creat.length).toBeGreaterThan(0)
      for (const m of creat) expect(m.reference_range?.high).toBe(high)
      for (const b of s.bilag_2004 ?? []) expect(Object.keys(b.grades)).toHaveLength(9)
    }
  })

  it('has some serious adverse events and some investigator-reported deterioration', () => {
    expect(subjects.some(s => s.adverse_events?.some(ae => ae.seriousness.hospitalization === true))).toBe(true)
    const answers = subjects.flatMap(s => s.visits?.map(v => v.attestations?.other_deterioration) ?? [])
    expect(answers).toContain(false)
    expect(answers).toContain(true)
  })

  it('gives a mix of CR, PR and NR at the last visit, with few unknown', async () => {
    const compiled = compileProtocol(doc)
    const last = visitIds.at(-1)
    const grades: string[] = []
    // one at a time: evaluateSubject runs must not overlap (shared json-rules-engine engines)
    for (const s of subjects) grades.push((await evaluateSubject(compiled, s)).classifications.find(c => c.visit === last)?.level ?? 'none')
    for (const level of ['CR', 'PR', 'NR']) expect(grades).toContain(level)
    expect(grades.filter(g => g === 'unknown').length).toBeLessThan(subjects.length / 4)
  })

  it('returns no subjects without arms or visits', () => {
    expect(syntheticStudy({ ...doc, arms: [] }, { subjects: 4 })).toEqual([])
    expect(syntheticStudy({ ...doc, visits: [] }, { subjects: 4 })).toEqual([])
  })
})
