/**
 * Start the server from its settings: open the data directory (created 0700,
 * held through a lock file), open the database, load the shipped protocols
 * on first start, start the worker pool and listen. `npm start`
 * (server/main.ts) calls it with the process's environment and console, and
 * adds what only a whole process does (signals, exit codes); tests call it in
 * process for everything else.
 *
 * A problem the operator can fix (directory not writable, held by another
 * server, not a database, port in use, TLS files) is thrown as a
 * StartupError, told by `startupFailureLine` in one line; whatever was taken
 * before it (the lock, the database, the pool) is given back first.
 */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createApp } from './app.ts'
import { flushSignInThrottle } from './auth.ts'
import { bootstrap } from './bootstrap.ts'
import { configFromEnv, databaseFile, databaseLabel, type ServerConfig } from './config.ts'
import { listen, readTls } from './http/listen.ts'
import {
  databaseOpenError,
  isLoopbackHost,
  listenError,
  lockDataDir,
  prepareDataDir,
  saveAdminToken,
  StartupError,
  type DataDirLock,
} from './storage/data-dir.ts'
import { openSqliteStore } from './storage/sqlite-store.ts'
import { openPostgresStore } from './storage/postgres/postgres-store.ts'
import { openProblem } from './storage/postgres/pg-database.ts'
import type { Store } from './storage/store.ts'
import { CpuPool } from './workers/cpu-pool.ts'

/** Where the server's lines go: `out` for what the operator asked for (the admin token, the address), `err` for notes and warnings. */
export interface StartIo {
  out: (line: string) => void
  err: (line: string) => void
}

export interface StartOptions {
  env: NodeJS.ProcessEnv
  io: StartIo
  /**
   * Load the engine on every pool thread before listening (default true, as
   * `npm start` does: the first request does not pay for it). Tests of the
   * data directory and the socket pass false: their pool starts on first use.
   */
  warmPool?: boolean
  /**
   * A worker pool to use instead of starting one from the settings: several
   * servers in one process (the browser tests' own servers) share its threads.
   * The server does not close a pool it was given.
   */
  cpu?: CpuPool
}

export interface StartedServer {
  config: ServerConfig
  server: Server
  address: AddressInfo
  scheme: 'http' | 'https'
  /** `http(s)://host:port` as printed. */
  url: string
  store: Store
  cpu: CpuPool
  /** The data directory's lock (none on PostgreSQL: app instances share the database). */
  lock?: DataDirLock
  /** The admin token created on the first start of an empty data directory (also printed once). */
  adminToken?: string
  /** Last step of any stop: the failed sign-ins of windows still open go to the audit, the database is closed, the lock released. */
  closeStorage: () => Promise<void>
  /** Stop at once (no draining: signals do that, server/http/listen.ts), stop the pool, then closeStorage. */
  close: () => Promise<void>
}

/** The line printed once listening; tests and scripts wait for it. */
export const LISTENING_LINE = 'LN trial rules API on'

function openSqlite(file: string): Store {
  try {
    return openSqliteStore(file)
  } catch (e) {
    throw databaseOpenError(file, e) ?? e
  }
}

async function openPostgres(url: string): Promise<Store> {
  try {
    return await openPostgresStore({ url })
  } catch (e) {
    const problem = openProblem(e)
    if (problem) throw new StartupError(`Cannot open the PostgreSQL database ${databaseLabel(url)}: ${problem}`)
    throw e
  }
}

function settings(env: NodeJS.ProcessEnv): ServerConfig {
  try {
    return configFromEnv(env)
  } catch (e) {
    throw new StartupError((e as Error).message)
  }
}

