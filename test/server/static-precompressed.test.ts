/**
 * Precompressed UI files: the build writes .br and .gz beside each text file
 * (web/precompress.ts) and server/static.ts sends the one the client accepts,
 * with the plain file's type and security headers, never a stale one.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { contentSecurityPolicyFor, inlineStyleHashes } from '../../server/http/security-headers.ts'
import { DEFAULT_UI_ROOT } from '../../server/static.ts'
import { buildWebIfStale } from '../../web/build-if-stale.ts'
import { precompressDir } from '../../web/precompress.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import type { Store } from '../../server/storage/store.ts'
import { req } from './helpers.ts'

const STYLE = `html{color:#1b1f24}body{margin:0}${'.c{padding:0}'.repeat(100)}`
const INDEX = `<!doctype html><html><head><title>t</title><style>${STYLE}</style><script type="module" src="/assets/app.js"></script></head><body><tp-app></tp-app></body></html>`
const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 800 }, (_, i) => `word${i % 37}`))}\n`
const SMALL = 'export {}\n'

// the UI is public: an empty store (no protocols, no tokens) serves it
let store: Store
let uiRoot: string
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  store = openSqliteStore(':memory:')
  uiRoot = mkdtempSync(join(tmpdir(), 'ln-ui-br-'))
  mkdirSync(join(uiRoot, 'assets'))
  writeFileSync(join(uiRoot, 'index.html'), INDEX)
  writeFileSync(join(uiRoot, 'assets', 'app.js'), SCRIPT)
  writeFileSync(join(uiRoot, 'assets', 'small.js'), SMALL)
  writeFileSync(join(uiRoot, 'assets', 'logo.png'), Buffer.alloc(4096, 7))
  await precompressDir(uiRoot)
  app = createApp({ store, uiRoot })
})
afterAll(() => {
  store?.close()
  rmSync(uiRoot, { recursive: true, force: true })
})

const get = (path: string, acceptEncoding?: string, accept?: string) =>
  req(app, 'GET', path, { headers: { ...(acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding }), ...(accept ? { Accept: accept } : {}) } })

/** The body as sent, decoded by its Content-Encoding. */
async function decoded(res: Response): Promise<string> {
  const bytes = Buffer.from(await res.arrayBuffer())
  const encoding = res.headers.get('Content-Encoding')
  if (encoding === 'br') return brotliDecompressSync(bytes).toString('utf8')
  if (encoding === 'gzip') return gunzipSync(bytes).toString('utf8')
  expect(encoding).toBeNull()
  return bytes.toString('utf8')
}

