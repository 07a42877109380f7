/**
 * Serves the built web UI (web/dist, made by `npm run build:web`) at `/`.
 * Mounted after every API route, so the API keeps priority; a GET that no
 * route answered gets the file it names, or index.html when a browser
 * navigates (Accept: text/html) to a path outside the API. Anything else
 * falls through to the API's problem+json 404.
 */
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Hono, MiddlewareHandler } from 'hono'
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

async function fileIn(root: string, urlPath: string): Promise<string | undefined> {
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
  return s?.isFile() ? full : undefined
}

/** An HTML page's own Content-Security-Policy: the common one, with the hashes of its inline <style> blocks (Vite keeps index.html's inline). */
function htmlPolicy(type: string, body: Buffer): Record<string, string> {
  return type.startsWith('text/html') ? { 'Content-Security-Policy': contentSecurityPolicyFor(body.toString('utf8')) } : {}
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
  const apiSegments = new Set(app.routes.map((r) => r.path.split('/')[1] ?? '').filter((s) => s && s !== '*'))
  const handler: MiddlewareHandler = async (c, next) => {
    const path = c.req.path
    const segment = path.split('/')[1] ?? ''
    const file = path === '/' ? await fileIn(root, '/index.html') : await fileIn(root, path)
    if (file) {
      const body = await readFile(file)
      // hashed file names under assets/ never change; index.html must be fetched anew
      const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
      const type = TYPES[extname(file)] ?? 'application/octet-stream'
      return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': cache, 'X-Content-Type-Options': 'nosniff', ...htmlPolicy(type, body) })
    }
    const navigation = (c.req.header('Accept') ?? '').includes('text/html')
    if (navigation && !apiSegments.has(segment) && !extname(path)) {
      const index = await fileIn(root, '/index.html')
      if (index) {
        const body = await readFile(index)
        return c.body(body, 200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache', ...htmlPolicy(TYPES['.html']!, body) })
      }
    }
    await next()
  }
  app.get('*', handler)
}
