/**
 * The server started in this process (server/start.ts), as `npm start`
 * starts it but for signals and exit codes: for tests of the data directory,
 * the socket and the settings that need no second process.
 *
 * @example
 * const run = await startHere({ DATA_DIR: dir, PROTOCOLS_DIR: none })
 * expect(run.err).toMatch(/WARNING/)
 * await run.started?.close()
 * expect(await refusedHere({ DATA_DIR: file })).toContain(file)
 */
import { expect } from 'vitest'
import { startServer, startupFailureLine, type StartedServer } from '../../server/start.ts'

/** A start in this process: the server, or the one line a failed start prints; and what it wrote on stdout and stderr. */
export interface InProcessStart {
  started?: StartedServer
  failure?: string
  out: string
  err: string
}

/** Start with `env` over loopback, a free port and one pool thread, started on first use. */
export async function startHere(env: Record<string, string>): Promise<InProcessStart> {
  const result: InProcessStart = { out: '', err: '' }
  const io = { out: (l: string) => (result.out += `${l}\n`), err: (l: string) => (result.err += `${l}\n`) }
  try {
    result.started = await startServer({ env: { PORT: '0', HOST: '127.0.0.1', CPU_THREADS: '1', ...env }, io, warmPool: false })
  } catch (e) {
    result.failure = startupFailureLine(e)
  }
  return result
}

/** A start that must fail: its one line, checked to be one line without a stack trace. */
export async function refusedHere(env: Record<string, string>): Promise<string> {
  const r = await startHere(env)
  await r.started?.close()
  expect(r.started, 'the server started').toBeUndefined()
  expect(r.failure!.split('\n'), r.failure).toHaveLength(1)
  expect(r.failure).not.toMatch(/^\s+at /m)
  return r.failure!
}
