/**
 * `npm run db -- export <file>` / `import <file>`: move every record between
 * the SQLite database under DATA_DIR and a PostgreSQL database (DATABASE_URL),
 * either way: export from one setting, import with the other. The import
 * goes into a new (empty) database only, is checked row for row against the
 * file's summary before it commits, and prints each table's row count and
 * content hash, the same as the export printed (storage/transfer says how).
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { println } from '../../engine/cli/io.ts'
import { databaseFile, databaseLabel } from '../config.ts'
import { openDatabase } from '../storage/sqlite-open.ts'
import { connect, openProblem } from '../storage/postgres/pg-database.ts'
import { migratePostgres } from '../storage/postgres/pg-migrate.ts'
import { grantAppRole } from '../storage/postgres/pg-grant.ts'
import { pgTables } from '../storage/transfer/pg-tables.ts'
import { sqliteTables } from '../storage/transfer/sqlite-tables.ts'
import type { TableAccess } from '../storage/transfer/tables.ts'
import { ImportRefused, exportDatabase, importDatabase, type TableSummary } from '../storage/transfer/transfer.ts'
import { EXIT_FAILED, EXIT_USAGE, leave, parseCommandLine, runCommand, serverConfig, type ServerCliIo } from './common.ts'

const USAGE = `Usage: npm run db -- <command> [<file> | <role>]

  export <file>   write every record of the server's database to <file> (NDJSON)
  import <file>   read <file> into the server's database, which must be new (empty)
  migrate         PostgreSQL: create or update the tables (as the database owner)
  grant <role>    PostgreSQL: give <role>, which app instances then connect as, what
                  they need: no UPDATE, DELETE or TRUNCATE of versions, the
                  screening log or the audit (as the database owner, after migrate)

The database is the server's: PostgreSQL when DATABASE_URL is set, else the
SQLite file under DATA_DIR. From SQLite to PostgreSQL:

  npm run db -- export records.ndjson
  DATABASE_URL=postgres://user:password@host:5432/db npm run db -- import records.ndjson

Each command prints every table's row count and content hash; the import
checks the file against them before it commits, and its database after.

Options: -h, --help  this text`

/** The server's database as tables, created (and migrated) when `create` allows. */
async function openTables(io: ServerCliIo, create: boolean): Promise<TableAccess> {
  const config = serverConfig(io)
  if (config.databaseUrl) {
    const label = `PostgreSQL ${databaseLabel(config.databaseUrl)}`
    const db = connect({ url: config.databaseUrl, poolSize: 2 })
    try {
      await migratePostgres(db)
    } catch (e) {
      await db.close()
      leave(`cannot open ${label}: ${openProblem(e) ?? (e as Error).message}`, EXIT_FAILED)
    }
    return pgTables(db, label)
  }
  const file = databaseFile(config)
  if (!create && !existsSync(file)) leave(`no database at ${file}: set DATA_DIR to the server's data directory (or DATABASE_URL)`, EXIT_FAILED)
  try {
    return sqliteTables(openDatabase(file, {}), `SQLite ${file}`)
  } catch (e) {
    leave(`cannot open the database ${file}: ${(e as Error).message}`, EXIT_FAILED)
  }
}

function printSummary(io: ServerCliIo, summary: TableSummary): void {
  for (const [table, { rows, sha256 }] of Object.entries(summary)) println(io.stdout, `${table.padEnd(24)} ${String(rows).padStart(8)} rows  sha256 ${sha256}`)
}

/** `npm run db -- <argv>` on these streams; resolves to the exit code. */
export function main(argv: string[], io: ServerCliIo): Promise<number> {
  return runCommand(io, async () => {
    const { positionals } = parseCommandLine(USAGE, {}, argv)
    const [command, given, ...rest] = positionals
    if (command === 'migrate' || command === 'grant') return postgresAdmin(io, command, positionals.slice(1))
    if (command !== 'export' && command !== 'import')
      leave(`${command === undefined ? 'no command given' : `unknown command ${command}`}\n\n${USAGE}`, EXIT_USAGE)
    if (given === undefined || rest.length > 0) leave(`${command} takes one file\n\n${USAGE}`, EXIT_USAGE)
    const file = resolve(io.cwd ?? process.cwd(), given)
    if (command === 'export') {
      const db = await openTables(io, false)
      println(io.stderr, `exporting ${db.label} to ${file}`)
      // 'wx': never over an existing file (an earlier export, or the wrong path)
      const out = createWriteStream(file, { flags: 'wx', mode: 0o600 })
      const opened = new Promise<void>((ok, fail) => out.once('open', () => ok()).once('error', fail))
      try {
        await opened
      } catch (e) {
        await db.close()
        leave(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists (choose a new file)' : (e as Error).message}`, EXIT_FAILED)
      }
      try {
        const summary = await exportDatabase(db, line => {
          if (!out.write(`${line}\n`)) return new Promise<void>(ok => out.once('drain', () => ok()))
        })
        await new Promise<void>((ok, fail) => out.end((e?: Error | null) => (e ? fail(e) : ok())))
        printSummary(io, summary)
      } finally {
        await db.close()
      }
      return
    }
    if (!existsSync(file)) leave(`no file ${file}`, EXIT_FAILED)
    const db = await openTables(io, true)
    println(io.stderr, `importing ${file} into ${db.label}`)
    try {
      const lines = () => createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY })
      printSummary(io, await importDatabase(db, lines))
    } catch (e) {
      if (e instanceof ImportRefused) leave(`import refused: ${e.message}`, EXIT_FAILED)
      throw e
    } finally {
      await db.close()
    }
  })
}

/** `migrate` and `grant <role>`: the database owner's two steps before app instances connect as their own role. */
async function postgresAdmin(io: ServerCliIo, command: 'migrate' | 'grant', args: string[]): Promise<void> {
  const expected = command === 'grant' ? 1 : 0
  if (args.length !== expected) leave(`${command} takes ${command === 'grant' ? 'one role' : 'no argument'}\n\n${USAGE}`, EXIT_USAGE)
  const url = serverConfig(io).databaseUrl
  if (!url) leave(`${command} is for PostgreSQL: set DATABASE_URL (the SQLite file under DATA_DIR is migrated by the server itself)`, EXIT_FAILED)
  const label = `PostgreSQL ${databaseLabel(url)}`
  const db = connect({ url, poolSize: 1 })
  try {
    const applied = await migratePostgres(db).catch((e: unknown) => leave(`cannot migrate ${label}: ${openProblem(e) ?? (e as Error).message}`, EXIT_FAILED))
    if (command === 'migrate') {
      println(io.stdout, applied.length ? `${label}: applied migrations ${applied.join(', ')}` : `${label}: up to date`)
      return
    }
    const role = args[0]!
    await grantAppRole(db, role).catch((e: unknown) => leave(`cannot grant ${role} on ${label}: ${(e as Error).message}`, EXIT_FAILED))
    println(io.stdout, `${label}: ${role} may read every table and add rows; it may not change or remove versions, the screening log or the audit`)
  } finally {
    await db.close()
  }
}
