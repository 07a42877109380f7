/**
 * The OpenAPI 3.1 document, built from the same route declarations that
 * validate requests, and a plain HTML page listing it (no external assets).
 * Every operation has an operationId and a schema for every answer; errors
 * are RFC 9457 problem details (application/problem+json).
 */
import { PROBLEM_TYPES } from '../errors.ts'
import { Components, ref } from './openapi-components.ts'
import type { JsonSchema, ResponseSpec, RouteSpec } from './route.ts'

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}')
}

const pascal = (word: string) => word.replace(/(^|[-_.])([a-z0-9])/g, (_m, _s, ch: string) => ch.toUpperCase())

/**
 * A stable operationId from the method and path: `GET /protocols/:id/versions`
 * is `getProtocolsByIdVersions`.
 */
export function operationIdOf(spec: Pick<RouteSpec, 'method' | 'path' | 'operationId'>): string {
  if (spec.operationId) return spec.operationId
  const words = spec.path
    .split('/')
    .filter(Boolean)
    .map(seg => (seg.startsWith(':') ? `By${pascal(seg.slice(1))}` : pascal(seg)))
  return spec.method + words.join('')
}

/** The errors a route answers because of how it is declared, beside those it declares itself. */
function declaredByShape(s: RouteSpec): Record<number, ResponseSpec> {
  const implied: Record<number, ResponseSpec> = {}
  if (s.query || (s.body && s.body.checkedBy !== 'handler') || s.idempotent) implied[400] = { description: PROBLEM_TYPES['invalid-request'] }
  if (s.permission !== 'public') {
    implied[401] = { description: PROBLEM_TYPES.unauthorized }
    implied[403] = { description: PROBLEM_TYPES.forbidden }
  }
  if (s.protocol) implied[404] = { description: s.protocol === 'version' ? 'No such protocol or version' : 'No such protocol' }
  else if (s.path.includes(':')) implied[404] = { description: PROBLEM_TYPES['not-found'] }
  if (s.idempotent) {
    implied[409] = { description: 'A request with this Idempotency-Key is still being handled' }
    implied[422] = { description: 'The Idempotency-Key was used for another request' }
  }
  if (s.body && (s.bodyLimit ?? 'ordinary') !== 'none') implied[413] = { description: PROBLEM_TYPES['payload-too-large'] }
  if (s.body) implied[415] = { description: PROBLEM_TYPES['unsupported-media-type'] }
  return implied
}

function requestContent(s: RouteSpec, components: Components): Record<string, unknown> {
  const body = s.body!
  const schema = components.resolve(body.schema)
  const content: Record<string, unknown> = {}
  if (body.stream) {
    // OpenAPI 3.1 has no per-line schema for a sequence; the line schema goes in an extension
    for (const type of ['application/x-ndjson', 'application/ndjson'])
      content[type] = { schema: { type: 'string', description: 'one JSON record per line, read as it arrives' }, 'x-line-schema': schema }
    return content
  }
  for (const type of body.mediaTypes ?? ['application/json']) content[type] = { schema }
  if (body.yaml) content['application/yaml'] = { schema: { type: 'string', description: 'protocol YAML' } }
  if (body.ndjson) content['application/x-ndjson'] = { schema: { type: 'string', description: 'one JSON record per line' } }
  return content
}

function responseObject(status: number, r: ResponseSpec, components: Components): Record<string, unknown> {
  if (status >= 400) {
    // a problem, with the members this one adds
    const schema = r.schema ? { allOf: [ref('Problem'), components.resolve(r.schema)] } : ref('Problem')
    return { description: r.description, content: { 'application/problem+json': { schema } } }
  }
  if (status >= 300 && !r.schema) return { description: r.description } // a redirect or 304: no body
  if (!r.schema) throw new Error(`a ${status} answer "${r.description}" declares no schema`)
  return { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: components.resolve(r.schema) } } }
}

export function openApiDocument(specs: readonly RouteSpec[], info: { title: string; version: string }): Record<string, unknown> {
  const components = new Components()
  const paths: Record<string, Record<string, unknown>> = {}
  for (const s of specs) {
    const params = [
      ...[...s.path.matchAll(/:([A-Za-z_]+)/g)].map(m => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(s.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: q.required ?? false, description: q.description, schema: q.schema })),
      ...Object.entries(s.headers ?? {}).map(([name, h]) => ({
        name,
        in: 'header',
        required: h.required ?? false,
        description: h.description,
        schema: { type: 'string' },
      })),
    ]
    const responses: Record<string, unknown> = {}
    const all: Record<number, ResponseSpec> = { ...declaredByShape(s), ...s.responses }
    for (const status of Object.keys(all)
      .map(Number)
      .sort((a, b) => a - b))
      responses[status] = responseObject(status, all[status]!, components)
    // 429, 500, 503, 507: the worker pool, a bug, a locked database, a full disk (errors.ts)
    responses.default = { description: 'Problem details', content: { 'application/problem+json': { schema: ref('Problem') } } }
    const path = toOpenApiPath(s.path)
    paths[path] ??= {}
    paths[path]![s.method] = {
      operationId: operationIdOf(s),
      summary: s.summary,
      tags: [s.tag],
      // public routes say so: no security requirement
      security: s.permission !== 'public' ? [{ bearer: [] }] : [],
      ...(s.permission !== 'public' ? { 'x-permission': s.permission } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(s.body ? { requestBody: { required: !s.body.optional, description: s.body.description, content: requestContent(s, components) } } : {}),
      responses,
    }
  }
  const tags = [...new Set(specs.map(s => s.tag))].sort().map(name => ({ name }))
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/', description: 'this server' }],
    tags,
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: components.schemas as Record<string, JsonSchema> },
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/** A readable page of the API, generated from the same declarations. */
export function docsPage(specs: readonly RouteSpec[], title: string): string {
  const rows = specs
    .map(
      s =>
        `<tr><td><code>${s.method.toUpperCase()}</code></td><td><code>${escapeHtml(toOpenApiPath(s.path))}</code></td><td>${escapeHtml(s.summary)}</td><td>${escapeHtml(s.permission)}</td></tr>`,
    )
    .join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} API</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem;max-width:70rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}</style></head>
<body><h1>${escapeHtml(title)} API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Send <code>Authorization: Bearer &lt;token&gt;</code>; errors are <code>application/problem+json</code>.</p>
<table><thead><tr><th>method</th><th>path</th><th>what</th><th>needs</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`
}
