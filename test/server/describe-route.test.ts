import { beforeAll, describe, expect, it } from 'vitest'
import type { ProtocolDescription } from '../../engine/index.ts'
import { expectProblem, req, testApp, type TestApp } from './helpers.ts'

const P = 'nct05631717'

describe('GET /protocols/:id/description', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
  })

  it('a viewer reads the latest version in plain words, with its ETag', async () => {
    const res = await req(t.app, 'GET', `/protocols/${P}/description`, { token: t.tokenFor('viewer') })
    expect(res.status).toBe(200)
    expect(res.headers.get('ETag')).toMatch(new RegExp(`^"${P}-v1-[0-9a-f]{16}"$`))
    const body = (await res.json()) as { version: number; description: ProtocolDescription }
    expect(body.version).toBe(1)
    expect(body.description.identity.registry_id).toBe('NCT05631717')
    expect(body.description.criteria.find(c => c.id === 'IN04')?.logic.children?.[0]?.text).toBe(
      'Urine protein/creatinine ratio > 1 g/g, latest within 28 days before screening',
    )
  })

  it('?version= names a version; an unknown one is a 404 problem', async () => {
    const ok = await req(t.app, 'GET', `/protocols/${P}/description?version=1`, { token: t.tokenFor('viewer') })
    expect(ok.status).toBe(200)
    await expectProblem(await req(t.app, 'GET', `/protocols/${P}/description?version=99`, { token: t.tokenFor('viewer') }), 404, 'not-found')
    await expectProblem(await req(t.app, 'GET', `/protocols/nope/description`, { token: t.tokenFor('viewer') }), 404, 'not-found')
  })

  it('a version that is not a whole number is a 400 problem, no token a 401', async () => {
    await expectProblem(await req(t.app, 'GET', `/protocols/${P}/description?version=two`, { token: t.tokenFor('viewer') }), 400, 'invalid-request')
    expect((await req(t.app, 'GET', `/protocols/${P}/description`)).status).toBe(401)
  })

  it('is listed in /openapi.json', async () => {
    const doc = (await (await req(t.app, 'GET', '/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toContain('/protocols/{id}/description')
  })
})
