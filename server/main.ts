/**
 * `npm start`: open the database under DATA_DIR (default ./data), load the
 * shipped protocols on first start, serve the API on HOST:PORT
 * (default 127.0.0.1:8787).
 *
 * One server per data directory (a lock file in it); the directory is
 * created 0700 and the database files are 0600. A problem the operator can
 * fix (directory not writable, held by another server, not a database, port
 * in use) ends the process with one line on stderr and exit code 1.
 * HTTPS with TLS_CERT and TLS_KEY; CPU-bound work on a worker pool; a
 * graceful shutdown on SIGTERM (server/http/listen.ts).
 */
import { createApp } from './app.ts'
import { flushSignInThrottle } from './auth.ts'
import { bootstrap } from './bootstrap.ts'
import { configFromEnv, databaseFile, type ServerConfig } from './config.ts'
import { databaseOpenError, isLoopbackHost, listenError, lockDataDir, prepareDataDir, saveAdminToken, StartupError } from './storage/data-dir.ts'
import { openSqliteStore } from './storage/sqlite-store.ts'
import type { Store } from './storage/store.ts'
import { listen, readTls, shutDownOnSignals } from './http/listen.ts'
import { CpuPool } from './workers/cpu-pool.ts'

/** Leave with one line: the problem, its path and what to do. */
function fail(e: unknown): never {
  const err = e as NodeJS.ErrnoException
  if (e instanceof StartupError) console.error(e.message)
  else if (err?.code && err.path) console.error(`Startup failed: ${err.syscall ?? 'access'} ${err.path}: ${err.code}`)
  else console.error(err?.stack ?? String(e)) // not a known condition: the whole story, for a bug report
  process.exit(1)
}

function config(): ServerConfig {
  try {
    return configFromEnv()
  } catch (e) {
    throw new StartupError((e as Error).message)
  }
}

function openStore(file: string): Store {
  try {
    return openSqliteStore(file)
  } catch (e) {
    throw databaseOpenError(file, e) ?? e
  }
}

try {
  const cfg = config()
  if (!isLoopbackHost(cfg.host) && !cfg.tls) {
    console.error(
      `WARNING: HOST=${cfg.host} serves the API beyond this machine over plain HTTP: tokens and patient records travel unencrypted. Set TLS_CERT and TLS_KEY, or put it behind a TLS reverse proxy and keep HOST=127.0.0.1 (README, "Deploying").`,
    )
  }
  const tls = cfg.tls ? readTls(cfg.tls) : undefined
  prepareDataDir(cfg.dataDir)
  const lock = lockDataDir(cfg.dataDir)
  process.on('exit', () => lock.release())

  const store = openStore(databaseFile(cfg))
  const first = await bootstrap(store, cfg.protocolsDir)
  if (first.adminToken) {
    console.log(`First start: admin token (shown once, store it now):\n\n  ${first.adminToken}\n`)
    try {
      console.log(`Also saved to ${saveAdminToken(cfg.dataDir, first.adminToken)} (readable by this user only): delete that file once the token is stored.\n`)
    } catch (e) {
      console.error(`Could not save the admin token in ${cfg.dataDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): copy it from above`)
    }
    console.log('More tokens: npm run token -- create --role clinician --name <name>\n')
  }
  if (first.loaded.length) console.log(`Loaded protocols: ${first.loaded.join(', ')}`)
  for (const s of first.skipped) console.error(`Skipped protocols/${s.file}: ${s.reason}`)

  const cpu = new CpuPool({ budgetMs: cfg.cpuBudgetMs, ...(cfg.cpuThreads ? { threads: cfg.cpuThreads } : {}) })
  await cpu.ready() // the engine loaded on every thread before the first request
  const app = createApp({ store, cpu, maxFhirBodyBytes: cfg.fhirMaxBytes })
  let listening: Awaited<ReturnType<typeof listen>>
  try {
    listening = await listen({ fetch: app.fetch, host: cfg.host, port: cfg.port, ...(tls ? { tls } : {}) })
  } catch (e) {
    await cpu.close()
    store.close()
    throw listenError(cfg.host, cfg.port, e) ?? e
  }
  const { server, address, scheme } = listening
  console.log(`LN trial rules API on ${scheme}://${address.address}:${address.port} (data: ${cfg.dataDir}); docs at /docs`)
  shutDownOnSignals({
    server,
    deadlineMs: cfg.shutdownDeadlineMs,
    cancelWork: () => cpu.close(),
    closeStorage: () => {
      flushSignInThrottle(store) // the failed sign-ins of windows still open go to the audit
      store.close()
      lock.release()
    },
    log: line => console.error(line),
    exit: code => process.exit(code),
  })
} catch (e) {
  fail(e)
}
