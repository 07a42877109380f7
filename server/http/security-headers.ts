/**
 * Security headers on every answer (API, static UI, errors) and gzip of
 * compressible answers, both built on hono's own middleware.
 *
 * The Content-Security-Policy allows no inline script at all. Styles: the UI's
 * components (Lit) and the editor (CodeMirror, inside a shadow root) use
 * constructable stylesheets (adoptedStyleSheets), which style-src does not
 * govern; uPlot and CodeMirror set element.style through the CSSOM, which
 * CSP allows; the charts adopt uPlot's stylesheet the same way. The only
 * inline <style> blocks are in index.html and the /docs page: an HTML answer
 * carries a policy with the SHA-256 of each of its own <style> blocks
 * (`contentSecurityPolicyFor(html)`), so no 'unsafe-inline' is needed. No
 * style attribute is allowed (the UI uses classes; a test keeps web/ free of
 * `style="…"`).
 */
import { createHash } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX, compress } from 'hono/compress'
import { secureHeaders } from 'hono/secure-headers'

type Directives = Record<string, string[]>

/** The CSP source `'sha256-…'` of an inline style's text. */
export const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

/** The policy of every answer; an HTML page adds the hashes of its inline styles to style-src. */
export const CSP_DIRECTIVES: Readonly<Directives> = Object.freeze({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'style-src-attr': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
})

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ')
}

/** `'sha256-…'` sources for each inline `<style>` block of a page. */
export function inlineStyleHashes(html: string): string[] {
  const hashes = new Set<string>()
  for (const m of html.matchAll(/<style(?:\s[^>]*)?>([\s\S]*?)<\/style\s*>/gi)) {
    hashes.add(sha256(m[1]!))
  }
  return [...hashes]
}

/** The Content-Security-Policy value for an HTML page: the common policy plus the hashes of the page's own inline styles. */
export function contentSecurityPolicyFor(html?: string): string {
  const hashes = new Set(html === undefined ? [] : inlineStyleHashes(html))
  return serialize({ ...CSP_DIRECTIVES, 'style-src': [...CSP_DIRECTIVES['style-src']!, ...hashes] })
}

export const DEFAULT_CONTENT_SECURITY_POLICY = contentSecurityPolicyFor()

/**
 * hono's secureHeaders with a strict policy. A header that a handler set
 * itself (the CSP of an HTML page with its style hashes) is kept.
 * Strict-Transport-Security is left to the TLS terminator: the app does not
 * know whether it is served over HTTPS, nor for which (sub)domains.
 */
export function securityHeaders(): MiddlewareHandler {
  // hono spells directives in camelCase (defaultSrc) and writes them back in kebab-case
  const cspObject = Object.fromEntries(
    Object.entries(CSP_DIRECTIVES).map(([name, values]) => [name.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase()), values]),
  )
  return secureHeaders({
    contentSecurityPolicy: cspObject as NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy'],
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    strictTransportSecurity: false,
    overwrite: false,
  })
}

/** Also compressed: YAML (protocol sources). Never NDJSON: those answers may be streamed line by line. */
const compressible = (type: string) =>
  !/ndjson/i.test(type) && (COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || /^\s*application\/(?:x-)?yaml(?:[;\s]|$)/i.test(type))

/** A Vary value that already names Accept-Encoding (as hono's compress tests it). */
const VARIES_BY_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i

/**
 * `Vary: Accept-Encoding` on a compressible answer, set on the answer's own
 * headers before hono's compress looks. Compress would add it with
 * `c.header()`, which rebuilds an answer already made around its body as a
 * stream: every JSON answer of 1 kB or more, compressed or not, then left
 * through a web stream instead of as the string it was (for a 23 kB verdict
 * about a fifth of the request's time). The header sent is the same.
 */
async function varyByEncoding(c: Context, next: () => Promise<void>): Promise<void> {
  await next()
  const type = c.res.headers.get('Content-Type')
  if (!type || !compressible(type)) return
  const vary = c.res.headers.get('Vary')
  if (vary === '*' || (vary && VARIES_BY_ENCODING.test(vary))) return
  const value = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding'
  try {
    c.res.headers.set('Vary', value)
  } catch {
    // an answer with immutable headers (a fetched or redirect Response) is rebuilt, as compress itself would
    c.header('Vary', value)
  }
}

/**
 * gzip (or deflate) of compressible answers when the client accepts it, via
 * hono's compress. `skip(c)` names requests whose answer is streamed: they
 * are passed through untouched (a compression stream would hold lines back).
 */
export function compression<C extends Context>(skip: (c: C) => boolean): (c: C, next: () => Promise<void>) => ReturnType<MiddlewareHandler> {
  const gzip = compress({ contentTypeFilter: compressible, threshold: 1024 })
  return (c, next) => (skip(c) ? next() : gzip(c, () => varyByEncoding(c, next)))
}
