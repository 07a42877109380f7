import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cli, tmpFile } from '../../helpers/cli.ts'

const FIX = 'test/fixtures/fhir'

// each case spawns the CLI (tsx start-up dominates); generous under a loaded machine
describe('command line: fhir', { timeout: 120_000 }, () => {
  it('prints the record and what was not mapped, exit 0', () => {
    const r = cli('fhir', `${FIX}/wrong-units.json`)
    expect(r.code).toBe(0)
    expect(r.out).toContain('"concept": "serum_creatinine"')
    expect(r.out).toContain('Not mapped: 4 items')
    expect(r.out).toMatch(/entry\[1\]\.resource\.valueQuantity\.code {2}Observation\/creat-mg-h {2}UNIT_NOT_CONVERTIBLE: .*mg\/h/)
  })

  it('with --protocol: the verdict and its exit code (0 eligible, 3 ineligible)', () => {
    const ok = cli('fhir', `${FIX}/complete.json`, '--protocol', 'protocols/nct05631717.yaml')
    expect(ok.code).toBe(0)
    expect(ok.out).toContain('NCT05631717 v1.0.0 — patient SYN-FHIR-1: ELIGIBLE')
    expect(ok.out).toContain('Encounter/screening-visit  UNSUPPORTED_RESOURCE')
    expect(ok.out).toMatch(/by name only — check them/)

    const bundle = JSON.parse(cli('fhir', `${FIX}/complete.json`, '--json').out)
    expect(bundle.record.birth_date).toBe('1990-05-01')
    const young = JSON.parse(readFileSync(`${FIX}/complete.json`, 'utf8'))
    young.entry[0].resource.birthDate = '2008-01-05' // 18th birthday on the consent day: not older than 18
    const r = cli('fhir', tmpFile('young.json', JSON.stringify(young)), '--protocol', 'protocols/nct05631717.yaml')
    expect(r.code).toBe(3)
    expect(r.out).toMatch(/IN02\s+incl\s+not met/)
  })

  it('--json gives record, mapped, unmapped and verdict', () => {
    const r = cli('fhir', `${FIX}/units-converted.json`, '--json', '--protocol', 'protocols/nct05631717.yaml')
    const out = JSON.parse(r.out)
    expect(Object.keys(out)).toEqual(['record', 'mapped', 'unmapped', 'verdict'])
    expect(out.verdict.overall).toBe('undetermined')
    expect(r.code).toBe(4)
  })

  it('a non-Bundle is a located error, exit 1, no stack trace', () => {
    const r = cli('fhir', `${FIX}/not-a-bundle.json`)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/not-a-bundle\.json:2:19 E_SCHEMA_ENUM\n {2}at resourceType\n {2}expected a FHIR Bundle, got a Patient resource/)
    expect(r.err).not.toMatch(/\n\s+at .*\.ts:\d+/)
  })

  it('a file that is not JSON is a located syntax error, exit 1', () => {
    const r = cli('fhir', tmpFile('broken.json', '{ "resourceType": "Bundle", "entry": [ }'))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/broken\.json:1:\d+ E_YAML_SYNTAX/)
  })
})
