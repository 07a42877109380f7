/**
 * `npm start` runs this first: builds the UI with Vite when web/dist is
 * missing or older than any source of the UI (web/**, package-lock.json),
 * so a fresh clone needs only `npm install && npm start`. The browser tests'
 * global setup and the test of the build step call `buildWebIfStale` too, so
 * a test run builds the UI at most once.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

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

/** When a file was last modified, or 0 when it does not exist. */
function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}

/** Build web/dist when it is missing or stale; says what it does through `say`. Resolves with whether it built. */
export async function buildWebIfStale(say: (line: string) => void = line => console.log(line)): Promise<boolean> {
  const builtAt = modifiedAt(join(dist, 'index.html'))
  if (builtAt !== 0 && builtAt >= Math.max(newest(web), modifiedAt(join(web, '..', 'package-lock.json')))) return false
  say(builtAt === 0 ? 'Building the web UI (web/dist is missing)…' : 'Rebuilding the web UI (sources changed)…')
  const { build } = await import('vite')
  const started = performance.now()
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' })
  say(`Web UI built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return true
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildWebIfStale()
