/**
 * GET /protocols/{id}/export/{format}: a stored version as CDISC USDM or a
 * FHIR Bundle, with the notes of what the standard does not carry; readable
 * by a viewer; a format or version that does not exist is said as a problem.
 */
import { describe, expect, it } from 'vitest'
import { eligibilityFromFhir, eligibilityFromUsdm, EXPORT_FORMATS } from '../../engine/export/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { caller, expectProblem, testApp } from './helpers.ts'

const P = 'nct05631717'
const seed = shippedProtocol('NCT05631717')
const criteria = seed.doc.criteria.map(c => ({ id: c.id, kind: c.kind, text: c.text }))

interface ExportAnswer {
  version: number
  format: string
  standard: string
  document: unknown
  notes: Array<{ where: string; note: string }>
}

describe('GET /protocols/{id}/export/{format}', () => {
  it('answers each format to a viewer, its criteria read back with their registry text, and its notes', async () => {
    const viewer = caller(await testApp(), 'viewer')
    const standards: string[] = []
    for (const format of EXPORT_FORMATS) {
      const res = await viewer('GET', `/protocols/${P}/export/${format}`)
      expect(res.status).toBe(200)
      const body = (await res.json()) as ExportAnswer
      expect(body).toMatchObject({ version: 1, format })
      standards.push(body.standard)
      const back = format === 'usdm' ? eligibilityFromUsdm(body.document) : eligibilityFromFhir(body.document)
      expect(back).toEqual(criteria)
      expect(body.notes.some(n => n.where === 'criteria.IN01.logic')).toBe(true)
    }
    expect(standards).toEqual(['CDISC USDM 4.0.0', expect.stringContaining('R5'), expect.stringContaining('R4')])
  })

  it('says a format, a protocol or a version that does not exist, and needs a token', async () => {
    const t = await testApp()
    const viewer = caller(t, 'viewer')
    const bad = await expectProblem(await viewer('GET', `/protocols/${P}/export/pdf`), 400, 'invalid-request')
    expect(bad.detail).toBe('no export format "pdf"; formats: usdm, fhir-r5, fhir-r4')
    await expectProblem(await viewer('GET', '/protocols/nct00000000/export/usdm'), 404, 'not-found')
    await expectProblem(await viewer('GET', `/protocols/${P}/export/usdm?version=9`), 404, 'not-found')
    expect((await viewer('GET', `/protocols/${P}/export/usdm`, { as: null })).status).toBe(401)
  })
})
