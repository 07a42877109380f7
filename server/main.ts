/**
 * `npm start`: open the database under DATA_DIR (default ./data), load the
 * shipped protocols on first start, serve the API on HOST:PORT
 * (default 127.0.0.1:8787).
 */
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { bootstrap } from './bootstrap.ts'
import { configFromEnv, databaseFile } from './config.ts'
import { openSqliteStore } from './storage/sqlite-store.ts'

const config = configFromEnv()
const store = openSqliteStore(databaseFile(config))
const first = await bootstrap(store, config.protocolsDir)
if (first.adminToken) {
  console.log(`First start: admin token (shown once, store it now):\n\n  ${first.adminToken}\n`)
  console.log('More tokens: npm run token -- create --role clinician --name <name>\n')
}
if (first.loaded.length) console.log(`Loaded protocols: ${first.loaded.join(', ')}`)
for (const s of first.skipped) console.error(`Skipped protocols/${s.file}: ${s.reason}`)

const app = createApp({ store, maxFhirBodyBytes: config.fhirMaxBytes })
const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  console.log(`LN trial rules API on http://${info.address}:${info.port} (data: ${config.dataDir}); docs at /docs`)
})

function shutdown(): void {
  server.close(() => {
    store.close()
    process.exit(0)
  })
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
