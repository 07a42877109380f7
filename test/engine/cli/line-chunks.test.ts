/**
 * `screen --workers`: the main thread's chunks and counts (line-chunks.ts)
 * must give the lines, line numbers and record indexes readline gives the
 * one-thread screen, whatever the line breaks (\n, \r\n, a lone \r), blank
 * lines (Unicode spaces and a BOM included), a missing final break, and
 * however the reads cut the bytes (inside a \r\n or a multi-byte character).
 */
import { Readable } from 'node:stream'
import { createInterface } from 'node:readline'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { countLines, lineChunks, linesOf, splitLines } from '../../../engine/cli/line-chunks.ts'
import { isBlankLine } from '../../../engine/fast/screen.ts'

/** The lines readline gives for `bytes` read in the given parts (as the one-thread screen reads). */
async function readlineLines(parts: Buffer[]): Promise<string[]> {
  const lines: string[] = []
  const input = Readable.from(parts).setEncoding('utf8')
  for await (const line of createInterface({ input, crlfDelay: Infinity })) lines.push(line)
  return lines
}

/** `bytes` cut at the given offsets, as reads might deliver them. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map(a => a % (bytes.length + 1)))].sort((a, b) => a - b)
  const parts: Buffer[] = []
  let from = 0
  for (const p of [...points, bytes.length]) {
    if (p > from) parts.push(bytes.subarray(from, p))
    from = Math.max(from, p)
  }
  return parts
}

const piece = fc.constantFrom('{"id":"a"}', '{}', 'x', ' ', '\u00a0', '\t', '\r', '\n', '\r\n', 'é', '€', '\ufeff', '')
const text = fc.array(piece, { maxLength: 40 }).map(xs => xs.join(''))

describe('NDJSON cut into chunks of whole lines for worker threads', () => {
  it('split lines, line counts and record counts match readline, whatever the reads and the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(400), { maxLength: 6 }), fc.integer({ min: 1, max: 64 }), async (t, at, chunkBytes) => {
        const bytes = Buffer.from(t, 'utf8')
        const expected = await readlineLines(cut(bytes, at))
        const got: string[] = []
        let lines = 0
        let records = 0
        for await (const chunk of lineChunks(Readable.from(cut(bytes, at)), chunkBytes)) {
          const decoded = Buffer.from(chunk).toString('utf8')
          const split = splitLines(decoded)
          expect(linesOf(chunk)).toEqual(split)
          expect(countLines(chunk)).toEqual({ lines: split.length, records: split.filter(l => !isBlankLine(l)).length })
          got.push(...split)
          lines += split.length
          records += split.filter(l => !isBlankLine(l)).length
        }
        expect(got).toEqual(expected)
        expect(lines).toBe(expected.length)
        expect(records).toBe(expected.filter(l => l.trim() !== '').length)
      }),
      { numRuns: 400 },
    )
  })

  it('chunks end just after a line feed (the last one excepted), at about the size asked, and are copies a worker may own', async () => {
    const body = `${Array.from({ length: 50 }, (_, i) => `{"id":"r${i}"}`).join('\n')}\n{"id":"last"}`
    const chunks: Uint8Array[] = []
    for await (const c of lineChunks(Readable.from([Buffer.from(body)]), 100)) chunks.push(c)
    expect(chunks.length).toBeGreaterThan(5)
    for (const c of chunks.slice(0, -1)) {
      expect(c.at(-1)).toBe(0x0a)
      expect(c.byteOffset).toBe(0)
      expect(c.buffer.byteLength).toBe(c.byteLength)
    }
    expect(Buffer.from(chunks.at(-1)!).toString()).toMatch(/\{"id":"last"\}$/)
    expect(Buffer.concat(chunks.map(c => Buffer.from(c))).toString()).toBe(body)
  })

  it('text input (stdin given as strings) is cut the same way', async () => {
    const chunks: string[] = []
    for await (const c of lineChunks(Readable.from(['{"a":1}\r', '\n\n{"b":', '2}']), 4)) chunks.push(Buffer.from(c).toString())
    expect(chunks.join('')).toBe('{"a":1}\r\n\n{"b":2}')
    expect(splitLines(chunks.join(''))).toEqual(['{"a":1}', '', '{"b":2}'])
  })

  it('a line with a lone carriage return is counted as readline splits it', () => {
    expect(countLines(Buffer.from('{"a":1}\r{"b":2}\n \n'))).toEqual({ lines: 3, records: 2 })
    expect(countLines(Buffer.from('\ufeff{"a":1}\n\u00a0\r\n'))).toEqual({ lines: 2, records: 1 })
    expect(countLines(Buffer.from(''))).toEqual({ lines: 0, records: 0 })
  })
})

describe('a line longer than a chunk', () => {
  it('is one chunk once it ends, read in many parts', async () => {
    const long = `{"id":"long","pad":"${'x'.repeat(5000)}"}`
    const parts = [
      Buffer.from('{"id":"a"}\n'),
      ...Array.from({ length: 50 }, (_, i) => Buffer.from(long.slice(i * 101, (i + 1) * 101))),
      Buffer.from(`${long.slice(5050)}\n{"id":"b"}\n`),
    ]
    const chunks: string[] = []
    for await (const c of lineChunks(Readable.from(parts), 64)) chunks.push(Buffer.from(c).toString())
    expect(chunks.join('')).toBe(`{"id":"a"}\n${long}\n{"id":"b"}\n`)
    expect(chunks).toContain(`${long}\n`)
  })
})
