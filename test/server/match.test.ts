import { describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { shippedProtocol, shippedProtocols } from '../helpers/protocols.ts'
import { expectProblem, req, testApp } from './helpers.ts'

const examples = shippedProtocol('NCT05631717').examples!
const eligible = examplePatient(examples, 'eligible-baseline')

interface MatchBody {
  patient_id: string | null
  rows: Array<{
    rank: number
    protocol_id: string
    version: number
    registry_id: string
    overall: string
    failing: Array<{ id: string }>
    missing: unknown[]
    verdict: { criteria: unknown[] }
  }>
}

describe('POST /match', () => {
  it('ranks every stored protocol for one patient, with a verdict per row, and logs nothing', async () => {
    const t = await testApp()
    const res = await req(t.app, 'POST', '/match', { token: t.tokenFor('clinician'), json: eligible })
    expect(res.status).toBe(200)
    const body = (await res.json()) as MatchBody
    expect(body.rows).toHaveLength(shippedProtocols().length)
    expect(body.rows.map(r => r.rank)).toEqual(body.rows.map((_, i) => i + 1))
    expect(body.rows.find(r => r.protocol_id === 'nct05631717')).toMatchObject({
      rank: 1,
      version: 1,
      registry_id: 'NCT05631717',
      overall: 'eligible',
      failing: [],
      missing: [],
    })
    expect(await t.store.evaluations({ protocolId: 'nct05631717' })).toEqual([])
  })

  it('an ineligible patient lists the failing criteria; protocols= narrows the set', async () => {
    const t = await testApp()
    const tooOld = { ...eligible, birth_date: '1950-01-01' }
    const res = await req(t.app, 'POST', '/match?protocols=nct05631717', { token: t.adminToken, json: tooOld })
    const body = (await res.json()) as MatchBody
    expect(body.rows).toHaveLength(1)
    expect(body.rows[0]).toMatchObject({ overall: 'ineligible', failing: [expect.objectContaining({ id: 'IN02' })] })
  })

  it('404 for an unknown protocol named, 422 for a bad record, 403 for a viewer, 401 without a token', async () => {
    const t = await testApp()
    const p = await expectProblem(await req(t.app, 'POST', '/match?protocols=nct05631717,nope', { token: t.adminToken, json: eligible }), 404, 'not-found')
    expect(p.detail).toContain('nope')
    await expectProblem(await req(t.app, 'POST', '/match', { token: t.adminToken, json: { ...eligible, birth_date: 1990 } }), 422, 'invalid-patient')
    await expectProblem(await req(t.app, 'POST', '/match', { token: t.tokenFor('viewer'), json: eligible }), 403, 'forbidden')
    await expectProblem(await req(t.app, 'POST', '/match', { json: eligible }), 401, 'unauthorized')
  })
})
