import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileProtocol, evaluateEligibility, loadProtocol } from '../../../engine/index.ts'
import { importFhirBundle } from '../../../engine/fhir/index.ts'
import { fhirFixture } from './helpers.ts'

const ROOT = join(import.meta.dirname, '../../..')
const protocol = compileProtocol(loadProtocol(readFileSync(join(ROOT, 'protocols/nct05631717.yaml'), 'utf8')).value!)

/** The complete (eligible) NCT05631717 bundle plus one MedicationStatement named only by text, started 6 weeks before screening (2026-01-05). */
function withDrugText(text: string) {
  const bundle = fhirFixture('complete.json')
  const subject = (bundle.entry.find(e => e.resource.resourceType === 'MedicationStatement')!.resource as { subject: unknown }).subject
  bundle.entry.push({
    fullUrl: 'urn:uuid:7d9c1a52-0f3e-4c59-9a57-5b1b1b0a0999',
    resource: {
      resourceType: 'MedicationStatement',
      id: 'named-by-text',
      status: 'active',
      medicationCodeableConcept: { text },
      subject,
      effectivePeriod: { start: '2025-11-24' },
    },
  })
  return importFhirBundle(bundle)
}

const truth = async (record: Parameters<typeof evaluateEligibility>[1], id: string) =>
  (await evaluateEligibility(protocol, record)).criteria.find(c => c.id === id)?.truth

describe('an ambiguous drug name in a FHIR import ("MPA": mycophenolic acid or medroxyprogesterone acetate)', () => {
  it('is not mapped: kept unrecognised with both candidates and reported as AMBIGUOUS_NAME', () => {
    const { record, unmapped } = withDrugText('MPA')
    expect(record.medications?.filter(m => ['mycophenolic_acid', 'medroxyprogesterone', 'MPA'].includes(m.drug) || m.start === '2025-11-24')).toEqual([])
    expect(unmapped.filter(u => u.id === 'named-by-text')).toEqual([
      expect.objectContaining({ reason: 'AMBIGUOUS_NAME', message: expect.stringMatching(/Mycophenolic acid or Medroxyprogesterone/) }),
    ])
    expect(record.unrecognised?.medications).toContainEqual(
      expect.objectContaining({ text: 'MPA', possibly: ['mycophenolic_acid', 'medroxyprogesterone'], start: '2025-11-24' }),
    )
  })

  it('leaves EX01b (unstable immunosuppressant dose in 12 weeks) unknown for review, not met; EX01a and EX01c are not concerned', async () => {
    const { record } = withDrugText('MPA')
    const verdict = await evaluateEligibility(protocol, record)
    expect(verdict.overall).toBe('undetermined')
    expect(Object.fromEntries(verdict.criteria.filter(c => /^EX01/.test(c.id)).map(c => [c.id, c.truth]))).toEqual({
      EX01a: 'not_met',
      EX01b: 'unknown',
      EX01c: 'not_met',
    })
  })

  it('"mycophenolic acid" and "Myfortic" still map, and started 6 weeks before screening they meet EX01b', async () => {
    for (const text of ['mycophenolic acid', 'Myfortic']) {
      const { record, unmapped } = withDrugText(text)
      expect(unmapped.filter(u => u.id === 'named-by-text')).toEqual([])
      expect(record.medications).toContainEqual(expect.objectContaining({ drug: 'mycophenolic_acid', start: '2025-11-24' }))
      expect(await truth(record, 'EX01b')).toBe('met')
    }
  })
})
