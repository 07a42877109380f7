/**
 * A throwaway PostgreSQL cluster for the PostgreSQL suites: initdb in a new
 * temporary directory, started on a free loopback port (and a socket in that
 * directory), as a non-root user, since postgres refuses to run as root;
 * password authentication with a random password. `.ci/run` starts one,
 * runs `npm test` with TEST_DATABASE_URL set to it, and stops it.
 *
 *   tsx test/postgres/throwaway-cluster.ts start <state.json>   # prints the URL
 *   tsx test/postgres/throwaway-cluster.ts stop <state.json>
 *
 * Debian's postgresql package puts its programs in
 * /usr/lib/postgresql/<major>/bin, off the PATH: the newest is used, else the PATH's.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

interface ClusterState {
  dir: string
  bin: string
  /** The user the server runs as (null: the current one). */
  user: string | null
  url: string
}

function binDir(): string {
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter(v => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))
    if (majors[0]) return join(root, majors[0], 'bin')
  }
  return '' // the PATH's
}

/** A user postgres accepts to run as: the current one unless root, then `postgres` (Debian's package creates it) or `nobody`. */
function serverUser(): string | null {
  if (process.getuid?.() !== 0) return null
  for (const name of ['postgres', 'nobody']) {
    try {
      execFileSync('id', ['-u', name], { stdio: 'ignore' })
      return name
    } catch {}
  }
  throw new Error('running as root and neither a postgres nor a nobody user exists to run the server as')
}

function run(state: Pick<ClusterState, 'bin' | 'user'>, program: string, args: string[]): string {
  const exe = state.bin ? join(state.bin, program) : program
  const [cmd, argv] = state.user ? ['runuser', ['-u', state.user, '--', exe, ...args]] : [exe, args]
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export async function startCluster(): Promise<ClusterState> {
  const dir = mkdtempSync(join(tmpdir(), 'ln-pg-'))
  const user = serverUser()
  const state = { dir, bin: binDir(), user }
  const password = randomBytes(18).toString('base64url')
  writeFileSync(join(dir, 'pwfile'), `${password}\n`)
  if (user) execFileSync('chown', ['-R', user, dir])
  else chmodSync(dir, 0o700)
  run(state, 'initdb', ['-D', join(dir, 'data'), '-U', 'ln', '--auth=scram-sha-256', `--pwfile=${join(dir, 'pwfile')}`, '-E', 'UTF8', '--no-sync'])
  rmSync(join(dir, 'pwfile'))
  const port = await freePort()
  // loopback only, its socket in the cluster's own directory; fsync stays on (the kill -9 tests rely on it)
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=200`
  run(state, 'pg_ctl', ['-D', join(dir, 'data'), '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
  return { ...state, url: `postgres://ln:${password}@127.0.0.1:${port}/postgres` }
}

export function stopCluster(state: ClusterState): void {
  try {
    run(state, 'pg_ctl', ['-D', join(state.dir, 'data'), '-m', 'fast', '-w', 'stop'])
  } finally {
    rmSync(state.dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, stateFile] = process.argv.slice(2)
  if (!stateFile || (command !== 'start' && command !== 'stop')) {
    console.error('usage: tsx test/postgres/throwaway-cluster.ts start|stop <state.json>')
    process.exit(2)
  }
  if (command === 'start') {
    const state = await startCluster()
    writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 })
    console.log(state.url)
  } else stopCluster(JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState)
}
