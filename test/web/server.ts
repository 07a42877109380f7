/**
 * The servers of the end-to-end tests, started in the browser layer's global
 * setup process (test/web/global-setup.ts): each on a free port with a
 * temporary DATA_DIR and its first admin token, all on one worker pool.
 * The server as a process (signals, exit codes, the lock) is the integration
 * layer's (test/server/data-dir, resilience, durability).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer as startServer_, startupFailureLine } from '../../server/start.ts'
import { CpuPool, DEFAULT_CPU_BUDGET_MS } from '../../server/workers/cpu-pool.ts'

export interface RunningServer {
  url: string
  adminToken: string
  stop(): Promise<void>
}

/** One worker pool for every server this process starts: each thread loads the engine once, not once per server. */
let sharedPool: CpuPool | undefined

/**
 * Start a server in this process (server/start.ts, as `npm start` starts it but for signals and exit codes) on a
 * free port with a temporary DATA_DIR, on the process's shared worker pool. `env` adds to (or overrides) this
 * process's environment, e.g. the pool's budget.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ln-web-e2e-'))
  const settings: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }
  sharedPool ??= new CpuPool({
    threads: Number(settings.CPU_THREADS) || 2,
    budgetMs: Number(settings.CPU_BUDGET_MS) || DEFAULT_CPU_BUDGET_MS,
    // warmed as `npm start` warms its pool only when asked (the editor bench): the tests' servers skip it
    ...(env.WARM_UP === '1' ? { warmUpWith: join(import.meta.dirname, '..', '..', 'protocols') } : {}),
  })
  let said = ''
  const io = { out: () => {}, err: (line: string) => void (said += `${line}\n`) }
  const started = await startServer_({ env: settings, io, cpu: sharedPool }).catch((e: unknown) => {
    throw new Error(`the server did not start: ${startupFailureLine(e)}\n${said}`)
  })
  if (!started.adminToken) throw new Error(`the server's first start made no admin token:\n${said}`)
  return {
    url: started.url,
    adminToken: started.adminToken,
    async stop() {
      await started.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Stop the shared worker pool, once every server of this process has stopped. */
export async function stopServerPool(): Promise<void> {
  await sharedPool?.close()
  sharedPool = undefined
}
