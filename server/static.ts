/**
 * Serves the built web UI (web/dist, made by `npm run build:web`) at `/`.
 * Mounted after every API route, so the API keeps priority; a GET that no
 * route answered gets the file it names, or index.html when a browser
 * navigates (Accept: text/html) to a path outside the API. Anything else
 * falls through to the API's problem+json 404.
 *
 * The build writes a brotli (.br) and a gzip (.gz) file beside each text file
 * (web/precompress.ts): such a file is sent as it is, with Content-Encoding,
 * when the client accepts that encoding — hono's compress, which runs around
 * this handler, leaves an answer that has a Content-Encoding alone. A
 * precompressed file older than its source is stale (a file edited or copied
 * in after the build) and never sent: the source is, compressed per request.
 */
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { parseAccept } from 'hono/utils/accept'
import { contentSecurityPolicyFor } from './http/security-headers.ts'

export interface StaticOptions {
  /** Folder of the built UI; default web/dist next to this server. */
  root?: string
}

export const DEFAULT_UI_ROOT = fileURLToPath(new URL('../web/dist', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

/** A file of the UI folder, with its modification time (what its precompressed forms must not be older than). */
interface PlainFile {
  path: string
  mtimeMs: number
}

/** Encodings the build writes, each with its file suffix, in order of preference when the client weighs them equally. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const

/** The weight (q) a client's Accept-Encoding gives an encoding: explicit, else that of `*`, else 0 (no header: none). */
function acceptWeight(accepts: ReturnType<typeof parseAccept>, encoding: string): number {
  const explicit = accepts.find(a => a.type.toLowerCase() === encoding)
  return explicit ? explicit.q : (accepts.find(a => a.type === '*')?.q ?? 0)
}

/**
 * The fresh precompressed siblings of `file` (not older than it), and the
 * one to send: the client's highest weight, brotli on a tie, none when every
 * weight is 0.
 */
async function precompressed(file: PlainFile, acceptEncoding: string | undefined): Promise<{ fresh: boolean; chosen?: { path: string; encoding: string } }> {
  const siblings = await Promise.all(
    ENCODINGS.map(async e => {
      const s = await stat(file.path + e.suffix).catch(() => undefined)
      return s?.isFile() && s.mtimeMs >= file.mtimeMs ? { path: file.path + e.suffix, encoding: e.name } : undefined
    }),
  )
  const fresh = siblings.filter(s => s !== undefined)
  if (!fresh.length || !acceptEncoding) return { fresh: fresh.length > 0 }
  const accepts = parseAccept(acceptEncoding)
  let best: { path: string; encoding: string; q: number } | undefined
  for (const s of fresh) {
    const q = acceptWeight(accepts, s.encoding)
    if (q > 0 && (!best || q > best.q)) best = { ...s, q }
  }
  return { fresh: true, ...(best ? { chosen: { path: best.path, encoding: best.encoding } } : {}) }
}

async function fileIn(root: string, urlPath: string): Promise<PlainFile | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const full = normalize(join(root, decoded))
  // never outside the UI folder (../ in the path)
  if (full !== root && !full.startsWith(root + sep)) return undefined
  const s = await stat(full).catch(() => undefined)
  return s?.isFile() ? { path: full, mtimeMs: s.mtimeMs } : undefined
}

/** An HTML page's own Content-Security-Policy: the common one, with the hashes of its inline <style> blocks (Vite keeps index.html's inline). */
function htmlPolicy(type: string, body: Buffer): Record<string, string> {
  return type.startsWith('text/html') ? { 'Content-Security-Policy': contentSecurityPolicyFor(body.toString('utf8')) } : {}
}

/**
 * Answer with `file`: its precompressed form when one is fresh and accepted.
 * The type, caching and CSP are the plain file's; an HTML page's policy
 * hashes the inline styles of the plain text, so it is read even when its
 * compressed form is sent.
 */
async function sendFile(c: Context, file: PlainFile, cache: string): Promise<Response> {
  const type = TYPES[extname(file.path)] ?? 'application/octet-stream'
  const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': cache, 'X-Content-Type-Options': 'nosniff' }
  const { fresh, chosen } = await precompressed(file, c.req.header('Accept-Encoding'))
  // the answer differs by Accept-Encoding whenever there is a compressed form to choose
  if (fresh) headers.Vary = 'Accept-Encoding'
  const plain = chosen && !type.startsWith('text/html') ? undefined : await readFile(file.path)
  if (plain) Object.assign(headers, htmlPolicy(type, plain))
  // a known length also lets hono's compress skip files under its threshold, which a compression stream would barely shrink
  if (!chosen) return c.body(plain!, 200, { ...headers, 'Content-Length': String(plain!.length) })
  const body = await readFile(chosen.path)
  return c.body(body, 200, { ...headers, 'Content-Encoding': chosen.encoding, 'Content-Length': String(body.length) })
}

/**
 * Mount the UI on `app` after its API routes. The first path segments of
 * the routes registered so far are the API's: browser navigations to them
 * never get index.html.
 *
 * @example
 * serveWebUi(app) // last, after api routes, in createApp
 */
export function serveWebUi<E extends object>(app: Hono<E & {}>, options: StaticOptions = {}): void {
  const root = normalize(options.root ?? DEFAULT_UI_ROOT)
  const apiSegments = new Set(app.routes.map(r => r.path.split('/')[1] ?? '').filter(s => s && s !== '*'))
  const handler: MiddlewareHandler = async (c, next) => {
    const path = c.req.path
    const segment = path.split('/')[1] ?? ''
    const file = path === '/' ? await fileIn(root, '/index.html') : await fileIn(root, path)
    if (file) {
      // hashed file names under assets/ never change; index.html must be fetched anew
      return sendFile(c, file, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
    }
    const navigation = (c.req.header('Accept') ?? '').includes('text/html')
    if (navigation && !apiSegments.has(segment) && !extname(path)) {
      const index = await fileIn(root, '/index.html')
      if (index) return sendFile(c, index, 'no-cache')
    }
    await next()
  }
  app.get('*', handler)
}
