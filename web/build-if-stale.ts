/**
 * `npm start` runs this first: builds the UI with Vite when web/dist is
 * missing or older than any source of the UI (web/**, package-lock.json),
 * so a fresh clone needs only `npm install && npm start`.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const web = fileURLToPath(new URL('.', import.meta.url))
const dist = join(web, 'dist')

function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

const builtAt = (() => {
  try {
    return statSync(join(dist, 'index.html')).mtimeMs
  } catch {
    return 0
  }
})()
const lock = (() => {
  try {
    return statSync(join(web, '..', 'package-lock.json')).mtimeMs
  } catch {
    return 0
  }
})()

if (builtAt === 0 || builtAt < Math.max(newest(web), lock)) {
  console.log(builtAt === 0 ? 'Building the web UI (web/dist is missing)…' : 'Rebuilding the web UI (sources changed)…')
  const { build } = await import('vite')
  const started = performance.now()
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' })
  console.log(`Web UI built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}
