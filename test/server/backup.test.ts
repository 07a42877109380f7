/**
 * `npm run backup -- <file>`: a checked, private copy of the server's
 * database taken while it is open and written to; never over an existing file.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bootstrap } from '../../server/bootstrap.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const temp = mkdtempSync(join(tmpdir(), 'ln-backup-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

function backup(args: string[], dataDir: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/backup.ts', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('npm run backup', () => {
  it('copies the open database, checked and private, and never overwrites', async () => {
    const dataDir = join(temp, 'data')
    const store = openSqliteStore(join(dataDir, 'ln-trial.db'))
    try {
      await bootstrap(store, PROTOCOLS_DIR)
      const target = join(temp, 'copy.db')
      const first = backup([target], dataDir)
      expect(first.code, first.stderr).toBe(0)
      expect(first.stdout).toMatch(/integrity ok/)
      if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600)
      expect(existsSync(`${target}.partial`)).toBe(false)
      const copy = openSqliteStore(target)
      expect((await copy.listProtocols()).map((p) => p.id)).toEqual((await store.listProtocols()).map((p) => p.id))
      expect(await copy.integrityCheck()).toBe('ok')
      copy.close()

      const again = backup([target], dataDir)
      expect(again.code).toBe(1)
      expect(again.stderr).toMatch(/exists: choose a new file name/)
      expect(again.stderr).not.toMatch(/^\s+at /m)
    } finally {
      store.close()
    }
  }, 60_000)

  it('says what is wrong, without a stack trace: no file, no database, --help', () => {
    const none = backup([], join(temp, 'data'))
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/no file given[\s\S]*usage: npm run backup/)
    const missing = backup([join(temp, 'x.db')], join(temp, 'nowhere'))
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no database at .*nowhere/)
    const help = backup(['--help'], join(temp, 'data'))
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/usage: npm run backup/)
  }, 60_000)
})
