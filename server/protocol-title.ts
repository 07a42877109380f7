/**
 * A protocol's title is its name for people: two stored protocols may not
 * share one, so that a copy (a designer's sandbox) cannot be mistaken for
 * its source in the library, the match ranking or a screening log.
 * Titles are compared as people read them: case, surrounding blanks and
 * runs of blanks do not count. (web/protocol-title.ts warns the same way
 * before sending; this check decides.)
 */
import type { Diagnostic, ProtocolDocument } from '../engine/index.ts'
import { invalid } from './errors.ts'
import { loadedVersion } from './protocol-cache.ts'
import type { Store } from './storage/store.ts'
import type { CpuPool } from './workers/cpu-pool.ts'

/** The form two titles are compared in. */
export function titleKey(title: string): string {
  return title.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en')
}

/** The id of another stored protocol whose latest version has this title, if any. */
export async function protocolWithTitle(store: Store, title: string, exceptId?: string): Promise<string | undefined> {
  const key = titleKey(title)
  for (const p of await store.listProtocols()) {
    if (p.id !== exceptId && titleKey(loadedVersion(p.latest).doc.protocol.title) === key) return p.id
  }
  return undefined
}

/**
 * Refuse (422, a diagnostic located at `protocol.title`) a protocol whose
 * title is already another protocol's; nothing is saved.
 *
 * @param exceptId the protocol being given a new version (its own title is no clash)
 */
export async function titleFreeOrThrow(store: Store, cpu: CpuPool, doc: ProtocolDocument, yaml: string, file: string, exceptId?: string): Promise<void> {
  const other = await protocolWithTitle(store, doc.protocol.title, exceptId)
  if (other === undefined) return
  const range = await cpu.run('locateProtocolTitle', { yaml }, { what: 'locating the title' })
  const diagnostic: Diagnostic = {
    code: 'E_DUPLICATE_TITLE',
    severity: 'error',
    message: `the title ${JSON.stringify(doc.protocol.title)} is already the title of protocol ${other}: give this protocol a title of its own (a copy could not be told from its source)`,
    file,
    path: 'protocol.title',
    found: doc.protocol.title,
    ...(range ?? {}),
  }
  throw invalid('invalid-protocol', `the title is already protocol ${other}'s`, [diagnostic])
}
