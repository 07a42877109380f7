/**
 * The real server as a child process (`node --import tsx server/main.ts`),
 * as `npm start` runs it: for tests of what only a process shows (the data
 * directory lock, signals, sockets, TLS, timeouts).
 *
 * @example
 * const servers = new ServerProcesses()
 * const run = await servers.listening(servers.start(dataDir))
 * const res = await fetch(`${run.url}/health`)
 * await servers.stop(run)      // SIGTERM, resolves with the exit code
 * await servers.killAll()      // in afterAll
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

export interface Run {
  child: ChildProcess
  stdout: string
  stderr: string
  exited: Promise<number | null>
  /** `http(s)://127.0.0.1:<port>` once listening. */
  url: string
}

export class ServerProcesses {
  readonly #children: ChildProcess[] = []

  /** @param baseEnv merged over process.env, under each start's own env */
  constructor(private readonly baseEnv: Record<string, string | undefined> = {}) {}

  start(dataDir: string, env: Record<string, string | undefined> = {}): Run {
    const merged: Record<string, string | undefined> = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...this.baseEnv, ...env }
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k]
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] })
    this.#children.push(child)
    const run: Run = { child, stdout: '', stderr: '', url: '', exited: new Promise(resolve => child.once('exit', code => resolve(code))) }
    child.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()))
    return run
  }

  /** Wait until the server prints its ready line. */
  listening(run: Run, timeoutMs = 45_000): Promise<Run> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${run.stdout}\n${run.stderr}`)), timeoutMs)
      const check = () => {
        const m = /LN trial rules API on (https?:\/\/[^\s]+:\d+)/.exec(run.stdout)
        if (!m) return
        clearTimeout(timer)
        run.url = m[1]!
        resolve(run)
      }
      run.child.stdout!.on('data', check)
      check()
      void run.exited.then(code => reject(new Error(`server exited (${code}) before listening:\n${run.stdout}\n${run.stderr}`)))
    })
  }

  /** Run a server that must refuse to start: its exit code and output. */
  async refused(dataDir: string, env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
    const run = this.start(dataDir, env)
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 30_000)
    const code = await run.exited
    clearTimeout(timer)
    return { code, stderr: run.stderr, stdout: run.stdout }
  }

  /** SIGTERM (unless it has exited), and its exit code. */
  async stop(run: Run): Promise<number | null> {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM')
    return run.exited
  }

  /** SIGKILL whatever still runs (afterAll). */
  async killAll(): Promise<void> {
    const running = this.#children.filter(c => c.exitCode === null && c.signalCode === null)
    for (const c of running) c.kill('SIGKILL')
    await Promise.all(running.map(c => new Promise(r => c.once('exit', r))))
  }
}
