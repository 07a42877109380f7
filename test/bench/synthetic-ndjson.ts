/**
 * Write synthetic patient records (synthetic-patients.ts) to an NDJSON file
 * in a temporary folder, a chunk at a time, for the screening benchmarks.
 * Not committed, not real patients.
 *
 *   tsx test/bench/synthetic-ndjson.ts [count] [out.ndjson]
 */
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ExamplesDocument } from '../../engine/index.ts'
import { syntheticPatientStream } from './synthetic-patients.ts'

/**
 * @returns the file's path and size in bytes
 * @example writeSyntheticNdjson(examples, 1_000_000) // { path: '/tmp/screen-bench-x/records.ndjson', bytes: ... }
 */
export function writeSyntheticNdjson(
  examples: ExamplesDocument,
  count: number,
  path = join(mkdtempSync(join(tmpdir(), 'screen-bench-')), 'records.ndjson'),
  seed?: number,
): { path: string; bytes: number } {
  const fd = openSync(path, 'w')
  let chunk = ''
  let bytes = 0
  try {
    for (const p of syntheticPatientStream(examples, count, seed)) {
      chunk += `${JSON.stringify(p)}\n`
      if (chunk.length > 1 << 20) {
        bytes += writeSync(fd, chunk)
        chunk = ''
      }
    }
    if (chunk) bytes += writeSync(fd, chunk)
  } finally {
    closeSync(fd)
  }
  return { path, bytes }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { shippedProtocol } = await import('../helpers/protocols.ts')
  const examples = shippedProtocol('NCT05631717').examples!
  const out = writeSyntheticNdjson(examples, Number(process.argv[2] ?? 1000), process.argv[3])
  console.log(`${out.path}: ${(out.bytes / 1e6).toFixed(1)} MB`)
}
