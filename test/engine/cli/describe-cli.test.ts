import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, cli, tmpFile } from '../../helpers/cli.ts'
import type { ProtocolDescription } from '../../../engine/index.ts'

const PROTOCOL = 'protocols/nct05631717.yaml'

describe('command line: describe', () => {
  it('prints the protocol in plain words, exit 0', async () => {
    const r = await cli('describe', PROTOCOL)
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    expect(r.out.split('\n')[0]).toBe(
      'NCT05631717 — The Study of Comparing the Efficacy and Safety of Human Umbilical Cord MSCs and Low-dose IL-2 in the Treatment of LN',
    )
    for (const section of [
      'REFERENCE DATES',
      'PARAMETERS',
      'INCLUSION CRITERIA (every one must be met)',
      'EXCLUSION CRITERIA (any one met excludes)',
      'ARMS',
      'VISITS',
      'ENDPOINTS',
    ]) {
      expect(r.out).toContain(`\n${section}\n`)
    }
    expect(r.out).toContain('    • ALL of:\n      • age at informed consent > 18 years, exact age\n')
    expect(r.out).toContain('    • rituximab or any other B cell depletion therapy taken within 24 weeks before screening\n')
    expect(r.out).toContain('  baseline_window_days = 28 — OPEN\n    Open: the registry text does not settle this;')
  })

  it('--json prints the description as JSON', async () => {
    const r = await cli('describe', PROTOCOL, '--json')
    expect(r.code).toBe(0)
    const d = JSON.parse(r.out) as ProtocolDescription
    expect(d.identity.registry_id).toBe('NCT05631717')
    expect(d.criteria.find(c => c.id === 'IN03')?.logic.text).toBe('SLEDAI-2K score ≥ 6, latest within 28 days before screening')
  })

  it('an invalid protocol: exit 1 with located errors, nothing described', async () => {
    const broken = readFileSync(join(ROOT, PROTOCOL), 'utf8').replace('{ fact: lactating, is: true }', '{ fact: lactatin, is: true }')
    const r = await cli('describe', tmpFile('broken.yaml', broken))
    expect(r.code).toBe(1)
    expect(r.out).toBe('')
    expect(r.err).toMatch(/broken\.yaml:\d+:\d+ E_UNKNOWN_FACT/)
    expect(r.err).not.toMatch(/\n\s+at .*\.ts:\d+/) // no stack frames
  })

  it('a missing file: one line, exit 1', async () => {
    const r = await cli('describe', 'protocols/nope.yaml')
    expect(r.code).toBe(1)
    expect(r.err.trim().split('\n')).toHaveLength(1)
  })
})
