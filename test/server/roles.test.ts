/**
 * Role x endpoint matrix, generated from the app's own OpenAPI document: a
 * route added tomorrow is covered without touching this file. The expected
 * answer comes from the grant table in server/auth.ts (`may`).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { ROLES, may, useSignInThrottle, type Permission } from '../../server/auth.ts'
import { PROBLEM_BASE } from '../../server/errors.ts'
import type { Role } from '../../server/storage/store.ts'
import { req, testApp, type ProblemBody, type TestApp } from './helpers.ts'

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  required: boolean
  schema?: { type?: string }
}
interface Operation {
  'x-permission'?: Permission
  parameters?: Parameter[]
  requestBody?: { content: Record<string, unknown> }
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>
}

const P = 'nct05631717'
// an existing protocol for {id}; dummy ids elsewhere (a 404 proves the request got past auth)
const PATH_VALUES: Record<string, string> = { id: P }

interface Case {
  method: string
  /** The OpenAPI path, e.g. /protocols/{id}. */
  template: string
  url: string
  permission: Permission
  hasBody: boolean
}

function casesOf(doc: OpenApi): Case[] {
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops).flatMap(([method, op]) => {
      const permission = op['x-permission']
      if (!permission) return []
      const params = op.parameters ?? []
      let url = template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(PATH_VALUES[name] ?? `dummy-${name}`))
      const query = params.filter(p => p.in === 'query' && p.required).map(p => `${p.name}=${p.schema?.type === 'integer' ? 1 : 'x'}`)
      if (query.length) url += `?${query.join('&')}`
      return [{ method: method.toUpperCase(), template, url, permission, hasBody: op.requestBody !== undefined }]
    }),
  )
}

// read from the app once, synchronously enough for describe(): a top-level await
const doc = (await (await req((await testApp()).app, 'GET', '/openapi.json')).json()) as OpenApi
const cases = casesOf(doc)

describe('role x endpoint matrix (from /openapi.json)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
    // every route is tried with an unknown token from one client (app.request has no address): no sign-in limit here
    useSignInThrottle(t.store, { maxFailures: Number.POSITIVE_INFINITY })
  })

  const send = (c: Case, token: string | undefined) =>
    req(t.app, c.method, c.url, {
      ...(token !== undefined ? { token } : {}),
      // a minimal body: enough to reach validation, never a valid write
      ...(c.hasBody ? { json: {} } : {}),
      headers: { 'If-Match': '"dummy-v1-0000000000000000"' },
    })

  const expectProblem = async (res: Response, status: number, type: string) => {
    expect(res.status).toBe(status)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    expect((await res.json()) as ProblemBody).toMatchObject({ type: `${PROBLEM_BASE}${type}`, status })
  }

  it('covers the protocol routes and every permission', () => {
    const covered = new Set(cases.map(c => `${c.method} ${c.template}`))
    for (const want of ['GET /protocols', 'POST /protocols', 'PUT /protocols/{id}', 'POST /validate', 'POST /protocols/{id}/evaluate'])
      expect(covered).toContain(want)
    const permissions = new Set(cases.map(c => c.permission))
    for (const p of ['read', 'edit_protocols', 'evaluate'] as const) expect(permissions).toContain(p)
    expect(cases.length).toBeGreaterThanOrEqual(10)
  })

  describe.each(cases)('$method $template ($permission)', c => {
    it('401 without a token', async () => {
      await expectProblem(await send(c, undefined), 401, 'unauthorized')
    })

    it('401 with a token the server does not know', async () => {
      await expectProblem(await send(c, 'lnt_not-a-real-token'), 401, 'unauthorized')
    })

    it.each(ROLES)('%s', async (role: Role) => {
      const res = await send(c, t.tokenFor(role))
      if (may(role, c.permission)) {
        // past authentication and authorisation: any answer but 401/403, and never a crash
        expect([401, 403], `${role} ${c.method} ${c.url} -> ${res.status} ${await res.clone().text()}`).not.toContain(res.status)
        expect(res.status).toBeLessThan(500)
      } else {
        await expectProblem(res, 403, 'forbidden')
      }
    })
  })
})
