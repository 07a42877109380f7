/**
 * `npm run backup -- <file>`: a checked, private copy of the server's
 * database taken while it is open and written to; never over an existing file.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { bootstrappedDatabase } from './helpers.ts'
import { serverCli, serverCliProcess } from '../helpers/server-cli.ts'

const temp = mkdtempSync(join(tmpdir(), 'ln-backup-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** `npm run backup` in process; the first test runs the program itself (the binary's smoke test), beside a store this process holds open. */
async function backup(args: string[], dataDir: string) {
  const r = await serverCli('backup', dataDir, ...args)
  return { code: r.code, stdout: r.out, stderr: r.err }
}

describe('npm run backup', () => {
  it('copies the open database, checked and private, and never overwrites', async () => {
    const dataDir = join(temp, 'data')
    await bootstrappedDatabase(join(dataDir, 'ln-trial.db'))
    const store = openSqliteStore(join(dataDir, 'ln-trial.db'))
    try {
      const target = join(temp, 'copy.db')
      const first = serverCliProcess('backup', dataDir, target)
      expect(first.code, first.err).toBe(0)
      expect(first.out).toMatch(/integrity ok/)
      if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600)
      expect(existsSync(`${target}.partial`)).toBe(false)
      const copy = openSqliteStore(target)
      expect((await copy.listProtocols()).map(p => p.id)).toEqual((await store.listProtocols()).map(p => p.id))
      expect(await copy.integrityCheck()).toBe('ok')
      copy.close()

      const again = await backup([target], dataDir)
      expect(again.code).toBe(1)
      expect(again.stderr).toMatch(/exists: choose a new file name/)
      expect(again.stderr).not.toMatch(/^\s+at /m)
    } finally {
      store.close()
    }
  }, 60_000)

  it('says what is wrong, without a stack trace: no file, no database, --help', async () => {
    const none = await backup([], join(temp, 'data'))
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/no file given[\s\S]*usage: npm run backup/)
    const missing = await backup([join(temp, 'x.db')], join(temp, 'nowhere'))
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no database at .*nowhere/)
    const help = await backup(['--help'], join(temp, 'data'))
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/usage: npm run backup/)
  }, 60_000)
})
