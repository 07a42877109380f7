/**
 * What the command-line tools share: the database they use (found exactly as
 * the server finds it), their actor in the audit, and leaving with one line
 * and an exit code instead of a stack trace.
 */
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { configFromEnv, databaseFile } from '../config.ts'
import { databaseOpenError } from '../storage/data-dir.ts'
import { openSqliteStore } from '../storage/sqlite-store.ts'
import { SYSTEM_ACTOR, type Actor, type Store } from '../storage/store.ts'

/** Exit codes: 1 the work failed or was refused, 2 the command line was wrong (as most Unix tools). */
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

/** Print `message` to stderr and leave with `code`. */
export function leave(message: string, code: number): never {
  console.error(message)
  process.exit(code)
}

/**
 * parseArgs that answers --help / -h with the usage (exit 0) and an unknown
 * option, a missing value or a bad command with the problem and the usage (exit 2).
 */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(usage: string, options: O, argv = process.argv.slice(2)) {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    // node's first sentence names the problem ("Unknown option '--x'"); the rest is a hint about '--', the stack nothing
    leave(`${(e as Error).message.split('. ')[0]}\n\n${usage}`, EXIT_USAGE)
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage)
    process.exit(0)
  }
  return parsed
}

/** The OS user running a tool, for the audit; a container without a passwd entry has none. */
function osUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
}

/** The command-line tools act as the system (no token), under the OS user who ran them. */
export const cliActor = (): Actor => ({ ...SYSTEM_ACTOR, name: `cli (${osUser()})` })

/**
 * Open the database the server uses (DATA_DIR as `npm start` reads it) and
 * say which on stderr; refuse, with one line, when there is none: a tool
 * creating an empty database elsewhere would look like success.
 */
export function openExistingStore(): Store {
  let file: string
  try {
    file = databaseFile(configFromEnv())
  } catch (e) {
    leave((e as Error).message, EXIT_FAILED)
  }
  if (!existsSync(file)) leave(`no database at ${file}: start the server once (npm start) or set DATA_DIR`, EXIT_FAILED)
  console.error(`database: ${file}`)
  try {
    return openSqliteStore(file)
  } catch (e) {
    leave(databaseOpenError(file, e)?.message ?? `cannot open the database ${file}: ${(e as Error).message}`, EXIT_FAILED)
  }
}
