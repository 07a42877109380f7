/**
 * The funnel's count of records to review: criteria left unknown while an
 * imported item nobody recognised (a missing item marked `review`) could
 * decide them. Counted only when missing data is traced.
 */
import { describe, expect, it } from 'vitest'
import { compileFast, Screener } from '../../../engine/fast/index.ts'
import { compileProtocol, examplePatient, type FunnelVerdict, type PatientRecord } from '../../../engine/index.ts'
import { FunnelCounter, funnelOf } from '../../../engine/study.ts'
import { formatFunnel } from '../../../engine/cli/screen.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const CRITERIA = [
  { id: 'IN01', kind: 'inclusion' as const },
  { id: 'EX01', kind: 'exclusion' as const },
  { id: 'EX02', kind: 'exclusion' as const },
]
const RTX = { key: 'unrecognised.medications[0]', description: 'unrecognised "Rituxan": it could be rituximab — review it', review: true }
const DOB = { key: 'birth_date', description: 'date of birth' }

/** A verdict: IN01 passes, EX01 and EX02 as given, each with its missing data. */
function verdict(
  ex01: { outcome: 'pass' | 'fail' | 'unknown'; missing?: Array<{ key: string; review?: boolean }> },
  ex02: typeof ex01 = { outcome: 'pass' },
): FunnelVerdict {
  const criteria = [
    { id: 'IN01', outcome: 'pass' as const, missing: [] },
    { id: 'EX01', missing: [], ...ex01 },
    { id: 'EX02', missing: [], ...ex02 },
  ]
  const outcomes = criteria.map(c => c.outcome)
  return {
    overall: outcomes.includes('fail') ? 'ineligible' : outcomes.includes('unknown') ? 'undetermined' : 'eligible',
    criteria,
    missing: criteria.flatMap(c => c.missing),
  }
}

describe('FunnelCounter: records to review', () => {
  const verdicts = [
    verdict({ outcome: 'unknown', missing: [RTX] }), // EX01 waits for the review
    verdict({ outcome: 'unknown', missing: [RTX, DOB] }, { outcome: 'unknown', missing: [RTX] }), // both wait: one record
    verdict({ outcome: 'unknown', missing: [DOB] }), // unknown for want of data to enter: nothing to review
    verdict({ outcome: 'pass', missing: [] }), // decided
    verdict({ outcome: 'fail' }, { outcome: 'unknown', missing: [RTX] }), // ruled out, yet EX02 still waits for a review
  ]

  it('per criterion: records with it unknown and a missing item to review; for the run: each such record once', () => {
    const f = funnelOf(CRITERIA, verdicts, verdicts.length, 0, { review: true })
    expect(f.criteria.map(s => [s.criterion, s.review])).toEqual([
      ['IN01', 0],
      ['EX01', 2],
      ['EX02', 2],
    ])
    expect(f.records_to_review).toBe(3)
    // the other counts are those of a funnel without it
    const plain = funnelOf(CRITERIA, verdicts, verdicts.length, 0)
    expect(f.criteria.map(({ review: _, ...s }) => s)).toEqual(plain.criteria)
    expect(f.overall).toEqual(plain.overall)
  })

  it('absent when missing data is not traced', () => {
    const f = funnelOf(CRITERIA, verdicts, verdicts.length, 0)
    expect(f).not.toHaveProperty('records_to_review')
    for (const s of f.criteria) expect(s).not.toHaveProperty('review')
  })

  it("a verdict with its missing data but not each criterion's still counts as a record to review", () => {
    const f = new FunnelCounter(CRITERIA, { review: true })
    f.add({
      overall: 'undetermined',
      criteria: [
        { id: 'IN01', outcome: 'pass' },
        { id: 'EX01', outcome: 'unknown' },
        { id: 'EX02', outcome: 'pass' },
      ],
      missing: [RTX],
    })
    expect(f.result().records_to_review).toBe(1)
    expect(f.result().criteria[1]!.review).toBe(0)
  })

  it('parts add up (worker threads), and a part that counted them makes the whole count them', () => {
    const part = (vs: FunnelVerdict[]) => funnelOf(CRITERIA, vs, vs.length, 0, { review: true })
    const whole = new FunnelCounter(CRITERIA) // as screen-parallel.ts builds it, without options
    whole.addFunnel(part(verdicts.slice(0, 2)))
    whole.addFunnel(part(verdicts.slice(2)))
    expect(whole.result()).toEqual(part(verdicts))
    const untraced = new FunnelCounter(CRITERIA)
    untraced.addFunnel(funnelOf(CRITERIA, verdicts, verdicts.length, 0))
    expect(untraced.result()).not.toHaveProperty('records_to_review')
  })
})

describe('Screener on NCT05631717: a hand-written record with an unrecognised medication', () => {
  const nct = shippedProtocol('NCT05631717')
  const fast = compileFast(compileProtocol(nct.doc))
  const eligible = examplePatient(nct.examples!, 'eligible-baseline') as PatientRecord
  /** The eligible example with an imported drug nobody recognised, given `start` (screening is 2026-01-05; EX01a looks 24 weeks back). */
  const withUnrecognised = (id: string, start: string): PatientRecord => ({
    ...eligible,
    id,
    unrecognised: {
      medications: [
        {
          text: '10 ML rituximab 10 MG/ML Injection [Rituxan]',
          codes: ['http://www.nlm.nih.gov/research/umls/rxnorm|1657864'],
          possibly: ['rituximab', 'b_cell_depleting'],
          reason: 'not in the drug dictionary',
          source: 'entry[7].resource',
          start,
          stop: start,
        },
      ],
    },
  })
  const lines = [withUnrecognised('in-window', '2025-10-05'), withUnrecognised('long-ago', '2020-01-01'), eligible].map(r => JSON.stringify(r))

  it('with missing data traced: EX01a unknown for the record whose entry falls in its window, counted to review', () => {
    const s = new Screener(fast, { missing: true })
    const [inWindow, longAgo, plain] = lines.map(l => s.line(l)!)
    expect(inWindow).toMatchObject({ id: 'in-window', overall: 'undetermined', undecided: ['EX01a'] })
    expect(inWindow!.missing!.some(m => m.review && m.key === 'unrecognised.medications[0]')).toBe(true)
    expect(longAgo).toMatchObject({ id: 'long-ago', overall: 'eligible' }) // outside the window: decided
    expect(plain).toMatchObject({ overall: 'eligible' })
    const f = s.funnel()
    expect(f.records_to_review).toBe(1)
    expect(Object.fromEntries(f.criteria.map(c => [c.criterion, c.review]))).toMatchObject({ EX01a: 1, EX01b: 0, IN01: 0 })
    expect(f.criteria.reduce((n, c) => n + (c.review ?? 0), 0)).toBe(1)
    // the CLI's funnel in words shows the column and the count
    const text = formatFunnel(f)
    expect(text).toMatch(/unknown {4}review/)
    expect(text).toMatch(/EX01a .* 1\n/)
    expect(text).toContain('1 record with imported items to review')
  })

  it('without: the same verdicts and no review counts', () => {
    const s = new Screener(fast)
    expect(lines.map(l => s.line(l)!.overall)).toEqual(['undetermined', 'eligible', 'eligible'])
    const f = s.funnel()
    expect(f).not.toHaveProperty('records_to_review')
    expect(formatFunnel(f)).not.toContain('review')
    expect(f.criteria.find(c => c.criterion === 'EX01a')).not.toHaveProperty('review')
  })
})
