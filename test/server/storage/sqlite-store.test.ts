/**
 * The Store conformance cases (store-conformance.ts) on SQLite, the embedded
 * default: a database file in a temporary directory per case, as the server
 * keeps one under DATA_DIR.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteStore } from '../../../server/storage/sqlite-store.ts'
import { storeConformance } from './store-conformance.ts'

storeConformance('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ln-store-conformance-'))
  const store = openSqliteStore(join(dir, 'ln-trial.db'))
  return {
    store,
    dispose: () => {
      store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
