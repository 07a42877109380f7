/**
 * Child process of http.bench.ts: the API over an in-memory store with the
 * shipped protocols, on a free port, so the parent can measure this
 * process's peak RSS alone while it screens a streamed upload.
 *
 * Prints `READY {"url","token"}`; answers each `rss` line on stdin with
 * `RSS {"maxRssMb"}`; exits when stdin closes.
 *
 *   tsx test/bench/http-screen-server.ts
 */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createApp } from '../../server/app.ts'
import { bootstrap } from '../../server/bootstrap.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'

const store = openSqliteStore(':memory:')
const { adminToken } = await bootstrap(store, join(import.meta.dirname, '..', '..', 'protocols'))
const server = serve({ fetch: createApp({ store }).fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${info.port}`, token: adminToken })}\n`)
})
// resourceUsage().maxRSS is in kilobytes
const rl = createInterface({ input: process.stdin })
rl.on('line', l => {
  if (l.trim() === 'rss') process.stdout.write(`RSS ${JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
})
rl.on('close', () => server.close(() => store.close()))
