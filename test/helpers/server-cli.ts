/**
 * The server's command-line tools (`npm run token|audit|backup`) as a user
 * runs them against a DATA_DIR: `serverCli` calls their `main` in this
 * process on buffers (no node + tsx start-up per call); `serverCliProcess`
 * spawns the real program (server/cli/bin/*.ts) for the one smoke test per
 * binary that keeps its streams and exit code covered.
 */
import { spawnSync } from 'node:child_process'
import { Collected, ROOT, type CliRun } from './cli.ts'

/** Each tool's module, loaded on first use: a file that runs one tool does not load the others. */
const TOOLS = {
  token: () => import('../../server/cli/token.ts'),
  audit: () => import('../../server/cli/audit.ts'),
  backup: () => import('../../server/cli/backup.ts'),
  db: () => import('../../server/cli/db.ts'),
}
export type ServerTool = keyof typeof TOOLS

/** `npm run <tool> -- <args>` with DATA_DIR=dataDir (and no DATABASE_URL), from the repository's root, in process. */
export function serverCli(tool: ServerTool, dataDir: string, ...args: string[]): Promise<CliRun> {
  const { DATABASE_URL: _unused, ...env } = process.env
  return serverCliIn(tool, { ...env, DATA_DIR: dataDir }, ...args)
}

/** The same with exactly this environment (DATABASE_URL for PostgreSQL). */
export async function serverCliIn(tool: ServerTool, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  const stdout = new Collected()
  const stderr = new Collected()
  const { main } = await TOOLS[tool]()
  const code = await main(args, { stdout, stderr, cwd: ROOT, env })
  return { code, out: stdout.text, err: stderr.text }
}

/** The real program as a child process (`node --import tsx server/cli/bin/<tool>.ts <args>`). */
export function serverCliProcess(tool: ServerTool, dataDir: string, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `server/cli/bin/${tool}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
