import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, cli, tmpFile } from '../../helpers/cli.ts'

const PROTOCOL = 'protocols/nct05631717.yaml'

describe('command line', () => {
  it('validate: exit 0, a summary, and the linter warnings located on stderr', async () => {
    const r = await cli('validate', PROTOCOL)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/valid — 17 criteria, 2 arms, 6 visits, \d+ endpoints, \d+ example patients, \d+ example subjects, \d+ warnings/)
    expect(r.err).toMatch(/nct05631717\.yaml:\d+:\d+ W_SCHEDULE_GAP/)
    expect(r.err).toMatch(/nct05631717\.yaml:\d+:\d+ W_OPEN_PARAMETER\n {2}at parameters\.il2_cycles/)
  })

  it('validate: exit 1 with located errors and no stack trace for a broken protocol', async () => {
    const broken = readFileSync(join(ROOT, PROTOCOL), 'utf8').replace('{ fact: lactating, is: true }', '{ fact: lactatin, is: true }')
    const file = tmpFile('broken.yaml', broken)
    const r = await cli('validate', file)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(new RegExp(`${file}:\\d+:\\d+ E_UNKNOWN_FACT`))
    expect(r.err).toContain('at criteria[16].logic.any[1].fact')
    expect(r.err).not.toMatch(/\n\s+at .*\.ts:\d+/) // no stack frames
  })

  it('validate: a missing file is a one-line error, exit 1', async () => {
    const r = await cli('validate', 'protocols/nope.yaml')
    expect(r.code).toBe(1)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toContain('protocols/nope.yaml')
  })

  it('compile: prints the json-rules-engine rules as JSON', async () => {
    const r = await cli('compile', PROTOCOL)
    expect(r.code).toBe(0)
    const rules = JSON.parse(r.out) as Array<{ name: string }>
    expect(rules.map(x => x.name)).toContain('EX08:applies_if')
  })

  it('eligibility: eligible example prints the table and exits 0', async () => {
    const r = await cli('eligibility', PROTOCOL, '--example', 'eligible-baseline')
    expect(r.code).toBe(0)
    expect(r.out).toContain('NCT05631717 v1.0.0 — patient eligible-baseline: ELIGIBLE')
    expect(r.out).toMatch(/IN04\s+incl\s+met\s+ok/)
  })

  it('eligibility: exit 3 when ineligible, 4 when undetermined, with what is still needed', async () => {
    expect((await cli('eligibility', PROTOCOL, '--example', 'rituximab-167-days')).code).toBe(3)
    const r = await cli('eligibility', PROTOCOL, '--example', 'proteinuria-not-measured')
    expect(r.code).toBe(4)
    expect(r.out).toContain('Still needed to decide IN04:')
    expect(r.out).toContain('Urine protein/creatinine ratio within 28 days before screening')
  })

  it('eligibility: reads a patient file (JSON) and reports its schema errors located', async () => {
    const good = tmpFile('p.json', JSON.stringify({ birth_date: '1990-01-01', sex: 'female' }))
    const r = await cli('eligibility', PROTOCOL, good, '--json')
    expect(r.code).toBe(4)
    expect(JSON.parse(r.out)).toMatchObject({ overall: 'undetermined' })
    const bad = tmpFile('bad.json', '{\n  "birth_date": "1990-13-01",\n  "sex": "woman"\n}\n')
    const e = await cli('eligibility', PROTOCOL, bad)
    expect(e.code).toBe(1)
    expect(e.err).toContain(`${bad}:2:17`)
    expect(e.err).toContain(`${bad}:3:10`)
  })

  it('examples: runs every example patient, exit 0 when all behave', async () => {
    const r = await cli('examples', PROTOCOL)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/(\d+)\/\1 example patients behave as expected/)
    // json-rules-engine on request: the same report
    const reference = await cli('examples', PROTOCOL, '--engine', 'reference')
    expect(reference).toEqual(r)
    const wrong = await cli('examples', PROTOCOL, '--engine', 'quick')
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain('--engine expected reference or fast, got "quick"')
  })

  it('usage errors exit 2', async () => {
    expect((await cli()).code).toBe(2)
    expect((await cli('frobnicate', PROTOCOL)).code).toBe(2)
    expect((await cli('eligibility', PROTOCOL, '--example', 'no-such-example')).code).toBe(2)
  })
})
