/**
 * What the command-line tools share: the database they use (found exactly as
 * the server finds it), their actor in the audit, and leaving with one line
 * and an exit code instead of a stack trace. Each tool's `main(argv, io)`
 * writes only to the streams it is given (engine/cli/io.ts) and returns its
 * exit code; bin/*.ts run them as programs, tests call them in process.
 */
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { println, type CliIo } from '../../engine/cli/io.ts'
import { configFromEnv, databaseFile, databaseLabel, type ServerConfig } from '../config.ts'
import { databaseOpenError } from '../storage/data-dir.ts'
import { openSqliteStore } from '../storage/sqlite-store.ts'
import { openPostgresStore } from '../storage/postgres/postgres-store.ts'
import { openProblem } from '../storage/postgres/pg-database.ts'
import { SYSTEM_ACTOR, type Actor, type Store } from '../storage/store.ts'

/** Exit codes: 1 the work failed or was refused, 2 the command line was wrong (as most Unix tools). */
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

/** A tool's streams and the environment it reads DATA_DIR from (default: the process's). */
export interface ServerCliIo extends Pick<CliIo, 'stdout' | 'stderr' | 'cwd'> {
  env?: NodeJS.ProcessEnv | undefined
}

/** Leaving early: `message` on stdout when `code` is 0 (the usage asked for), else on stderr. */
class Leave extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message)
  }
}

/** Stop the command with `message` and `code` (run turns it into output and the exit code). */
export function leave(message: string, code: number): never {
  throw new Leave(message, code)
}

/** Run a command's body: 0 when it returns, a `leave`'s code (its message printed) when it leaves. */
export async function runCommand(io: ServerCliIo, body: () => Promise<void>): Promise<number> {
  try {
    await body()
    return 0
  } catch (e) {
    if (!(e instanceof Leave)) throw e
    println(e.code === 0 ? io.stdout : io.stderr, e.message)
    return e.code
  }
}

/**
 * parseArgs that answers --help / -h with the usage (exit 0) and an unknown
 * option, a missing value or a bad command with the problem and the usage (exit 2).
 */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(usage: string, options: O, argv: string[]) {
  const parsed = (() => {
    try {
      return parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } })
    } catch (e) {
      // node's first sentence names the problem ("Unknown option '--x'"); the rest is a hint about '--', the stack nothing
      return leave(`${(e as Error).message.split('. ')[0]}\n\n${usage}`, EXIT_USAGE)
    }
  })()
  if ((parsed.values as { help?: boolean }).help) leave(usage, 0)
  return parsed
}

/** The OS user running a tool, for the audit; a container without a passwd entry has none. */
function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown'
  }
}

/** The command-line tools act as the system (no token), under the OS user who ran them. */
export const cliActor = (io: ServerCliIo): Actor => ({ ...SYSTEM_ACTOR, name: `cli (${osUser(io.env ?? process.env)})` })

/** The server's settings as `npm start` reads them; a bad setting leaves with its message. */
export function serverConfig(io: ServerCliIo): ServerConfig {
  try {
    return configFromEnv(io.env ?? process.env)
  } catch (e) {
    leave((e as Error).message, EXIT_FAILED)
  }
}

/** The server's database file (DATA_DIR as `npm start` reads it); a bad setting leaves with its message. */
export function serverDatabaseFile(io: ServerCliIo): string {
  return databaseFile(serverConfig(io))
}

/**
 * Open the database the server uses (PostgreSQL when DATABASE_URL is set,
 * else the SQLite file under DATA_DIR) and say which on stderr; refuse, with
 * one line, when there is no SQLite file: a tool creating an empty database
 * elsewhere would look like success.
 */
export async function openExistingStore(io: ServerCliIo): Promise<Store> {
  const config = serverConfig(io)
  if (config.databaseUrl) {
    const label = databaseLabel(config.databaseUrl)
    println(io.stderr, `database: PostgreSQL ${label}`)
    try {
      return await openPostgresStore({ url: config.databaseUrl, poolSize: 2 })
    } catch (e) {
      leave(`cannot open the PostgreSQL database ${label}: ${openProblem(e) ?? (e as Error).message}`, EXIT_FAILED)
    }
  }
  const file = databaseFile(config)
  if (!existsSync(file)) leave(`no database at ${file}: start the server once (npm start) or set DATA_DIR`, EXIT_FAILED)
  println(io.stderr, `database: ${file}`)
  try {
    return openSqliteStore(file)
  } catch (e) {
    leave(databaseOpenError(file, e)?.message ?? `cannot open the database ${file}: ${(e as Error).message}`, EXIT_FAILED)
  }
}
