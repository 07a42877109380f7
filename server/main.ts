/**
 * `npm start`: start the server (server/start.ts) from the environment:
 * DATA_DIR (default ./data), PROTOCOLS_DIR, HOST:PORT (default
 * 127.0.0.1:8787), TLS_CERT/TLS_KEY, CPU_THREADS, CPU_BUDGET_MS,
 * SHUTDOWN_DEADLINE_MS, WARM_UP, DATABASE_URL (PostgreSQL instead of the
 * SQLite file under DATA_DIR) (server/config.ts).
 *
 * What only a whole process does is here: a problem the operator can fix
 * ends the process with one line on stderr and exit code 1, and SIGTERM,
 * SIGINT and SIGHUP shut it down gracefully (server/http/listen.ts).
 */
import { shutDownOnSignals } from './http/listen.ts'
import { startServer, startupFailureLine } from './start.ts'

try {
  const started = await startServer({ env: process.env, io: { out: line => console.log(line), err: line => console.error(line) } })
  process.on('exit', () => started.lock?.release())
  shutDownOnSignals({
    server: started.server,
    deadlineMs: started.config.shutdownDeadlineMs,
    cancelWork: () => started.cpu.close(),
    closeStorage: started.closeStorage,
    log: line => console.error(line),
    exit: code => process.exit(code),
  })
} catch (e) {
  console.error(startupFailureLine(e))
  process.exit(1)
}
