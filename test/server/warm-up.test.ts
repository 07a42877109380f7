import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { configFromEnv } from '../../server/config.ts'
import { warmUp } from '../../server/workers/tasks.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'

describe('the edit loop warmed up as a pool thread starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warm-up-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is on by default for `npm start`, off with WARM_UP=0', () => {
    expect(configFromEnv({}).warmUp).toBe(true)
    expect(configFromEnv({ WARM_UP: '1' }).warmUp).toBe(true)
    expect(configFromEnv({ WARM_UP: '0' }).warmUp).toBe(false)
    expect(() => configFromEnv({ WARM_UP: 'off' })).toThrow('WARM_UP must be 0 or 1, got off')
  })

  it('runs on the protocols with examples and skips what does not load, a missing directory included', async () => {
    for (const f of ['nct05631717.yaml', 'nct05631717.examples.yaml']) copyFileSync(join(PROTOCOLS_DIR, f), join(dir, f))
    writeFileSync(join(dir, 'broken.yaml'), 'protocol: [\n')
    writeFileSync(join(dir, 'broken.examples.yaml'), 'examples: 1\n')
    writeFileSync(join(dir, 'orphan.examples.yaml'), 'examples: []\n') // no protocol beside it
    await expect(warmUp(dir)).resolves.toBeUndefined()
    await expect(warmUp(join(dir, 'missing'))).resolves.toBeUndefined()
    await expect(warmUp()).resolves.toBeUndefined()
  })
})
