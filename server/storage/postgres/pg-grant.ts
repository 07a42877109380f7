/**
 * The privileges of the role app instances connect as, granted by the
 * database owner (who runs the migrations): reading every table, adding rows,
 * changing only the rows that hold a current state (a token's revocation, a
 * protocol's latest version and status, a subject's current record, an
 * idempotency key's answer) and deleting only expired idempotency keys.
 * Versions, record versions, status changes, the screening log and the audit
 * get no UPDATE, DELETE or TRUNCATE: the database refuses the app's role
 * before its triggers (migration 001) would.
 */
import type { PgDatabase } from './pg-database.ts'
import { quoteIdent } from './pg-database.ts'

/** Tables whose rows hold a current state the app updates in place. */
const UPDATED = ['tokens', 'protocols', 'subjects', 'idempotency_keys']
/** Tables whose rows the app deletes (expired keys, released claims). */
const DELETED = ['idempotency_keys']
/** Every table the app reads and appends to. */
const TABLES = [
  'tokens',
  'protocols',
  'protocol_versions',
  'protocol_examples',
  'protocol_status_changes',
  'subjects',
  'subject_record_versions',
  'evaluations',
  'audit',
  'audit_chain_state',
  'idempotency_keys',
  'schema_migrations',
]

/** The statements that give `role` what the app needs and nothing more, on the current schema. */
export function grantStatements(role: string, schema: string): string[] {
  const r = quoteIdent(role)
  const on = (tables: string[]) => tables.map(t => `${quoteIdent(schema)}.${quoteIdent(t)}`).join(', ')
  return [
    `REVOKE ALL ON ${on(TABLES)} FROM ${r}`,
    `GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${r}`,
    `GRANT SELECT, INSERT ON ${on(TABLES)} TO ${r}`,
    `GRANT UPDATE ON ${on(UPDATED)} TO ${r}`,
    `GRANT DELETE ON ${on(DELETED)} TO ${r}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${quoteIdent(schema)} TO ${r}`,
  ]
}

/** Grant them, in one transaction; the role must exist (CREATE ROLE … LOGIN PASSWORD … by the administrator). */
export async function grantAppRole(db: PgDatabase, role: string): Promise<void> {
  const [{ schema } = { schema: 'public' }] = await db.query<{ schema: string }>('SELECT current_schema() AS schema')
  const client = await db.pool.connect()
  try {
    await client.query('BEGIN')
    for (const statement of grantStatements(role, schema)) await client.query(statement)
    await client.query('COMMIT')
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {})
    throw e
  } finally {
    client.release()
  }
}
