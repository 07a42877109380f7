/**
 * What a compiled protocol's runs read besides its eligibility criteria, as
 * one string: the key under which the edit loop keeps a run of the example
 * subjects (whose endpoints read no criterion) and each example patient's
 * result for an unchanged criterion (which reads only itself and this).
 */
import type { ProtocolDocument } from '../types.ts'
import type { CompiledProtocol } from './compile-protocol.ts'
import { dictionaryBase } from '../dictionary/extend.ts'
import { ContentCache } from '../load/content-cache.ts'

/**
 * The dictionary the protocol was compiled with (its own lab concepts are in the document), its extensions, the
 * backend, and the document without its criteria, the protocol block's descriptive fields (title, sponsor, source,
 * phase, target enrollment) and the parameters' rationales, which no fact, endpoint or explanation reads. What is left out can
 * only make a run be reused; anything else edited runs again.
 */
export function runContextKey(compiled: CompiledProtocol, backend: string): string {
  let byBackend = keys.get(compiled)
  if (!byBackend) keys.set(compiled, (byBackend = new Map()))
  let key = byBackend.get(backend)
  if (key === undefined) {
    const read = `${idOf(dictionaryBase(compiled.dictionary))}\n${idOf(compiled.extensions)}\n${JSON.stringify(readBeyondCriteria(compiled.document))}`
    key = `${backend}#${contentId(read)}`
    byBackend.set(backend, key)
  }
  return key
}

const keys = new WeakMap<CompiledProtocol, Map<string, string>>()

function readBeyondCriteria(doc: ProtocolDocument): unknown {
  const { title: _title, sponsor: _sponsor, source: _source, phase: _phase, target_enrollment: _target, ...read } = doc.protocol
  // a parameter's rationale is prose for the reader (read by the linter and the description only)
  const parameters = Object.fromEntries(Object.entries(doc.parameters ?? {}).map(([name, { rationale: _why, ...p }]) => [name, p]))
  return { ...doc, criteria: [], protocol: read, parameters }
}

/**
 * A number per text, the same for the same text while it is in use: keys kept by the thousand (a result per
 * criterion and example) hold this number instead of tens of kilobytes of JSON, which every look-up compared in full.
 * A text not seen lately gets a new number (never one given before): what was kept under the old one is not found.
 */
export function contentId(text: string): number {
  return contentIds.get(text, () => ++lastContentId)
}
const contentIds = new ContentCache<number>(4096)
let lastContentId = 0

/** A number per object (a dictionary, extensions) for the key: the same object, the same number. */
const ids = new WeakMap<object, number>()
let lastId = 0
const idOf = (o: object): number => {
  let id = ids.get(o)
  if (id === undefined) ids.set(o, (id = ++lastId))
  return id
}
