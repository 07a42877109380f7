/**
 * First start on an empty data directory: create an admin token (printed
 * once, stored hashed) and load the protocol files shipped in protocols/.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadProtocol } from '../engine/index.ts'
import { newToken } from './auth.ts'
import type { Store } from './storage/store.ts'

export interface BootstrapResult {
  /** The admin token, when one was created now (shown once). */
  adminToken?: string
  loaded: string[]
  skipped: Array<{ file: string; reason: string }>
}

export async function bootstrap(store: Store, protocolsDir: string): Promise<BootstrapResult> {
  const result: BootstrapResult = { loaded: [], skipped: [] }
  if ((await store.countTokens()) === 0) {
    const { token, hash } = newToken()
    await store.createToken({ name: 'admin', role: 'admin', hash }, 'system')
    result.adminToken = token
  }
  if ((await store.listProtocols()).length > 0) return result
  for (const file of readdirSync(protocolsDir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.examples.yaml')).sort()) {
    const yaml = readFileSync(join(protocolsDir, file), 'utf8')
    const loaded = loadProtocol(yaml, { file })
    if (!loaded.value) {
      result.skipped.push({ file, reason: `${loaded.diagnostics.filter((d) => d.severity === 'error').length} error(s)` })
      continue
    }
    const id = file.replace(/\.yaml$/, '')
    const r = await store.createProtocol({ id, registry_id: loaded.value.protocol.registry_id, yaml, change_note: `loaded from protocols/${file}` }, 'system')
    if (r.ok) result.loaded.push(id)
    else result.skipped.push({ file, reason: r.conflict.kind })
  }
  return result
}
