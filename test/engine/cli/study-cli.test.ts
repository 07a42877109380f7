import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, cli, tmpFile } from '../../helpers/cli.ts'
import { loadProtocol } from '../../../engine/index.ts'
import { syntheticStudy } from '../../../engine/study.ts'

const PROTOCOL = 'protocols/nct05631717.yaml'

const doc = loadProtocol(readFileSync(join(ROOT, PROTOCOL), 'utf8')).value!
// the CLI runs in process (test/helpers/cli.ts), but a study of 40 synthetic subjects takes seconds on a busy machine
const SLOW = { timeout: 60_000 }

describe('schedule', SLOW, () => {
  it('il2 from 2026-01-19: 7 doses every other day per cycle, il2_cycles cycles, total in [IU]', async () => {
    const cycles = doc.parameters?.il2_cycles?.value
    expect(cycles).toBe(3) // the totals below assume the protocol's 3 cycles
    const r = await cli('schedule', PROTOCOL, '--arm', 'il2', '--start', '2026-01-19')
    expect(r).toMatchObject({ code: 0, err: '' })
    const dates = r.out.match(/^\d{4}-\d{2}-\d{2}/gm) ?? []
    expect(dates).toHaveLength(21)
    expect(dates.slice(0, 3)).toEqual(['2026-01-19', '2026-01-21', '2026-01-23'])
    expect(r.out).toContain('21 doses, total 2.1e7 [IU]')
  })

  it('msc with --weight 62.5: 2e6 cells/kg gives 1.25e8 {cells} in 30 mL saline', async () => {
    const r = await cli('schedule', PROTOCOL, '--arm', 'msc', '--start', '2026-01-19', '--weight', '62.5')
    expect(r.code).toBe(0)
    expect(r.out).toContain('1.25e8 {cells}')
    expect(r.out).toContain('30 mL saline')
  })

  it('msc without a weight: exit 1 naming the missing body weight', async () => {
    const r = await cli('schedule', PROTOCOL, '--arm', 'msc', '--start', '2026-01-19')
    expect(r.code).toBe(1)
    expect(r.out).toBe('')
    expect(r.err).toMatch(/body weight needed/)
  })

  it('an unknown arm is a usage error (exit 2) listing the arms', async () => {
    const r = await cli('schedule', PROTOCOL, '--arm', 'nope', '--start', '2026-01-19')
    expect(r.code).toBe(2)
    expect(r.err).toContain('il2, msc')
  })
})

describe('visits', SLOW, () => {
  it('lists due dates and windows; --date outside every window says so', async () => {
    const r = await cli('visits', PROTOCOL, '--start', '2026-01-19', '--date', '2026-04-13')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/week_24\s+week 24\s+169\s+2026-07-06\s+2026-06-29 to 2026-07-13/)
    // week 12: the protocol lists no such visit
    expect(r.out).toMatch(/2026-04-13 is outside every visit window \(nearest: week_16/)
  })

  it('--date inside a window names the visit (--json)', async () => {
    const r = await cli('visits', PROTOCOL, '--start', '2026-01-19', '--date', '2026-05-13', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ lookup: { date: '2026-05-13', assignment: { visit: 'week_16', offset_days: 2 } } })
  })
})

describe('endpoints', SLOW, () => {
  it('--synthetic 1: grades per visit, week 24 included, and the reasons at the last visit', async () => {
    const r = await cli('endpoints', PROTOCOL, '--synthetic', '1')
    expect(r).toMatchObject({ code: 0, err: '' })
    expect(r.out).toMatch(/week 24\s+(CR|PR|NR|unknown)/)
    expect(r.out).toContain('Why, at week 24:')
    expect(r.out).toContain('Times to event:')
    expect(r.out).toContain('SLE responder index:')
  })

  it('reads a subject file validated against the subject schema, with located errors', async () => {
    const good = tmpFile(
      's.json',
      JSON.stringify({ id: 'x1', arm: 'il2', dates: { randomization: '2026-01-19' }, visits: [{ visit: 'week_4', date: '2026-02-16' }] }),
    )
    const r = await cli('endpoints', PROTOCOL, good, '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ subject: 'x1', arm: 'il2' })
    const bad = tmpFile('bad.yaml', 'id: x2\narm: IL-2\n')
    const e = await cli('endpoints', PROTOCOL, bad)
    expect(e.code).toBe(1)
    expect(e.err).toContain(`${bad}:2:6`)
  })
})

describe('study', SLOW, () => {
  it('--synthetic 40: per-arm rates with exact CIs, the difference, Kaplan–Meier, safety', async () => {
    const r = await cli('study', PROTOCOL, '--synthetic', '40')
    expect(r).toMatchObject({ code: 0, err: '' })
    for (const arm of doc.arms ?? []) expect(r.out).toContain(arm.label)
    expect(r.out).toContain('95% CI')
    expect(r.out).toContain('IL-2 group (il2) 20, MSCs group (msc) 20')
    expect(r.out).toMatch(/week 24\s+CR\s+\d+\/20 \(/)
    expect(r.out).toContain('Kaplan–Meier')
    // SRI-4 and safety rows end with the difference between arms, as the response rows do
    const sri = r.out.slice(r.out.indexOf('(sri_4)'))
    expect(sri).toMatch(/week 24 .*\d+\/20 \(.*[+−]?\d+\.\d pts \(95% CI .* to .*\)$/m)
    expect(r.out).toMatch(/Safety \(subjects with at least one\)\n\s+endpoint .*il2 − msc/)
  })

  it('--json: every rate lies in [0, 1] inside its CI, 20 subjects per arm', async () => {
    const r = await cli('study', PROTOCOL, '--synthetic', '40', '--seed', '11', '--json')
    expect(r.code).toBe(0)
    const summary = JSON.parse(r.out) as {
      arms: Array<{ subjects: number }>
      responses: Array<{ arms: Array<{ rates: Record<string, { x: number; n: number; ci: { estimate: number; lower: number; upper: number } }> }> }>
    }
    expect(summary.arms.map(a => a.subjects)).toEqual([20, 20])
    for (const rate of summary.responses.flatMap(x => x.arms.flatMap(a => Object.values(a.rates)))) {
      expect(rate.ci.estimate).toBeCloseTo(rate.x / rate.n)
      expect(rate.ci.lower).toBeGreaterThanOrEqual(0)
      expect(rate.ci.lower).toBeLessThanOrEqual(rate.ci.estimate)
      expect(rate.ci.upper).toBeGreaterThanOrEqual(rate.ci.estimate)
      expect(rate.ci.upper).toBeLessThanOrEqual(1)
    }
  })

  it('reads subjects from a file; an invalid subject is located by index (exit 1)', async () => {
    const subjects = syntheticStudy(doc, { subjects: 4, seed: 5 })
    const r = await cli('study', PROTOCOL, tmpFile('subjects.json', JSON.stringify(subjects)))
    expect(r.code).toBe(0)
    expect(r.out).toContain('4 subjects: IL-2 group (il2) 2, MSCs group (msc) 2')
    const broken = subjects.map((s, i) => (i === 1 ? { ...s, arm: 'MSC' } : s))
    const e = await cli('study', PROTOCOL, tmpFile('broken.json', JSON.stringify({ subjects: broken }, null, 2)))
    expect(e.code).toBe(1)
    expect(e.err).toContain('subjects[1].arm')
  })

  it('a bad --synthetic count is a usage error (exit 2)', async () => {
    expect((await cli('study', PROTOCOL, '--synthetic', 'many')).code).toBe(2)
  })
})
