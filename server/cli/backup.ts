/**
 * `npm run backup -- <file>`: a consistent copy of the server's database
 * (DATA_DIR, as `npm start` reads it), taken while the server runs, checked,
 * private (0600). Restore: stop the server, put the copy in place as
 * `$DATA_DIR/ln-trial.db` (no -wal or -shm beside it), start it, and
 * `npm run audit -- verify`. `main` runs it on given streams (common.ts); bin/backup.ts as a program.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { println } from '../../engine/cli/io.ts'
import { backupDatabase } from '../storage/backup.ts'
import { EXIT_FAILED, EXIT_USAGE, leave, parseCommandLine, runCommand, serverConfig, serverDatabaseFile, type ServerCliIo } from './common.ts'

const USAGE = `usage: npm run backup -- <file>

  <file>  where to write the copy (must not exist), e.g. /backups/ln-trial-$(date +%F).db

The database is the server's: $DATA_DIR/ln-trial.db (DATA_DIR defaults to ./data).
The copy is consistent while the server runs, checked with integrity_check, and readable by you only.
Options: -h, --help  this text`

/** `npm run backup -- <argv>` on these streams; resolves to the exit code. */
export function main(argv: string[], io: ServerCliIo): Promise<number> {
  return runCommand(io, async () => {
    const { positionals } = parseCommandLine(USAGE, {}, argv)
    if (positionals.length !== 1) leave(`${positionals.length === 0 ? 'no file given' : `one file, got ${positionals.length}`}\n\n${USAGE}`, EXIT_USAGE)
    if (serverConfig(io).databaseUrl)
      leave(
        'DATABASE_URL is set: this tool copies the SQLite file under DATA_DIR. Back up PostgreSQL with its own tools (pg_dump, or pg_basebackup with WAL archiving for point-in-time recovery)',
        EXIT_FAILED,
      )
    const file = serverDatabaseFile(io)
    if (!existsSync(file)) leave(`no database at ${file}: set DATA_DIR to the server's data directory`, EXIT_FAILED)
    const target = resolve(io.cwd ?? process.cwd(), positionals[0]!)
    let report: Awaited<ReturnType<typeof backupDatabase>>
    try {
      report = await backupDatabase(file, target)
    } catch (e) {
      leave(`backup failed: ${(e as Error).message}`, EXIT_FAILED)
    }
    println(io.stdout, `backup of ${file} written to ${report.target}: ${report.pages} pages, ${report.bytes} bytes, integrity ${report.integrity}`)
  })
}
