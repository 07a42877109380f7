import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { examplePatient, type PatientRecord } from '../../../engine/index.ts'
import { cli, tmpFile } from '../../helpers/cli.ts'
import { PROTOCOLS_DIR, shippedProtocol, shippedProtocols } from '../../helpers/protocols.ts'

const eligible = examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline')

describe('cli match', () => {
  it('ranks every shipped protocol for one patient, NCT05631717 eligible first', async () => {
    const r = await cli('match', tmpFile('p.json', JSON.stringify(eligible)), '--json')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.out) as Array<{ rank: number; registry_id: string; overall: string; key: string }>
    expect(rows).toHaveLength(shippedProtocols().length)
    expect(rows[0]).toMatchObject({ rank: 1, registry_id: 'NCT05631717', overall: 'eligible', key: join('protocols', 'nct05631717.yaml') })
  })

  it('prints the ranking in words, with the failing criteria and the data still needed', async () => {
    const folder = tmpFile('nct05631717.yaml', readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')).replace(/nct05631717\.yaml$/, '')
    const r = await cli('match', tmpFile('p.json', JSON.stringify({ ...eligible, birth_date: '1950-01-01' })), '--protocols', folder)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^1\. NCT05631717 {2}✗ ineligible {2}\(16 passed, 1 failed, 0 unknown of 17\)/)
    expect(r.out).toContain('ruled out by IN02')
  })

  it('a bad patient record is a located error, exit 1; an empty folder is a usage error, exit 2', async () => {
    const bad = await cli('match', tmpFile('p.yaml', 'birth_date: 1990\n'))
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/p\.yaml:1:\d+/)
    const empty = await cli('match', tmpFile('p.json', '{}'), '--protocols', tmpFile('x.txt', '').replace(/x\.txt$/, ''))
    expect(empty.code).toBe(2)
    expect(empty.err).toContain('no protocol files')
  })
})

describe('cli impact', () => {
  const v1 = join(PROTOCOLS_DIR, 'nct05631717.yaml')
  const IN04_UPCR = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0'
  const v2 = tmpFile('v2.yaml', readFileSync(v1, 'utf8').replace(IN04_UPCR, IN04_UPCR.replace('value: 1.0', 'value: 1.5')))
  const withUpcr = (id: string, upcr: number): PatientRecord => ({
    ...eligible,
    id,
    measurements: [
      ...(eligible.measurements ?? []).filter(m => m.concept !== 'urine_protein_creatinine_ratio'),
      { concept: 'urine_protein_creatinine_ratio', value: upcr, unit: 'g/g', date: '2026-01-04' },
      { concept: 'urine_protein_24h', value: 0.9, unit: 'g/(24.h)', date: '2026-01-04' },
    ],
  })

  it('lists the diff and exactly the patients whose verdict the tightened threshold changes', async () => {
    const patients = tmpFile('screened.json', JSON.stringify([withUpcr('P-150', 1.5), withUpcr('P-151', 1.51), withUpcr('P-101', 1.01)]))
    const r = await cli('impact', v1, v2, patients)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain('criteria: 0 added, 0 removed, 1 changed (IN04)')
    expect(r.out).toContain('IN04 logic.any[0].measurement.value: 1 -> 1.5 (threshold)')
    expect(r.out).toContain('2 of 3 patients change verdict')
    expect(r.out).toContain('P-150: eligible -> ineligible')
    expect(r.out).toContain('P-101: eligible -> ineligible')
    expect(r.out).not.toContain('P-151')
  })

  it('a patient list with an error is located; a missing argument is a usage error', async () => {
    const bad = await cli('impact', v1, v2, tmpFile('bad.yaml', 'patients:\n  - birth_date: 1990\n'))
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/bad\.yaml:2:\d+/)
    expect((await cli('impact', v1, v2)).code).toBe(2)
  })
})
