import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROLES, may } from '../../server/auth.ts'
import type { Role } from '../../server/storage/store.ts'
import { caller, expectProblem, testApp, type TestApp } from './helpers.ts'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/fhir', name), 'utf8')

describe('POST /fhir/patient', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  beforeAll(async () => {
    t = await testApp()
    call = caller(t, 'clinician')
  })

  it('answers the record, mapped and unmapped items for a Bundle sent as application/fhir+json', async () => {
    const res = await call('POST', '/fhir/patient', { body: fixture('complete.json'), type: 'application/fhir+json' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { record: Record<string, unknown>; mapped: unknown[]; unmapped: Array<{ reason: string; resourceType: string }> }
    expect(Object.keys(body)).toEqual(['record', 'mapped', 'unmapped'])
    expect(body.record).toMatchObject({ id: 'SYN-FHIR-1', birth_date: '1990-05-01', sex: 'female' })
    expect(body.unmapped.map((u) => u.resourceType)).toEqual(['AllergyIntolerance', 'Encounter'])

    // the record evaluates as ELIGIBLE through the ordinary route
    const verdict = await call('POST', '/protocols/nct05631717/evaluate?log=false', { body: body.record })
    expect(((await verdict.json()) as { overall: string }).overall).toBe('eligible')
  })

  it('accepts application/json too (with a charset), and reports wrong units', async () => {
    const res = await call('POST', '/fhir/patient', { body: fixture('wrong-units.json'), type: 'application/json; charset=utf-8' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { unmapped: Array<{ id: string; reason: string; path: string }> }
    expect(body.unmapped).toContainEqual(expect.objectContaining({ id: 'creat-mg-h', reason: 'UNIT_NOT_CONVERTIBLE', path: 'entry[1].resource.valueQuantity.code' }))
  })

  it('422 with located diagnostics for a resource that is not a Bundle', async () => {
    const res = await call('POST', '/fhir/patient', { body: fixture('not-a-bundle.json'), type: 'application/fhir+json' })
    const problem = await expectProblem(res, 422, 'invalid-request')
    expect(problem.diagnostics).toEqual([expect.objectContaining({ code: 'E_SCHEMA_ENUM', path: 'resourceType', message: expect.stringContaining('got a Patient resource') })])
  })

  it('400 for a body that is not JSON or is empty; 415 for another media type', async () => {
    await expectProblem(await call('POST', '/fhir/patient', { body: '{"resourceType": "Bundle",', type: 'application/fhir+json' }), 400, 'invalid-request')
    await expectProblem(await call('POST', '/fhir/patient', { headers: { 'Content-Type': 'application/fhir+json' } }), 400, 'invalid-request')
    const wrongType = await expectProblem(await call('POST', '/fhir/patient', { body: fixture('complete.json'), type: 'application/fhir+xml' }), 415, 'unsupported-media-type')
    expect(wrongType.detail).toContain('application/fhir+json')
  })

  it.each(ROLES)('%s: allowed only with the evaluate permission', async (role: Role) => {
    const res = await call('POST', '/fhir/patient', { as: role, body: fixture('units-converted.json'), type: 'application/fhir+json' })
    if (may(role, 'evaluate')) expect(res.status).toBe(200)
    else await expectProblem(res, 403, 'forbidden')
  })

  it('401 without a token', async () => {
    await expectProblem(await call('POST', '/fhir/patient', { as: null, body: fixture('complete.json'), type: 'application/fhir+json' }), 401, 'unauthorized')
  })

  it('is listed in /openapi.json with its permission', async () => {
    const doc = (await (await call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-permission'?: string }>> }
    expect(doc.paths['/fhir/patient']?.post?.['x-permission']).toBe('evaluate')
  })
})
