/**
 * bodyLimitOf over a real socket (@hono/node-server): a body of exactly the
 * limit is read, one byte more is a 413, whether its size is announced by
 * Content-Length (decided from the header) or streamed chunked (counted as
 * read); GET requests pass untouched.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bodyLimitOf } from '../../server/http/body-limit.ts'

const LIMIT = 1000
let server: ReturnType<typeof serve>
let port = 0

beforeAll(async () => {
  const app = new Hono()
  const limit = bodyLimitOf(LIMIT, c => c.text('too large', 413))
  app.post('/', limit, async c => c.text(String((await c.req.text()).length)))
  app.get('/', limit, c => c.text('got'))
  await new Promise<void>(resolve => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      port = info.port
      resolve()
    })
  })
})
afterAll(() => new Promise<void>(resolve => server.close(() => resolve())))

/** Send `body` with a Content-Length, or in two chunks (Transfer-Encoding: chunked). */
function send(method: string, body: string, chunked: boolean, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = request(
      { host: '127.0.0.1', port, method, path: '/', headers: chunked ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) } },
      res => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', d => {
          text += d
        })
        res.on('end', () => resolve({ status: res.statusCode!, text }))
      },
    )
    r.on('error', reject)
    if (chunked) {
      r.write(body.slice(0, body.length >> 1))
      r.end(body.slice(body.length >> 1))
    } else r.end(body)
  })
}

describe('bodyLimitOf', () => {
  for (const chunked of [false, true]) {
    const how = chunked ? 'streamed chunked' : 'with Content-Length'
    it(`${how}: the limit passes, one byte more is a 413`, async () => {
      expect(await send('POST', 'x'.repeat(LIMIT), chunked)).toEqual({ status: 200, text: String(LIMIT) })
      expect(await send('POST', 'x'.repeat(LIMIT + 1), chunked)).toEqual({ status: 413, text: 'too large' })
      expect(await send('POST', '', chunked)).toEqual({ status: 200, text: '0' })
    })
  }

  it('counts bytes, not characters', async () => {
    // 500 two-byte characters: 1 000 bytes pass; 501 do not
    expect((await send('POST', 'é'.repeat(500), false)).status).toBe(200)
    expect((await send('POST', 'é'.repeat(501), false)).status).toBe(413)
    expect((await send('POST', 'é'.repeat(501), true)).status).toBe(413)
  })

  it('a GET passes untouched', async () => {
    expect(await send('GET', '', false)).toEqual({ status: 200, text: 'got' })
  })
})
