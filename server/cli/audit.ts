/**
 * `npm run audit -- verify [--anchor <hash>]`: walk the audit hash chain of
 * the database the server uses (DATA_DIR). Exit 0 with the row count and the
 * head hash, or 1 with the first row that does not fit and why. Keep the
 * printed head somewhere else: passed later as --anchor, it shows rows cut
 * off the end, which the chain alone cannot (server/storage/audit-chain.ts).
 * `main` runs it on given streams (common.ts); bin/audit.ts as a program.
 */
import { println } from '../../engine/cli/io.ts'
import { EXIT_FAILED, EXIT_USAGE, leave, openExistingStore, parseCommandLine, runCommand, type ServerCliIo } from './common.ts'

const USAGE = `usage: npm run audit -- verify [--anchor <hash>]

  verify           check the audit trail's hash chain; prints the row count and head hash
  --anchor <hash>  a head printed by an earlier verify: it must still be in the chain

The database is the server's: $DATA_DIR/ln-trial.db (DATA_DIR defaults to ./data).
Options: -h, --help  this text`

const usageError = (problem: string): never => leave(`${problem}\n\n${USAGE}`, EXIT_USAGE)

/** `npm run audit -- <argv>` on these streams; resolves to the exit code. */
export function main(argv: string[], io: ServerCliIo): Promise<number> {
  return runCommand(io, async () => {
    const { values, positionals } = parseCommandLine(USAGE, { anchor: { type: 'string' } }, argv)
    if (positionals.length === 0) usageError('no command given')
    if (positionals[0] !== 'verify') usageError(`unknown command ${positionals[0]}`)
    if (positionals.length > 1) usageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`)
    const anchor = values.anchor?.trim().toLowerCase()
    if (anchor !== undefined && !/^[0-9a-f]{64}$/.test(anchor)) usageError(`--anchor must be a SHA-256 hash (64 hexadecimal digits), got ${values.anchor}`)

    const store = await openExistingStore(io)
    const report = await store.verifyAudit(anchor === undefined ? {} : { anchor })
    await store.close()
    if (!report.ok) {
      leave(
        `audit chain broken${report.at === null ? '' : ` at row ${report.at}`} (${report.problem}): ${report.detail}; ${report.rows} rows before it are intact`,
        EXIT_FAILED,
      )
    }
    println(io.stdout, `audit chain ok: ${report.rows} rows, head ${report.head}${anchor ? ' (anchor found)' : ''}`)
  })
}
