/**
 * The PostgreSQL connection pool as the store uses it: reads on any pooled
 * connection; writes in a transaction that first takes one database-wide
 * advisory lock, so writes from every app instance on the database run one
 * at a time, as SQLite's BEGIN IMMEDIATE makes them (the audit chain gives
 * each row the id and hash after the last one, and compare-and-set reads then
 * writes). Reads never wait for it.
 */
import pg from 'pg'

/** The advisory lock key of writes (any constant the app alone uses): 'lntr' 'write' as bytes. */
export const WRITE_LOCK = 0x6c6e7472_7772
/** The advisory lock key of migrations. */
export const MIGRATION_LOCK = 0x6c6e7472_6d67

/** A query on one connection: a transaction's, or the pool's for a read. */
export type Query = <R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => Promise<R[]>

export interface PgDatabase {
  readonly pool: pg.Pool
  /** Rows of a read, on any pooled connection. */
  query: Query
  /** The first row of a read, or undefined. */
  one<R extends object>(sql: string, params?: readonly unknown[]): Promise<R | undefined>
  /** `fn` in a write transaction holding the write lock: committed when it returns, rolled back when it throws. */
  write<T>(fn: (q: Query) => Promise<T>): Promise<T>
  /** `fn` in a read-only REPEATABLE READ transaction: one snapshot for several reads. */
  snapshot<T>(fn: (q: Query) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface PgConnectOptions {
  /** postgres://user:password@host:port/database */
  url: string
  /** The schema the tables live in (default: the role's search_path, normally public); tests use one per case. */
  schema?: string
  /** Pooled connections per app instance (default 10). */
  poolSize?: number
}

const INT8 = 20
// bigint ids and counts as numbers: the store's rows are numbered well below 2^53
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

/** A schema name as an identifier, quoted. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`

export function connect(options: PgConnectOptions): PgDatabase {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  })
  // an idle connection the server dropped (restart, failover) is replaced on next use; without a listener the error would end the process
  pool.on('error', () => {})

  /** A read on a pooled connection, once more on a fresh one if that connection turns out dead (the database restarted meanwhile). */
  const query: Query = async (sql, params) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await pool.query(sql, params as unknown[])).rows
      } catch (e) {
        if (!connectionLost(e)) throw e
        if (attempt === 2) throw new ConnectionLost(e)
      }
    }
  }

  /**
   * `fn` in a transaction. A connection lost before COMMIT was sent leaves
   * nothing written (the server rolls back): tried once more on a fresh
   * connection, then ConnectionLost (answered 503). Lost during the COMMIT,
   * whether it was saved is unknown: said so, never taken for "nothing saved".
   */
  async function inTransaction<T>(begin: string, fn: (q: Query) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient
      try {
        client = await pool.connect()
      } catch (e) {
        if (connectionLost(e) && attempt === 1) continue
        throw connectionLost(e) ? new ConnectionLost(e) : e
      }
      let committing = false
      let lost = false
      try {
        await client.query(begin)
        const q: Query = async (sql, params) => (await client.query(sql, params as unknown[])).rows
        const out = await fn(q)
        committing = true
        await client.query('COMMIT')
        return out
      } catch (e) {
        lost = connectionLost(e)
        if (!lost) await client.query('ROLLBACK').catch(() => {})
        if (lost && committing) throw new Error('the connection to PostgreSQL was lost during COMMIT: whether the write was saved is unknown', { cause: e })
        if (!lost || attempt === 2) throw lost ? new ConnectionLost(e) : e
      } finally {
        // a dead connection leaves the pool instead of going back to it
        client.release(lost)
      }
    }
  }

  return {
    pool,
    query,
    async one(sql, params) {
      return (await query(sql, params))[0] as never
    },
    write: fn =>
      inTransaction('BEGIN', async q => {
        await q('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK])
        return fn(q)
      }),
    snapshot: fn => inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    close: () => pool.end(),
  }
}

/** SQLSTATEs and socket errors of a connection the server or the network ended (08: connection exception; 57P01/02: shut down). */
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', '57P01', '57P02', '57P03', '08000', '08003', '08006'])

function connectionLost(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined
  if (code !== undefined) return LOST_CODES.has(code)
  // node-postgres's own errors for a socket that closed under it carry no code
  return e instanceof Error && /^Connection terminated|^Client has encountered a connection error|^Connection terminated unexpectedly/.test(e.message)
}

/** The database could not be reached, or the connection was lost before anything was committed: nothing was saved (503). */
export class ConnectionLost extends Error {
  readonly code = 'ECONNLOST'
  constructor(cause: unknown) {
    super(`PostgreSQL is out of reach: ${(cause as Error | undefined)?.message ?? String(cause)}`, { cause })
    this.name = 'ConnectionLost'
  }
}

/** What the operator can fix when the database cannot be opened, by the driver's code; undefined for anything else. */
const OPEN_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there: start PostgreSQL, or correct the host and port',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (yet): check DNS',
  ETIMEDOUT: 'the connection timed out: check the host, port and firewall',
  '28P01': 'the password was refused',
  '28000': 'the server refuses this role or client (pg_hba.conf)',
  '3D000': 'the database does not exist: create it (createdb)',
  '42501': 'the role may not create the tables: run the first start (the migrations) as the database owner',
  '57P03': 'the server is starting up or shutting down: try again shortly',
  '53300': 'the server has no connection slots left',
}

export function openProblem(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined
  const cause = (e as { cause?: unknown } | undefined)?.cause
  return (code !== undefined ? OPEN_PROBLEMS[code] && `${OPEN_PROBLEMS[code]} (${code})` : undefined) ?? (cause ? openProblem(cause) : undefined)
}
