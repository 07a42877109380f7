/**
 * Server hardening: security headers on every answer, the Bearer challenge
 * on 401, gzip of JSON and static text (never of the streamed screen), and
 * query integers written as plain digits only.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { queryInteger } from '../../server/http/route.ts'
import { inlineStyleHashes } from '../../server/http/security-headers.ts'
import { expectProblem, req, testApp, type TestApp } from './helpers.ts'

const P = 'nct05631717'
const STYLE = 'html{color:#1b1f24}body{margin:0}'
const INDEX = `<!doctype html><html><head><title>t</title><style>${STYLE}</style><script type="module" src="/assets/app.js"></script></head><body><tp-app></tp-app></body></html>`
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))})\n`

let t: TestApp
let uiRoot: string
let app: TestApp['app']

beforeAll(async () => {
  t = await testApp()
  uiRoot = mkdtempSync(join(tmpdir(), 'ln-ui-'))
  mkdirSync(join(uiRoot, 'assets'))
  writeFileSync(join(uiRoot, 'index.html'), INDEX)
  writeFileSync(join(uiRoot, 'assets', 'app.js'), SCRIPT)
  // the same store, with the UI served from the temporary folder
  app = createApp({ store: t.store, uiRoot })
})
afterAll(() => {
  t.store.close()
  rmSync(uiRoot, { recursive: true, force: true })
})

/** The CSP directives of an answer, by name. */
function csp(res: Response): Map<string, string[]> {
  const value = res.headers.get('Content-Security-Policy')
  expect(value, 'Content-Security-Policy').toBeTruthy()
  return new Map(
    value!
      .split(';')
      .map(d => d.trim().split(/\s+/))
      .filter(d => d[0])
      .map(([name, ...values]) => [name!, values]),
  )
}

function expectSecurityHeaders(res: Response): Map<string, string[]> {
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
  expect(res.headers.get('Referrer-Policy')).toBe('no-referrer')
  expect(res.headers.get('X-Frame-Options')).toBe('DENY')
  const d = csp(res)
  expect(d.get('default-src')).toEqual(["'self'"])
  expect(d.get('script-src')).toEqual(["'self'"])
  expect(d.get('object-src')).toEqual(["'none'"])
  expect(d.get('base-uri')).toEqual(["'none'"])
  expect(d.get('frame-ancestors')).toEqual(["'none'"])
  expect(d.get('form-action')).toEqual(["'self'"])
  // never inline scripts, never inline styles wholesale
  expect(res.headers.get('Content-Security-Policy')).not.toMatch(/unsafe-(inline|eval)/)
  return d
}

