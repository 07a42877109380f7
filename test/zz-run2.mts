import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '../server/start.ts'
const s = await startServer({ env: { PORT: '0', HOST: '127.0.0.1', CPU_THREADS: process.env.T ?? '1', DATA_DIR: mkdtempSync(join(tmpdir(), 'run2-')) }, io: { out: () => {}, err: () => {} } })
const h = { Authorization: `Bearer ${s.adminToken}`, 'Content-Type': 'application/json' }
for (let i = 0; i < 6; i++) {
  const t = performance.now()
  const r = await fetch(`${s.url}/protocols/nct05631717/examples/run?version=1`, { method: 'POST', headers: h, body: '{}' })
  await r.text()
  console.log(i, r.status, (performance.now() - t).toFixed(0), 'ms')
}
await s.close()
