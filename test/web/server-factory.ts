/**
 * Servers on request for the browser layer's files that need one of their
 * own (test/web/browser.ts `e2eSession({ ownServer: true })`): a small HTTP
 * endpoint in the global setup's process, where the servers run on one worker
 * pool (test/web/server.ts). `POST /servers` starts one and answers
 * `{ id, url, adminToken }`; `DELETE /servers/<id>` stops it.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startServer, type RunningServer } from './server.ts'

export interface ServerFactory {
  url: string
  /** Stop the endpoint and every server it started and still runs. */
  close(): Promise<void>
}

export async function serverFactory(env: Record<string, string>): Promise<ServerFactory> {
  const running = new Map<string, RunningServer>()
  let next = 0
  const http: Server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const id = /^\/servers\/(\d+)$/.exec(req.url ?? '')?.[1]
    if (req.method === 'POST' && req.url === '/servers') {
      startServer(env).then(
        s => {
          const key = String(++next)
          running.set(key, s)
          answer(201, { id: key, url: s.url, adminToken: s.adminToken })
        },
        (e: unknown) => answer(500, { error: String(e) }),
      )
    } else if (req.method === 'DELETE' && id && running.has(id)) {
      const s = running.get(id)!
      running.delete(id)
      s.stop().then(
        () => answer(200, { stopped: id }),
        (e: unknown) => answer(500, { error: String(e) }),
      )
    } else {
      answer(404, { error: `no such route: ${req.method} ${req.url}` })
    }
  })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async close() {
      await new Promise(resolve => http.close(resolve))
      await Promise.all([...running.values()].map(s => s.stop()))
      running.clear()
    },
  }
}
