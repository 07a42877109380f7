import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cli, tmpFile } from '../../helpers/cli.ts'
import { formatImport, parseJson } from '../../../engine/cli/fhir.ts'
import type { FhirImport } from '../../../engine/index.ts'

const FIX = 'test/fixtures/fhir'

// the CLI in process (test/helpers/cli.ts); generous under a loaded machine
describe('command line: fhir', { timeout: 120_000 }, () => {
  it('prints the record and what was not mapped, exit 0', async () => {
    const r = await cli('fhir', `${FIX}/wrong-units.json`)
    expect(r.code).toBe(0)
    expect(r.out).toContain('"concept": "serum_creatinine"')
    expect(r.out).toContain('Not mapped: 4 items')
    expect(r.out).toMatch(/entry\[1\]\.resource\.valueQuantity\.code {2}Observation\/creat-mg-h {2}UNIT_NOT_CONVERTIBLE: .*mg\/h/)
  })

  it('with --protocol: the verdict and its exit code (0 eligible, 3 ineligible)', async () => {
    const ok = await cli('fhir', `${FIX}/complete.json`, '--protocol', 'protocols/nct05631717.yaml')
    expect(ok.code).toBe(0)
    expect(ok.out).toContain('NCT05631717 v1.0.0 — patient SYN-FHIR-1: ELIGIBLE')
    expect(ok.out).toContain('Encounter/screening-visit  UNSUPPORTED_RESOURCE')
    expect(ok.out).toMatch(/by name only — check them/)

    const bundle = JSON.parse((await cli('fhir', `${FIX}/complete.json`, '--json')).out)
    expect(bundle.record.birth_date).toBe('1990-05-01')
    const young = JSON.parse(readFileSync(`${FIX}/complete.json`, 'utf8'))
    young.entry[0].resource.birthDate = '2008-01-05' // 18th birthday on the consent day: not older than 18
    const r = await cli('fhir', tmpFile('young.json', JSON.stringify(young)), '--protocol', 'protocols/nct05631717.yaml')
    expect(r.code).toBe(3)
    expect(r.out).toMatch(/IN02\s+incl\s+not met/)
  })

  it('--json gives record, mapped, unmapped and verdict', async () => {
    const r = await cli('fhir', `${FIX}/units-converted.json`, '--json', '--protocol', 'protocols/nct05631717.yaml')
    const out = JSON.parse(r.out)
    expect(Object.keys(out)).toEqual(['record', 'mapped', 'unmapped', 'verdict'])
    expect(out.verdict.overall).toBe('undetermined')
    expect(r.code).toBe(4)
  })

  it('a non-Bundle is a located error, exit 1, no stack trace', async () => {
    const r = await cli('fhir', `${FIX}/not-a-bundle.json`)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/not-a-bundle\.json:2:19 E_SCHEMA_ENUM\n {2}at resourceType\n {2}expected a FHIR Bundle, got a Patient resource/)
    expect(r.err).not.toMatch(/\n\s+at .*\.ts:\d+/)
  })

  it('a file that is not JSON is a located syntax error, exit 1', async () => {
    const r = await cli('fhir', tmpFile('broken.json', '{ "resourceType": "Bundle", "entry": [ }'))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/broken\.json:1:40 E_JSON_SYNTAX/)
    // Node 20 names no position for an unexpected token: the error-tolerant parse finds it
    const multiline = await cli('fhir', tmpFile('broken.json', '{\n  "resourceType": "Bundle",\n  "entry": [ }\n}\n'))
    expect(multiline.code).toBe(1)
    expect(multiline.err).toMatch(/broken\.json:3:14 E_JSON_SYNTAX\n {2}not valid JSON: a value expected/)
  })

  it('reads a 4 MB bundle as JSON, quickly', async () => {
    const bundle = JSON.parse(readFileSync(`${FIX}/complete.json`, 'utf8'))
    const creatinine = (i: number) => ({
      fullUrl: `urn:uuid:creat-${i}`,
      resource: {
        resourceType: 'Observation',
        id: `creat-${i}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma' }] },
        subject: { reference: bundle.entry[0].fullUrl },
        effectiveDateTime: new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString(),
        valueQuantity: { value: 0.9, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
      },
    })
    bundle.entry.push(...Array.from({ length: 11_000 }, (_, i) => creatinine(i)))
    const text = JSON.stringify(bundle, null, 1)
    expect(text.length).toBeGreaterThan(4_000_000)
    const started = performance.now()
    const parsed = parseJson(text, 'big.json')
    expect(performance.now() - started).toBeLessThan(1000) // ~40 ms; the YAML parser took 3-4 s
    expect(parsed.ok).toBe(true)
    // its record is printed whole (more than a megabyte of stdout)
    const r = await cli('fhir', tmpFile('big.json', text), '--json')
    expect(r.code).toBe(0)
    expect(r.out.length).toBeGreaterThan(1_000_000)
    expect(JSON.parse(r.out).record.id).toBe('SYN-FHIR-1')
  })
})

describe('fhir: JSON syntax errors located', () => {
  it.each([
    ['{ "a": 1', 1, 9, 'a closing brace expected', 'the end of the text'],
    ['{\n  "a": 1,\n  "b": x\n}', 3, 8, 'a character that cannot start a value', '"x"'],
    ['[1, 2, ]', 1, 8, 'a value expected', '"]"'],
    ['{"a": 1}}', 1, 9, 'nothing expected after the value', '"}"'],
    ['', 1, 1, 'a value expected', 'the end of the text'],
    ["{'a':1}", 1, 2, 'a character that cannot start a value', `"'a'"`],
    ['{"a": 1 // c\n}', 1, 9, 'comments are not JSON', '"// c"'],
  ])('%j at %i:%i', (text, line, column, message, found) => {
    const r = parseJson(text, 'b.json')
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.diagnostic).toMatchObject({ code: 'E_JSON_SYNTAX', severity: 'error', file: 'b.json', line, column, message: `not valid JSON: ${message}`, found })
  })

  it('what JSON.parse accepts is accepted', () => {
    for (const ok of ['{}', '[]', '0', '-1.5e+3', '"\\u00e9\\n"', '{"a":[true,false,null,{"b":"c"}]}', ' [ 1 , 2 ] ']) {
      expect(parseJson(ok, 'b.json'), ok).toEqual({ ok: true, value: JSON.parse(ok) })
    }
  })

  it('a byte-order mark is skipped', () => {
    expect(parseJson('\uFEFF{"resourceType":"Bundle"}', 'b.json')).toEqual({ ok: true, value: { resourceType: 'Bundle' } })
  })
})

describe('fhir: the items to review', () => {
  const result = (unrecognised: NonNullable<FhirImport['record']['unrecognised']> | undefined): FhirImport => ({
    record: { id: 'P1', medications: [], ...(unrecognised ? { unrecognised } : {}) },
    mapped: [],
    unmapped: [
      {
        path: 'entry[3].resource',
        resourceType: 'MedicationRequest',
        id: 'rtx',
        reason: 'UNKNOWN_CODE',
        message: 'RxNorm 1657864 is not in the dictionary',
        imported: false,
        kept: 'unrecognised.medications[0]',
      },
    ],
  })

  it('lists each unrecognised entry before what was not mapped: section, text, codes, dates, what it could be, source', () => {
    const out = formatImport(
      result({
        medications: [
          {
            text: '10 ML rituximab 10 MG/ML Injection [Rituxan]',
            codes: ['http://www.nlm.nih.gov/research/umls/rxnorm|1657864'],
            possibly: ['rituximab', 'b_cell_depletion'],
            reason: 'not in the drug dictionary',
            source: 'entry[3].resource',
            start: '2025-10-05',
            stop: '2025-10-05',
          },
        ],
        conditions: [{ text: 'Neoplasm of uncertain behaviour', reason: 'code not in the dictionary', onset: '2024-02-01' }],
      }),
    )
    const lines = out.split('\n')
    const at = lines.indexOf('To review (the criteria they could decide stay unknown): 2 items')
    expect(at).toBeGreaterThan(0)
    expect(lines.slice(at + 1, at + 5)).toEqual([
      '  unrecognised.medications[0]  "10 ML rituximab 10 MG/ML Injection [Rituxan]"  http://www.nlm.nih.gov/research/umls/rxnorm|1657864  start 2025-10-05, stop 2025-10-05',
      '    could be: rituximab, b_cell_depletion; not in the drug dictionary  (entry[3].resource)',
      '  unrecognised.conditions[0]  "Neoplasm of uncertain behaviour"  no code  onset 2024-02-01',
      '    could be: anything in conditions; code not in the dictionary',
    ])
    const notMapped = lines.findIndex(l => l.startsWith('Not mapped: 1 item'))
    expect(notMapped).toBeGreaterThan(at + 4)
    expect(lines[notMapped + 1]).toBe(
      '  entry[3].resource  MedicationRequest/rtx  UNKNOWN_CODE (kept to review: unrecognised.medications[0]): RxNorm 1657864 is not in the dictionary',
    )
  })

  it('says when there is nothing to review', () => {
    expect(formatImport(result(undefined))).toContain('\nTo review: nothing\nNot mapped: 1 item\n')
  })
})
