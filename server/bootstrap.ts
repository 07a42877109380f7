/**
 * First start on an empty data directory: create an admin token (printed
 * once, stored hashed) and load the protocol files shipped in protocols/ as
 * active protocols (reviewed and in use, not drafts),
 * each with its example patients (`<id>.examples.yaml`) when there is one.
 * A database made before examples were stored (schema v1) gets the shipped
 * examples of its protocols on its next start.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadExamples, loadProtocol } from '../engine/index.ts'
import { newToken } from './auth.ts'
import { SYSTEM_ACTOR, type Store } from './storage/store.ts'

export interface BootstrapResult {
  /** The admin token, when one was created now (shown once). */
  adminToken?: string
  loaded: string[]
  /** Protocols whose examples file was loaded now. */
  examples: string[]
  skipped: Array<{ file: string; reason: string }>
}

const errorCount = (diagnostics: Array<{ severity: string }>) => diagnostics.filter(d => d.severity === 'error').length

export async function bootstrap(store: Store, protocolsDir: string): Promise<BootstrapResult> {
  const result: BootstrapResult = { loaded: [], examples: [], skipped: [] }
  if ((await store.countTokens()) === 0) {
    const { token, hash } = newToken()
    // another app instance on a shared database may be starting too: the first to write creates it
    if (await store.createFirstToken({ name: 'admin', role: 'admin', hash }, SYSTEM_ACTOR)) result.adminToken = token
  }
  if ((await store.listProtocols()).length === 0) await loadProtocolFiles(store, protocolsDir, result)
  await loadExampleFiles(store, protocolsDir, result)
  return result
}

async function loadProtocolFiles(store: Store, protocolsDir: string, result: BootstrapResult): Promise<void> {
  for (const file of readdirSync(protocolsDir)
    .filter(f => f.endsWith('.yaml') && !f.endsWith('.examples.yaml'))
    .sort()) {
    const yaml = readFileSync(join(protocolsDir, file), 'utf8')
    const loaded = loadProtocol(yaml, { file })
    if (!loaded.value) {
      result.skipped.push({ file, reason: `${errorCount(loaded.diagnostics)} error(s)` })
      continue
    }
    const id = file.replace(/\.yaml$/, '')
    const r = await store.createProtocol(
      { id, registry_id: loaded.value.protocol.registry_id, yaml, change_note: `loaded from protocols/${file}`, status: 'active' },
      SYSTEM_ACTOR,
    )
    if (r.ok) result.loaded.push(id)
    else result.skipped.push({ file, reason: r.conflict.kind })
  }
}

/** Examples files of stored protocols that have none yet, checked against the protocol's latest version. */
async function loadExampleFiles(store: Store, protocolsDir: string, result: BootstrapResult): Promise<void> {
  for (const { id, latest } of await store.listProtocols()) {
    const file = `${id}.examples.yaml`
    if (!existsSync(join(protocolsDir, file)) || (await store.protocolExamples(id))) continue
    const protocol = loadProtocol(latest.yaml, { file: `${id}@v${latest.version}` }).value
    if (!protocol) continue // stored versions were valid when saved; nothing to check examples against otherwise
    const yaml = readFileSync(join(protocolsDir, file), 'utf8')
    const loaded = loadExamples(yaml, protocol, { file })
    if (!loaded.value) {
      result.skipped.push({ file, reason: `${errorCount(loaded.diagnostics)} error(s) against ${id} version ${latest.version}` })
      continue
    }
    const r = await store.addProtocolExamples(
      { id, expectedVersion: 0, protocol_version: latest.version, yaml, change_note: `loaded from protocols/${file}` },
      SYSTEM_ACTOR,
    )
    if (r.ok) result.examples.push(id)
    else result.skipped.push({ file, reason: r.conflict.kind })
  }
}