/** Start as the module comment says; rejects with a StartupError (or a bug) after giving back what it took. */
export async function startServer({ env, io, warmPool = true, cpu: givenPool }: StartOptions): Promise<StartedServer> {
  const cfg = settings(env)
  if (!isLoopbackHost(cfg.host) && !cfg.tls) {
    io.err(
      `WARNING: HOST=${cfg.host} serves the API beyond this machine over plain HTTP: tokens and patient records travel unencrypted. Set TLS_CERT and TLS_KEY, or put it behind a TLS reverse proxy and keep HOST=127.0.0.1 (README, "Deploying").`,
    )
  }
  const tls = cfg.tls ? readTls(cfg.tls) : undefined
  // on PostgreSQL the database is shared by every app instance: no data directory to hold
  if (!cfg.databaseUrl) prepareDataDir(cfg.dataDir, io.err)
  const lock = cfg.databaseUrl ? undefined : lockDataDir(cfg.dataDir, io.err)
  let store: Store | undefined
  let cpu: CpuPool | undefined
  try {
    store = cfg.databaseUrl ? await openPostgres(cfg.databaseUrl) : openSqlite(databaseFile(cfg))
    const first = await bootstrap(store, cfg.protocolsDir)
    if (first.adminToken) {
      io.out(`First start: admin token (shown once, store it now):\n\n  ${first.adminToken}\n`)
      if (!cfg.databaseUrl) {
        try {
          io.out(`Also saved to ${saveAdminToken(cfg.dataDir, first.adminToken)} (readable by this user only): delete that file once the token is stored.\n`)
        } catch (e) {
          io.err(`Could not save the admin token in ${cfg.dataDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): copy it from above`)
        }
      }
      io.out('More tokens: npm run token -- create --role clinician --name <name>\n')
    }
    if (first.loaded.length) io.out(`Loaded protocols: ${first.loaded.join(', ')}`)
    for (const s of first.skipped) io.err(`Skipped protocols/${s.file}: ${s.reason}`)

    cpu =
      givenPool ??
      new CpuPool({
        budgetMs: cfg.cpuBudgetMs,
        ...(cfg.cpuThreads ? { threads: cfg.cpuThreads } : {}),
        ...(cfg.warmUp ? { warmUpWith: cfg.protocolsDir } : {}),
      })
    if (warmPool) await cpu.ready()
    const app = createApp({ store, cpu, maxFhirBodyBytes: cfg.fhirMaxBytes, ...(cfg.omopSource ? { omopSource: cfg.omopSource } : {}) })
    const { server, address, scheme } = await listen({ fetch: app.fetch, host: cfg.host, port: cfg.port, ...(tls ? { tls } : {}) }).catch(e => {
      throw listenError(cfg.host, cfg.port, e) ?? e
    })
    const url = `${scheme}://${address.address}:${address.port}`
    io.out(`${LISTENING_LINE} ${url} (data: ${cfg.databaseUrl ? `PostgreSQL ${databaseLabel(cfg.databaseUrl)}` : cfg.dataDir}); docs at /docs`)
    // the closures below see these as set (TypeScript does not carry the narrowing of a `let` into them)
    const db = store
    const pool = cpu
    const closeStorage = async () => {
      try {
        flushSignInThrottle(db)
        await db.close()
      } finally {
        lock?.release()
      }
    }
    return {
      config: cfg,
      server,
      address,
      scheme,
      url,
      store: db,
      cpu: pool,
      lock,
      ...(first.adminToken ? { adminToken: first.adminToken } : {}),
      closeStorage,
      close: async () => {
        server.closeAllConnections()
        await new Promise(resolve => server.close(resolve))
        if (pool !== givenPool) await pool.close()
        await closeStorage()
      },
    }
  } catch (e) {
    if (cpu !== givenPool) await cpu?.close()
    await store?.close()
    lock?.release()
    throw e
  }
}

/** The one line a failed start prints: the problem, its path and what to do; a stack trace only for what we did not foresee. */
export function startupFailureLine(e: unknown): string {
  const err = e as NodeJS.ErrnoException
  if (e instanceof StartupError) return e.message
  if (err?.code && err.path) return `Startup failed: ${err.syscall ?? 'access'} ${err.path}: ${err.code}`
  return err?.stack ?? String(e) // not a known condition: the whole story, for a bug report
}