describe('security headers on every answer', () => {
  it('a JSON route', async () => {
    const res = await req(app, 'GET', '/me', { token: t.tokenFor('viewer') })
    expect(res.status).toBe(200)
    expectSecurityHeaders(res)
  })

  it('a 404 problem', async () => {
    const res = await req(app, 'GET', '/no/such/route')
    expect(res.status).toBe(404)
    expectSecurityHeaders(res)
  })

  it('a 401 problem', async () => {
    const res = await req(app, 'GET', '/protocols')
    expect(res.status).toBe(401)
    expectSecurityHeaders(res)
  })

  it('a 400 problem (thrown in a handler) and a 413 (body limit)', async () => {
    expectSecurityHeaders(await req(app, 'GET', `/protocols/${P}?version=x`, { token: t.tokenFor('viewer') }))
    const small = createApp({ store: t.store, maxBodyBytes: 10 })
    const res = await req(small, 'POST', '/validate', { token: t.tokenFor('viewer'), json: { yaml: 'x'.repeat(100) } })
    expect(res.status).toBe(413)
    expectSecurityHeaders(res)
  })

  it('the static index: its inline style allowed by hash, nothing inline else', async () => {
    for (const path of ['/', '/index.html', '/protocols-view/somewhere']) {
      const res = await req(app, 'GET', path, { headers: { Accept: 'text/html' } })
      expect(res.status, path).toBe(200)
      expect(await res.text()).toBe(INDEX)
      const d = expectSecurityHeaders(res)
      const hash = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`
      expect(d.get('style-src')).toEqual(["'self'", hash])
      // no style attribute at all: the UI uses classes (and charts adopt their stylesheet)
      expect(d.get('style-src-attr')).toEqual(["'none'"])
    }
  })

  it('a static script', async () => {
    const res = await req(app, 'GET', '/assets/app.js')
    expect(res.status).toBe(200)
    expectSecurityHeaders(res)
  })

  it('the /docs page allows its own inline style by hash', async () => {
    const res = await req(app, 'GET', '/docs')
    const html = await res.text()
    const d = expectSecurityHeaders(res)
    expect(inlineStyleHashes(html)).toHaveLength(1)
    expect(d.get('style-src')).toEqual(["'self'", ...inlineStyleHashes(html)])
  })
})

describe('style attributes in the UI templates', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap(e =>
      e.name === 'dist' || e.name === 'node_modules' ? [] : e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    )

  it('web/ writes no style="…" attribute (the policy allows none: use a class, or styleMap through the CSSOM)', () => {
    const web = join(import.meta.dirname, '..', '..', 'web')
    const found: string[] = []
    for (const file of files(web)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\sstyle="([^"]*)"/g)) found.push(`${file}: style="${m[1]}"`)
    }
    expect(found).toEqual([])
  })
})

describe('401 carries the Bearer challenge (RFC 6750)', () => {
  it('without a token: the realm, no error code', async () => {
    const res = await req(app, 'GET', '/protocols')
    await expectProblem(res, 401, 'unauthorized')
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="ln-trial-rules"')
  })

  it('with an unknown token: error="invalid_token"', async () => {
    const res = await req(app, 'GET', '/protocols', { token: 'lnt_not-a-real-token' })
    await expectProblem(res, 401, 'unauthorized')
    const challenge = res.headers.get('WWW-Authenticate')!
    expect(challenge).toMatch(/^Bearer realm="ln-trial-rules", error="invalid_token"/)
  })

  it('a known token is let through, with no challenge', async () => {
    const res = await req(app, 'GET', '/protocols', { token: t.tokenFor('viewer') })
    expect(res.status).toBe(200)
    expect(res.headers.get('WWW-Authenticate')).toBeNull()
  })
})

describe('compression', () => {
  const gzip = { 'Accept-Encoding': 'gzip' }

  it('a large JSON answer is gzipped when the client accepts it, and decompresses to the same JSON', async () => {
    const plain = await req(app, 'GET', '/openapi.json')
    expect(plain.headers.get('Content-Encoding')).toBeNull()
    const plainText = await plain.text()
    expect(plainText.length).toBeGreaterThan(10_000)

    const res = await req(app, 'GET', '/openapi.json', { headers: gzip })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    expect(res.headers.get('Vary')).toMatch(/Accept-Encoding/i)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.length).toBeLessThan(plainText.length / 3)
    const text = gunzipSync(bytes).toString('utf8')
    expect(JSON.parse(text)).toEqual(JSON.parse(plainText))
    expectSecurityHeaders(res)
  })

  it('an authenticated JSON route too; none without Accept-Encoding', async () => {
    const token = t.tokenFor('viewer')
    const zipped = await req(app, 'GET', `/protocols/${P}/rules`, { token, headers: gzip })
    expect(zipped.headers.get('Content-Encoding')).toBe('gzip')
    const rules = JSON.parse(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8')) as unknown
    const plain = await req(app, 'GET', `/protocols/${P}/rules`, { token })
    expect(plain.headers.get('Content-Encoding')).toBeNull()
    expect(await plain.json()).toEqual(rules)
  })

  it('Vary names Accept-Encoding once on a compressible answer, compressed or not; never on the streamed screen', async () => {
    const token = t.tokenFor('viewer')
    for (const headers of [{}, gzip]) {
      const res = await req(app, 'GET', `/protocols/${P}/rules`, { token, headers })
      expect(res.headers.get('Vary')).toBe('Accept-Encoding')
    }
    // the screening funnel varies by who asks as well: both named, Accept-Encoding once
    for (const headers of [{}, gzip]) {
      const res = await req(app, 'GET', `/protocols/${P}/screening-funnel`, { token, headers })
      expect(res.status).toBe(200)
      expect(res.headers.get('Vary')).toBe('Authorization, Accept-Encoding')
    }
    const streamed = await req(app, 'POST', `/protocols/${P}/screen`, {
      token: t.tokenFor('clinician'),
      headers: { ...gzip, 'Content-Type': 'application/x-ndjson' },
      json: '{"id":"a"}\n',
    })
    expect(streamed.headers.get('Vary')).toBeNull()
  })

  it('static text assets are gzipped', async () => {
    const res = await req(app, 'GET', '/assets/app.js', { headers: gzip })
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')).toBe(SCRIPT)
    const plain = await req(app, 'GET', '/assets/app.js')
    expect(plain.headers.get('Content-Encoding')).toBeNull()
    expect(await plain.text()).toBe(SCRIPT)
  })

  it('the streamed screen is never compressed', async () => {
    const body = '{"id":"a"}\n{"id":"b"}\n'
    const res = await req(app, 'POST', `/protocols/${P}/screen`, {
      token: t.tokenFor('clinician'),
      headers: { ...gzip, 'Content-Type': 'application/x-ndjson' },
      json: body,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Encoding')).toBeNull()
    expect(res.headers.get('Content-Type')).toMatch(/^application\/x-ndjson/)
    const lines = (await res.text()).trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    expectSecurityHeaders(res)
  })
})

describe('query integers: decimal digits only', () => {
  const viewer = () => t.tokenFor('viewer')

  it.each([
    ['version', '0x1', `/protocols/${P}`],
    ['version', '1e999', `/protocols/${P}`],
    ['version', '1e0', `/protocols/${P}/rules`],
    ['version', ' 1', `/protocols/${P}/rules`],
    ['version', '+1', `/protocols/${P}/rules`],
    ['version', '1.0', `/protocols/${P}/rules`],
    ['version', '', `/protocols/${P}/rules`],
    ['version', '99999999999999999999', `/protocols/${P}/rules`],
    ['after', 'Infinity', `/protocols/${P}/screening-log`],
    ['after', '-1', `/protocols/${P}/screening-log`],
    ['limit', '-1', `/protocols/${P}/screening-log`],
    ['limit', '0b11', `/protocols/${P}/screening-log`],
    ['after', 'Infinity', '/audit'],
  ])('%s=%j is refused (%s)', async (name, value, path) => {
    const token = path === '/audit' ? t.adminToken : viewer()
    const res = await req(app, 'GET', `${path}?${name}=${encodeURIComponent(value)}`, { token })
    const body = await expectProblem(res, 400, 'invalid-request')
    expect(body.detail).toContain(`query parameter ${name}=${JSON.stringify(value)}`)
    expect(body).toMatchObject({ parameter: name, found: value })
    expect(typeof (body as unknown as { expected: unknown }).expected).toBe('string')
  })

  it('limit=0 and limit=1001 are refused by the schema bounds, naming the parameter', async () => {
    for (const limit of ['0', '1001']) {
      const body = await expectProblem(await req(app, 'GET', `/protocols/${P}/screening-log?limit=${limit}`, { token: viewer() }), 400, 'invalid-request')
      expect(body).toMatchObject({ parameter: 'limit', found: limit })
    }
  })

  it('plain digits are accepted: version=2, version=1, after=0, limit=5', async () => {
    const admin = t.adminToken
    const current = await req(app, 'GET', `/protocols/${P}`, { token: admin, headers: { Accept: 'application/yaml' } })
    const yaml = await current.text()
    const put = await req(app, 'PUT', `/protocols/${P}`, {
      token: admin,
      yaml: `${yaml}\n# a second version\n`,
      headers: { 'If-Match': current.headers.get('ETag')! },
    })
    expect(put.status).toBe(200)
    const v2 = await req(app, 'GET', `/protocols/${P}/rules?version=2`, { token: viewer() })
    expect(v2.status).toBe(200)
    expect((await req(app, 'GET', `/protocols/${P}/rules?version=1`, { token: viewer() })).status).toBe(200)
    expect((await req(app, 'GET', `/protocols/${P}/screening-log?after=0&limit=5`, { token: viewer() })).status).toBe(200)
  })

  it('queryInteger', () => {
    expect(queryInteger('0')).toBe(0)
    expect(queryInteger('007')).toBe(7)
    expect(queryInteger(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER)
    expect(queryInteger(String(Number.MAX_SAFE_INTEGER + 1))).toBeUndefined()
    for (const bad of ['', '-0', '1.5', 'Infinity', 'NaN', '0x10', '1e3', ' 1', '1 ', '١']) expect(queryInteger(bad), bad).toBeUndefined()
  })
})
