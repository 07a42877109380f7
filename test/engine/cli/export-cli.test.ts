import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { eligibilityFromFhir, eligibilityFromUsdm } from '../../../engine/export/index.ts'
import { cli, tmpFile } from '../../helpers/cli.ts'

const PROTOCOL = 'protocols/nct05631717.yaml'

describe('command line: export', () => {
  it('--usdm prints the USDM document on stdout and what USDM does not carry on stderr, exit 0', async () => {
    const r = await cli('export', PROTOCOL, '--usdm')
    expect(r.code).toBe(0)
    const back = eligibilityFromUsdm(JSON.parse(r.out))
    expect(back.map(c => c.id).slice(0, 3)).toEqual(['IN01', 'IN02', 'IN03'])
    expect(r.err.split('\n')[0]).toMatch(/^CDISC USDM 4\.0\.0: \d+ part\(s\) of NCT05631717 the standard does not carry as the protocol does:$/)
    expect(r.err).toContain('\n  criteria.IN01.logic: USDM holds a criterion as text only')
  })

  it('--fhir writes an R5 Bundle (R4 with --release R4) to --out', async () => {
    for (const [release, version] of [
      [undefined, 'R5'],
      ['R4', 'R4'],
      ['r4', 'R4'],
    ] as const) {
      const out = tmpFile('export.json', '')
      const r = await cli('export', PROTOCOL, '--fhir', ...(release ? ['--release', release] : []), '--out', out)
      expect(r.code).toBe(0)
      expect(r.out).toBe('')
      expect(r.err).toContain(`HL7 FHIR ${version}`)
      const bundle = JSON.parse(readFileSync(out, 'utf8')) as { resourceType: string }
      expect(bundle.resourceType).toBe('Bundle')
      expect(eligibilityFromFhir(bundle)).toHaveLength(17)
    }
  })

  it('says what is wrong with the flags, exit 2', async () => {
    for (const [args, said] of [
      [[], 'export needs --usdm or --fhir'],
      [['--usdm', '--fhir'], 'give one of --usdm and --fhir, not both'],
      [['--fhir', '--release', 'R6'], '--release expected R4 or R5, got "R6"'],
      [['--usdm', '--release', 'R4'], '--release applies to --fhir only'],
    ] as const) {
      const r = await cli('export', PROTOCOL, ...args)
      expect(r.code).toBe(2)
      expect(r.err.split('\n')[0]).toBe(said)
    }
  })
})
