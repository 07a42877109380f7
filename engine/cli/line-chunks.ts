/**
 * NDJSON as bytes for `screen --workers N`: the main thread cuts the input
 * into chunks of whole lines and counts their lines and records without
 * decoding them; each worker decodes its chunk and splits it into lines.
 * Lines are split as readline splits a stream (crlfDelay: Infinity, as the
 * one-thread screen reads): at \n, \r\n and a lone \r, with no empty line
 * after a final break; a record is a line that is not blank (the Screener's
 * isBlankLine).
 */
import { isBlankLine } from '../fast/screen.ts'

/** readline's line break: \r\n is one break; \r alone is one too. */
const LINE_BREAK = /\r?\n|\r(?!\n)/
const LF = 0x0a
const CR = 0x0d
const OPEN_BRACE = 0x7b

/** The lines of a decoded chunk (or whole text), as readline would give them. */
export function splitLines(text: string): string[] {
  const lines = text.split(LINE_BREAK)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

const view = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/** Whether every \r of the chunk is the start of a \r\n (then lines end at each \n). */
function crOnlyBeforeLf(buf: Buffer): boolean {
  for (let i = buf.indexOf(CR); i !== -1; i = buf.indexOf(CR, i + 1)) if (buf[i + 1] !== LF) return false
  return true
}

/**
 * Calls `each(start, end)` with the byte range of every line's content (its
 * break left out) when the chunk's lines end in \n or \r\n only; returns
 * false without calling it when a lone \r breaks a line (decode and use
 * {@link splitLines} then).
 */
function eachLineRange(buf: Buffer, each: (start: number, end: number) => void): boolean {
  if (!crOnlyBeforeLf(buf)) return false
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(LF, start)
    if (end === -1) end = buf.length
    each(start, end > start && buf[end - 1] === CR ? end - 1 : end)
    start = end + 1
  }
  return true
}

/**
 * The lines and records (lines not blank) of a chunk, as {@link splitLines}
 * and {@link isBlankLine} count them. Lines ending in \n or \r\n are found by
 * byte search and a line starting with `{` is a record without decoding it:
 * the main thread spends a fraction of a microsecond per record; a chunk with
 * a lone \r is decoded and split as text.
 */
export function countLines(bytes: Uint8Array): { lines: number; records: number } {
  const buf = view(bytes)
  let lines = 0
  let records = 0
  const counted = eachLineRange(buf, (start, end) => {
    lines++
    if (end > start && (buf[start] === OPEN_BRACE || !isBlankLine(buf.toString('utf8', start, end)))) records++
  })
  if (counted) return { lines, records }
  const split = splitLines(buf.toString('utf8'))
  return { lines: split.length, records: split.filter(l => !isBlankLine(l)).length }
}

/** The lines of a chunk, as {@link splitLines} gives them, each decoded on its own (no regular expression over the chunk). */
export function linesOf(bytes: Uint8Array): string[] {
  const buf = view(bytes)
  const lines: string[] = []
  if (eachLineRange(buf, (start, end) => lines.push(buf.toString('utf8', start, end)))) return lines
  return splitLines(buf.toString('utf8'))
}

/**
 * The input cut into chunks of whole lines of at most `targetBytes` (a line
 * longer than that is a chunk of its own), each a copy the caller may
 * transfer to a worker. Chunks end just after a \n, so no character or \r\n
 * is split; the last holds whatever follows the last \n.
 */
export async function* lineChunks(input: AsyncIterable<Buffer | Uint8Array | string>, targetBytes: number): AsyncGenerator<Uint8Array> {
  let parts: Buffer[] = []
  let size = 0
  /** What is held is one line longer than the target, not yet ended: joined again only once a read ends it. */
  let longLine = false
  for await (const part of input) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : view(part)
    parts.push(bytes)
    size += bytes.length
    if (size < targetBytes || (longLine && bytes.indexOf(LF) === -1)) continue
    // joined once the target is reached, not on every read (reads are smaller than a chunk)
    let rest = Buffer.concat(parts, size)
    for (;;) {
      let cut = rest.length >= targetBytes ? rest.lastIndexOf(LF, targetBytes - 1) + 1 : 0
      // no line ends within the target: the chunk is the line that is longer than it, once it has ended
      if (cut === 0 && rest.length >= targetBytes) cut = rest.indexOf(LF, targetBytes) + 1
      if (cut === 0) break
      yield new Uint8Array(rest.subarray(0, cut))
      rest = rest.subarray(cut)
    }
    parts = [rest]
    size = rest.length
    longLine = size >= targetBytes
  }
  if (size > 0) yield new Uint8Array(Buffer.concat(parts, size))
}
