/**
 * `npm run token -- <command>`: API tokens in the database the server uses
 * (DATA_DIR). A new token is printed once, on stdout; the database used and
 * any refusal go to stderr. Every change is audited as the CLI (the OS user
 * who ran it). `main` runs it on given streams (common.ts); bin/token.ts as a program.
 */
import { println } from '../../engine/cli/io.ts'
import { ROLES, newToken, tokenExpiry, tokenRefusalMessage, tokenStatus } from '../auth.ts'
import type { Role, TokenRow } from '../storage/store.ts'
import { EXIT_FAILED, EXIT_USAGE, cliActor, leave, openExistingStore, parseCommandLine, runCommand, type ServerCliIo } from './common.ts'

const USAGE = `usage: npm run token -- <command>

  create --role <${ROLES.join('|')}> --name <name> [--expires-in-days <days>] [--unblinded]
                   a new token, printed once; --unblinded: it may see per-arm
                   results of protocols that are not open-label (admin: always)
  list             every token: id, role, unblinded, status, name, created, expires
  revoke <id>      revoke a token (not the last valid admin token)
  rotate <id>      a new token with the same name, role and lifetime; the old one revoked

The database is the server's: $DATA_DIR/ln-trial.db (DATA_DIR defaults to ./data).
Options: -h, --help  this text`

const usageError = (problem: string): never => leave(`${problem}\n\n${USAGE}`, EXIT_USAGE)

const OPTIONS = { role: { type: 'string' }, name: { type: 'string' }, 'expires-in-days': { type: 'string' }, unblinded: { type: 'boolean' } } as const
type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values']

/** What `create` was asked for, checked before any database is opened. */
function createRequest(values: Values, id: string | undefined): { name: string; role: Role; expires_at: string | null; unblinded: boolean } {
  if (id !== undefined) usageError(`create takes no positional argument (got ${id})`)
  const role = values.role
  if (!role || !ROLES.includes(role as Role)) usageError(role ? `unknown role ${role}: one of ${ROLES.join(', ')}` : 'create needs --role')
  const name = values.name?.trim()
  if (!name) usageError('create needs --name (whose token it is)')
  const days = values['expires-in-days']
  let expiry: ReturnType<typeof tokenExpiry> = { ok: true, expires_at: null }
  if (days !== undefined)
    expiry = /^\d+$/.test(days)
      ? tokenExpiry({ expires_in_days: Number(days) })
      : { ok: false, reason: `--expires-in-days must be a whole number of days, got ${days}` }
  if (!expiry.ok) usageError(expiry.reason)
  return { name: name!, role: role as Role, expires_at: expiry.ok ? expiry.expires_at : null, unblinded: values.unblinded === true }
}

function idArgument(values: Values, command: string, id: string | undefined): string {
  if (!id) usageError(`${command} needs the id of a token (see: npm run token -- list)`)
  for (const option of ['role', 'name', 'expires-in-days', 'unblinded'] as const)
    if (values[option] !== undefined) usageError(`${command} takes no --${option}`)
  return id!
}

/** Whether the token sees per-arm results: an admin always (server/auth.ts), another role if created so. */
const unblindedCell = (t: TokenRow) => (t.role === 'admin' ? 'yes (admin)' : t.unblinded ? 'yes' : 'no')

function table(rows: TokenRow[]): string {
  const now = new Date().toISOString()
  const lines = [
    ['id', 'role', 'unblinded', 'status', 'name', 'created', 'expires'],
    ...rows.map(t => [t.id, t.role, unblindedCell(t), tokenStatus(t, now), t.name, t.created_at, t.expires_at ?? 'never']),
  ]
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map(l => l[i]!.length)))
  return lines.map(l => l.map((cell, i) => (i === l.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n')
}

const shown = (row: TokenRow, token: string) =>
  `${row.unblinded ? 'unblinded ' : ''}${row.role} token "${row.name}" (id ${row.id}, ${row.expires_at ? `expires ${row.expires_at}` : 'does not expire'}), shown once:\n\n  ${token}\n`

/** `npm run token -- <argv>` on these streams; resolves to the exit code. */
export function main(argv: string[], io: ServerCliIo): Promise<number> {
  return runCommand(io, async () => {
    const { values, positionals } = parseCommandLine(USAGE, OPTIONS, argv)
    const [command, id, ...extra] = positionals
    if (extra.length) usageError(`unexpected arguments: ${extra.join(' ')}`)
    if (command === undefined) usageError('no command given')
    switch (command) {
      case 'create': {
        const request = createRequest(values, id)
        const store = await openExistingStore(io)
        const { token, hash } = newToken()
        const row = await store.createToken({ ...request, hash }, cliActor(io))
        await store.close()
        println(io.stdout, shown(row, token))
        break
      }
      case 'list': {
        if (id !== undefined) usageError(`list takes no argument (got ${id})`)
        const store = await openExistingStore(io)
        const rows = await store.listTokens()
        await store.close()
        println(io.stdout, rows.length ? table(rows) : 'no tokens')
        break
      }
      case 'revoke': {
        const tokenId = idArgument(values, command, id)
        const store = await openExistingStore(io)
        const r = await store.revokeToken(tokenId, cliActor(io))
        await store.close()
        if (!r.ok) leave(tokenRefusalMessage(tokenId, r), EXIT_FAILED)
        println(io.stdout, `revoked ${r.value.role} token "${r.value.name}" (id ${r.value.id})`)
        break
      }
      case 'rotate': {
        const tokenId = idArgument(values, command, id)
        const store = await openExistingStore(io)
        const { token, hash } = newToken()
        const r = await store.rotateToken(tokenId, hash, cliActor(io))
        await store.close()
        if (!r.ok) leave(tokenRefusalMessage(tokenId, r), EXIT_FAILED)
        println(io.stdout, `revoked token ${r.value.replaced.id}; its replacement, ${shown(r.value.token, token)}`)
        break
      }
      default:
        usageError(`unknown command ${command}`)
    }
  })
}