describe('the build step', () => {
  it('writes .br and .gz beside text files of 1 KB or more, and nothing beside small or binary files', () => {
    expect(readdirSync(join(uiRoot, 'assets')).sort()).toEqual(['app.js', 'app.js.br', 'app.js.gz', 'logo.png', 'small.js'])
    expect(existsSync(join(uiRoot, 'index.html.br'))).toBe(true)
    expect(brotliDecompressSync(readFileSync(join(uiRoot, 'assets', 'app.js.br'))).toString('utf8')).toBe(SCRIPT)
    expect(gunzipSync(readFileSync(join(uiRoot, 'assets', 'app.js.gz'))).toString('utf8')).toBe(SCRIPT)
  })

  it('runs as part of the Vite build of the UI: web/dist as `npm start` builds it', { timeout: 120_000 }, async () => {
    // the build `npm start` makes, made here only when web/dist is missing or stale (a whole test run builds it once)
    await buildWebIfStale(() => {})
    const assets = readdirSync(join(DEFAULT_UI_ROOT, 'assets'))
    const scripts = assets.filter(f => f.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(0)
    for (const js of scripts) {
      expect(assets).toContain(`${js}.br`)
      expect(assets).toContain(`${js}.gz`)
      expect(brotliDecompressSync(readFileSync(join(DEFAULT_UI_ROOT, 'assets', `${js}.br`)))).toEqual(readFileSync(join(DEFAULT_UI_ROOT, 'assets', js)))
    }
  })
})

describe('serving precompressed files', () => {
  it.each([
    ['br', 'br', '.br'],
    ['gzip, deflate, br, zstd', 'br', '.br'],
    ['gzip', 'gzip', '.gz'],
    ['br;q=0, gzip', 'gzip', '.gz'],
    ['gzip;q=1, br;q=0.5', 'gzip', '.gz'],
    ['*', 'br', '.br'],
  ])('Accept-Encoding %j: the %s file as built', async (acceptEncoding, encoding, suffix) => {
    const res = await get('/assets/app.js', acceptEncoding)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Encoding')).toBe(encoding)
    expect(res.headers.get('Vary')).toMatch(/Accept-Encoding/i)
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicyFor())
    const bytes = Buffer.from(await res.clone().arrayBuffer())
    // the precompressed file itself, not a compression made for this request
    expect(bytes).toEqual(readFileSync(join(uiRoot, 'assets', `app.js${suffix}`)))
    expect(await decoded(res)).toBe(SCRIPT)
  })

  it.each([['identity'], ['br;q=0, gzip;q=0'], [undefined]])('Accept-Encoding %j: the plain file', async acceptEncoding => {
    const res = await get('/assets/app.js', acceptEncoding)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Encoding')).toBeNull()
    expect(res.headers.get('Vary')).toMatch(/Accept-Encoding/i)
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(await res.text()).toBe(SCRIPT)
  })

  it('index.html: brotli, with the CSP hashing the inline style of the plain page', async () => {
    const res = await get('/', 'gzip, deflate, br')
    expect(res.headers.get('Content-Encoding')).toBe('br')
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('Cache-Control')).toBe('no-cache')
    expect(await decoded(res)).toBe(INDEX)
    const policy = res.headers.get('Content-Security-Policy')!
    expect(policy).toBe(contentSecurityPolicyFor(INDEX))
    expect(inlineStyleHashes(INDEX)).toHaveLength(1)
    expect(policy).toContain(inlineStyleHashes(INDEX)[0])
  })

  it('a browser navigation to a UI path gets index.html precompressed too', async () => {
    const res = await get('/subjects-view/some/page', 'gzip', 'text/html')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    expect(await decoded(res)).toBe(INDEX)
    expect(res.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicyFor(INDEX))
  })

  it('a file the build did not precompress is compressed per request as before, or sent plain', async () => {
    const small = await get('/assets/small.js', 'br')
    expect(small.headers.get('Content-Encoding')).toBeNull()
    expect(await small.text()).toBe(SMALL)
    const png = await get('/assets/logo.png', 'gzip, br')
    expect(png.headers.get('Content-Encoding')).toBeNull()
    expect(png.headers.get('Content-Type')).toBe('image/png')
  })
})

describe('a stale precompressed file', () => {
  const fresh = () => mkdtempSync(join(tmpdir(), 'ln-ui-stale-'))

  it('is never sent: the source is, compressed per request where the client allows', async () => {
    const root = fresh()
    try {
      mkdirSync(join(root, 'assets'))
      writeFileSync(join(root, 'assets', 'app.js'), SCRIPT)
      await precompressDir(root)
      // the source edited after the build: its .br and .gz are an hour older than it
      const edited = `${SCRIPT}// edited\n`
      writeFileSync(join(root, 'assets', 'app.js'), edited)
      const hourAgo = new Date(Date.now() - 3_600_000)
      utimesSync(join(root, 'assets', 'app.js.br'), hourAgo, hourAgo)
      utimesSync(join(root, 'assets', 'app.js.gz'), hourAgo, hourAgo)
      const staleApp = createApp({ store, uiRoot: root })

      const br = await staleApp.request('/assets/app.js', { headers: { 'Accept-Encoding': 'br' } })
      expect(br.headers.get('Content-Encoding')).toBeNull()
      expect(await br.text()).toBe(edited)

      const both = await staleApp.request('/assets/app.js', { headers: { 'Accept-Encoding': 'br, gzip' } })
      expect(both.headers.get('Content-Encoding')).toBe('gzip') // hono's per-request gzip of the source
      expect(await decoded(both)).toBe(edited)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('only the stale one is skipped: a fresh .gz is still sent', async () => {
    const root = fresh()
    try {
      writeFileSync(join(root, 'app.js'), SCRIPT)
      await precompressDir(root)
      const hourAgo = new Date(Date.now() - 3_600_000)
      utimesSync(join(root, 'app.js'), hourAgo, hourAgo)
      utimesSync(join(root, 'app.js.br'), new Date(hourAgo.getTime() - 1000), new Date(hourAgo.getTime() - 1000))
      const staleApp = createApp({ store, uiRoot: root })
      const res = await staleApp.request('/app.js', { headers: { 'Accept-Encoding': 'br, gzip' } })
      expect(res.headers.get('Content-Encoding')).toBe('gzip')
      expect(Buffer.from(await res.clone().arrayBuffer())).toEqual(readFileSync(join(root, 'app.js.gz')))
      expect(await decoded(res)).toBe(SCRIPT)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
