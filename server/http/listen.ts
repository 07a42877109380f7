/**
 * The listening side of `npm start`: HTTP or HTTPS (TLS_CERT and TLS_KEY),
 * timeouts fit for streamed uploads, and a graceful shutdown.
 *
 * Timeouts: Node's default total request timeout (300 s) would cut a long
 * streamed screening mid-way with no message, so there is none; the streamed
 * route closes an upload that goes silent (an idle timeout, with a last line
 * saying so), headers must arrive within HEADERS_TIMEOUT_MS, and a socket
 * silent in both directions for SOCKET_IDLE_MS is closed.
 *
 * Shutdown (SIGTERM, SIGINT, SIGHUP): stop accepting, let requests in flight
 * finish up to the deadline, then cut what remains (streams, pool calls), and
 * close the database last, so nothing acknowledged is lost. A signal sent
 * again a second or more later exits at once; one within the second is the
 * same signal delivered twice (npm, tsx and the service manager all pass
 * it on to the process group) and is ignored.
 */
import { serve, type ServerType } from '@hono/node-server'
import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { StartupError } from '../storage/data-dir.ts'

/** Headers must arrive within 30 s: a slow-headers client cannot hold a socket for long. */
const HEADERS_TIMEOUT_MS = 30_000

/** A socket silent both ways for 2 min is closed: longer than the streamed route's own idle timeout, which speaks first. */
const SOCKET_IDLE_MS = 120_000

/** Signals closer than this to the first are one signal delivered by several parents. */
const DUPLICATE_SIGNAL_MS = 1000

/** While draining, idle keep-alive sockets are closed this often, so clients reconnect elsewhere. */
const DRAIN_POLL_MS = 100

export interface TlsFiles {
  cert: string
  key: string
}

export interface ListenOptions {
  fetch: (request: Request, env: never) => Response | Promise<Response>
  host: string
  port: number
  /** The PEM certificate and key (readTls), for HTTPS. */
  tls?: { cert: Buffer; key: Buffer; files: TlsFiles }
}

function readPem(what: string, path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (e) {
    throw new StartupError(
      `Cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Set TLS_CERT and TLS_KEY to readable PEM files, or leave both unset for plain HTTP.`,
    )
  }
}

/** The certificate and key files read, before anything else starts: a path that cannot be read is one line naming it. */
export function readTls(files: TlsFiles): NonNullable<ListenOptions['tls']> {
  return { cert: readPem('the TLS certificate', files.cert), key: readPem('the TLS key', files.key), files }
}

/** Listen; resolves with the server and its address, or rejects with the listen error (port in use…). */
export function listen(options: ListenOptions): Promise<{ server: Server; address: AddressInfo; scheme: 'http' | 'https' }> {
  const tls = options.tls
  return new Promise((resolve, reject) => {
    let server: ServerType
    try {
      server = serve(
        {
          fetch: options.fetch as never,
          hostname: options.host,
          port: options.port,
          ...(tls ? { createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key } } : {}),
        },
        address => resolve({ server: server as Server, address, scheme: tls ? 'https' : 'http' }),
      )
    } catch (e) {
      // a certificate and key that do not match, or are not PEM
      reject(new StartupError(`TLS_CERT ${tls?.files.cert} and TLS_KEY ${tls?.files.key} cannot be used together: ${(e as Error).message}`))
      return
    }
    const http = server as Server
    http.requestTimeout = 0
    http.headersTimeout = HEADERS_TIMEOUT_MS
    http.setTimeout(SOCKET_IDLE_MS)
    http.once('error', reject)
  })
}

export interface ShutdownSteps {
  server: Server
  /** Ms that requests in flight get to finish before they are cut. */
  deadlineMs: number
  /** After the deadline: cut what still runs (pool calls…). */
  cancelWork: () => Promise<void>
  /** Last: close the database, release the lock. */
  closeStorage: () => void | Promise<void>
  log: (line: string) => void
  exit: (code: number) => void
}

/** Stop on SIGTERM, SIGINT and SIGHUP as the module comment says. */
export function shutDownOnSignals(steps: ShutdownSteps): void {
  let stoppingSince: number | undefined
  const stop = (signal: string) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return
      steps.log(`${signal} again: exiting now`)
      return steps.exit(1)
    }
    stoppingSince = Date.now()
    steps.log(`${signal}: shutting down (requests in flight get ${steps.deadlineMs / 1000} s)`)
    const drain = setInterval(() => steps.server.closeIdleConnections(), DRAIN_POLL_MS)
    const deadline = setTimeout(() => {
      steps.log('shutdown deadline reached: cutting the requests still running')
      steps.server.closeAllConnections()
      void steps.cancelWork()
    }, steps.deadlineMs)
    steps.server.close(async () => {
      clearInterval(drain)
      clearTimeout(deadline)
      await steps.cancelWork()
      await steps.closeStorage()
      steps.log('stopped')
      steps.exit(0)
    })
    steps.server.closeIdleConnections()
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop(signal))
}
