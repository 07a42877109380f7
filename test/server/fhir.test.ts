import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROLES, may } from '../../server/auth.ts'
import { createApp } from '../../server/app.ts'
import { configFromEnv, DEFAULT_MAX_FHIR_BODY_BYTES } from '../../server/config.ts'
import type { Role } from '../../server/storage/store.ts'
import { caller, expectProblem, testApp, type TestApp } from './helpers.ts'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/fhir', name), 'utf8')

/** A Bundle of one Patient and `count` serum creatinine Observations, one a day from 2020-01-01: a long history, as Synthea's. */
function bigBundle(count: number): string {
  const patient = { fullUrl: 'urn:uuid:big-patient', resource: { resourceType: 'Patient', id: 'BIG-1', gender: 'female', birthDate: '1990-05-01' } }
  const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)
  const entries = Array.from({ length: count }, (_, i) => ({
    fullUrl: `urn:uuid:creatinine-${i}`,
    resource: {
      resourceType: 'Observation',
      id: `creatinine-${i}`,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma' }], text: 'Creatinine' },
      subject: { reference: 'urn:uuid:big-patient' },
      effectiveDateTime: `${day(i)}T08:30:00+00:00`,
      issued: `${day(i)}T10:00:00.000+00:00`,
      valueQuantity: { value: 0.8 + (i % 5) / 10, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    },
  }))
  return JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [patient, ...entries] })
}

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
    expect(body.unmapped.map(u => u.resourceType)).toEqual(['AllergyIntolerance', 'Encounter'])

    // the record evaluates as ELIGIBLE through the ordinary route
    const verdict = await call('POST', '/protocols/nct05631717/evaluate?log=false', { body: body.record })
    expect(((await verdict.json()) as { overall: string }).overall).toBe('eligible')
  })

  it('accepts application/json too (with a charset), and reports wrong units', async () => {
    const res = await call('POST', '/fhir/patient', { body: fixture('wrong-units.json'), type: 'application/json; charset=utf-8' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { unmapped: Array<{ id: string; reason: string; path: string }> }
    expect(body.unmapped).toContainEqual(
      expect.objectContaining({ id: 'creat-mg-h', reason: 'UNIT_NOT_CONVERTIBLE', path: 'entry[1].resource.valueQuantity.code' }),
    )
  })

  it('422 with located diagnostics for a resource that is not a Bundle', async () => {
    const res = await call('POST', '/fhir/patient', { body: fixture('not-a-bundle.json'), type: 'application/fhir+json' })
    const problem = await expectProblem(res, 422, 'invalid-request')
    expect(problem.diagnostics).toEqual([
      expect.objectContaining({ code: 'E_SCHEMA_ENUM', path: 'resourceType', message: expect.stringContaining('got a Patient resource') }),
    ])
  })

  it('400 for a body that is not JSON or is empty; 415 for another media type', async () => {
    await expectProblem(await call('POST', '/fhir/patient', { body: '{"resourceType": "Bundle",', type: 'application/fhir+json' }), 400, 'invalid-request')
    await expectProblem(await call('POST', '/fhir/patient', { headers: { 'Content-Type': 'application/fhir+json' } }), 400, 'invalid-request')
    const wrongType = await expectProblem(
      await call('POST', '/fhir/patient', { body: fixture('complete.json'), type: 'application/fhir+xml' }),
      415,
      'unsupported-media-type',
    )
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

  it('accepts a 3 MB bundle (beyond the 1 MiB of other routes), parsed in well under a second', async () => {
    const body = bigBundle(6000)
    expect(body.length).toBeGreaterThan(3_000_000)
    const started = performance.now()
    const res = await call('POST', '/fhir/patient', { body, type: 'application/fhir+json' })
    const took = performance.now() - started
    expect(res.status).toBe(200)
    const got = (await res.json()) as { record: { id?: string; measurements?: Record<string, unknown[]> }; mapped: unknown[] }
    expect(got.record.id).toBe('BIG-1')
    expect(got.mapped.length).toBeGreaterThan(6000)
    expect(took).toBeLessThan(10_000) // generous for a loaded CI machine; locally ~0.5 s, of which parsing ~60 ms
  })

  it('other routes keep their 1 MiB limit', async () => {
    const res = await call('POST', '/protocols/nct05631717/evaluate?log=false', { body: JSON.stringify({ sex: 'female', padding: 'x'.repeat(1024 * 1024) }) })
    const problem = await expectProblem(res, 413, 'payload-too-large')
    expect(problem.detail).toBe('the body is larger than 1048576 bytes')
  })
})

describe('POST /fhir/patient: its own body limit', () => {
  const LIMIT = 2000
  let t: TestApp
  let call: ReturnType<typeof caller>
  beforeAll(async () => {
    t = await testApp()
    t.app = createApp({ store: t.store, maxFhirBodyBytes: LIMIT })
    call = caller(t, 'clinician')
  })

  it('32 MiB by default, FHIR_MAX_BYTES in bytes otherwise; a setting that is not a whole number of bytes is refused', () => {
    expect(DEFAULT_MAX_FHIR_BODY_BYTES).toBe(32 * 1024 * 1024)
    expect(configFromEnv({}).fhirMaxBytes).toBe(DEFAULT_MAX_FHIR_BODY_BYTES)
    expect(configFromEnv({ FHIR_MAX_BYTES: '67108864' }).fhirMaxBytes).toBe(64 * 1024 * 1024)
    for (const bad of ['32MiB', '0', '-1', '1.5'])
      expect(() => configFromEnv({ FHIR_MAX_BYTES: bad }), bad).toThrow(/FHIR_MAX_BYTES must be a whole number of bytes/)
  })

  it('413 over the configured limit, saying the limit and how to raise it; nothing stored', async () => {
    const [audit, evaluations] = [(await t.store.audit({})).length, (await t.store.evaluations({})).length]
    const body = bigBundle(20)
    expect(body.length).toBeGreaterThan(LIMIT)
    for (const headers of [{}, { 'Content-Length': String(Buffer.byteLength(body)) }] as Array<Record<string, string>>) {
      const res = await call('POST', '/fhir/patient', { body, type: 'application/fhir+json', headers })
      const problem = await expectProblem(res, 413, 'payload-too-large')
      expect(problem.detail).toBe(
        'the FHIR bundle is larger than the limit of 2000 bytes; to accept larger ones, start the server with FHIR_MAX_BYTES set higher (in bytes)',
      )
    }
    expect((await t.store.audit({})).length).toBe(audit)
    expect((await t.store.evaluations({})).length).toBe(evaluations)
    // a bundle under the limit still imports
    const small = await call('POST', '/fhir/patient', { body: bigBundle(0), type: 'application/fhir+json' })
    expect(small.status).toBe(200)
  })

  it('stops reading an endless body at the limit', async () => {
    let pulled = 0
    const chunk = new TextEncoder().encode('x'.repeat(512))
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.length
        controller.enqueue(chunk)
      },
    })
    const res = await t.app.request('/fhir/patient', {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.tokenFor('clinician')}`, 'Content-Type': 'application/fhir+json' },
      body: endless,
      duplex: 'half',
    } as RequestInit)
    await expectProblem(res, 413, 'payload-too-large')
    expect(pulled).toBeLessThan(LIMIT + 4 * chunk.length)
  })

  it('the 413 is in /openapi.json', async () => {
    const doc = (await (await call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }
    expect(Object.keys(doc.paths['/fhir/patient']!.post!.responses)).toContain('413')
  })
})
