/**
 * `npm run token -- create --role <role> --name <name>`: create an API token
 * in the database under DATA_DIR and print it once.
 */
import { parseArgs } from 'node:util'
import { ROLES, newToken } from '../auth.ts'
import { configFromEnv, databaseFile } from '../config.ts'
import { openSqliteStore } from '../storage/sqlite-store.ts'
import type { Role } from '../storage/store.ts'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { role: { type: 'string' }, name: { type: 'string' } } })
if (positionals[0] !== 'create' || !values.role || !values.name || !ROLES.includes(values.role as Role)) {
  console.error(`usage: npm run token -- create --role <${ROLES.join('|')}> --name <name>`)
  process.exit(2)
}
const store = openSqliteStore(databaseFile(configFromEnv()))
const { token, hash } = newToken()
await store.createToken({ name: values.name, role: values.role as Role, hash }, 'cli')
store.close()
console.log(`${values.role} token for ${values.name} (shown once):\n\n  ${token}\n`)
