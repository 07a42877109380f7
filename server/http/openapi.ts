/**
 * The OpenAPI 3.1 document, built from the same route declarations that
 * validate requests, and a plain HTML page listing it (no external assets).
 */
import type { RouteSpec } from './route.ts'

const PROBLEM = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' } },
  required: ['type', 'title', 'status', 'detail'],
}

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}')
}

export function openApiDocument(specs: readonly RouteSpec[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const s of specs) {
    const params = [
      ...[...s.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(s.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: q.required ?? false, description: q.description, schema: q.schema })),
      ...Object.entries(s.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } })),
    ]
    const content: Record<string, unknown> = {}
    if (s.body?.stream) {
      // OpenAPI 3.1 has no per-line schema for a sequence; the line schema goes in an extension
      for (const type of ['application/x-ndjson', 'application/ndjson']) content[type] = { schema: { type: 'string', description: 'one JSON record per line, read as it arrives' }, 'x-line-schema': s.body.schema }
    } else if (s.body) {
      content['application/json'] = { schema: s.body.schema }
      if (s.body.yaml) content['application/yaml'] = { schema: { type: 'string', description: 'protocol YAML' } }
      if (s.body.ndjson) content['application/x-ndjson'] = { schema: { type: 'string', description: 'one JSON record per line' } }
    }
    const responses: Record<string, unknown> = {}
    for (const [status, r] of Object.entries(s.responses)) {
      responses[status] = { description: r.description, ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: r.schema } } } : {}) }
    }
    responses.default = { description: 'Problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
    const path = toOpenApiPath(s.path)
    paths[path] ??= {}
    paths[path]![s.method] = {
      summary: s.summary,
      tags: [s.tag],
      ...(s.permission !== 'public' ? { security: [{ bearer: [] }], 'x-permission': s.permission } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(s.body ? { requestBody: { required: true, description: s.body.description, content } } : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Problem: PROBLEM } },
  }
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/** A readable page of the API, generated from the same declarations. */
export function docsPage(specs: readonly RouteSpec[], title: string): string {
  const rows = specs
    .map(
      (s) =>
        `<tr><td><code>${s.method.toUpperCase()}</code></td><td><code>${escape(toOpenApiPath(s.path))}</code></td><td>${escape(s.summary)}</td><td>${escape(s.permission)}</td></tr>`,
    )
    .join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} API</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem;max-width:70rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}</style></head>
<body><h1>${escape(title)} API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Send <code>Authorization: Bearer &lt;token&gt;</code>; errors are <code>application/problem+json</code>.</p>
<table><thead><tr><th>method</th><th>path</th><th>what</th><th>needs</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`
}
