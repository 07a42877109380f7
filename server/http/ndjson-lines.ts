/**
 * The lines of an NDJSON byte stream, read a chunk at a time: UTF-8 decoded
 * across chunk boundaries (a character or a record split between two chunks
 * is put back together), LF or CRLF line ends, a last line without a newline
 * kept. Nothing is read until asked for, so a slow consumer slows the
 * sender (back-pressure) and memory stays at one chunk plus one line.
 */

/** A line longer than the reader accepts: reported in its place, its text dropped. */
export const TOO_LONG = null

export interface NdjsonLineReaderOptions {
  /** Longest line kept, in UTF-16 code units; a longer one is read past and given as {@link TOO_LONG}. */
  maxLineChars: number
}

/**
 * @example
 * const lines = new NdjsonLineReader(request.body, { maxLineChars: 1 << 20 })
 * for (let batch = await lines.next(); batch; batch = await lines.next()) {
 *   for (const line of batch) line === TOO_LONG ? skip() : screen(line)
 * }
 */
export class NdjsonLineReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  readonly #decoder = new TextDecoder('utf-8')
  readonly #max: number
  /** The start of a line whose end has not arrived yet. */
  #rest = ''
  /** Inside a line already reported too long: drop text up to its newline. */
  #skipping = false
  #done = false

  constructor(body: ReadableStream<Uint8Array>, options: NdjsonLineReaderOptions) {
    this.#reader = body.getReader()
    this.#max = options.maxLineChars
  }

  /**
   * The complete lines of the next chunk (possibly none: a chunk inside one
   * long line), or undefined once the body has ended and every line was given.
   */
  async next(): Promise<Array<string | typeof TOO_LONG> | undefined> {
    if (this.#done) return undefined
    const { done, value } = await this.#reader.read()
    if (done) {
      this.#done = true
      const last = this.#rest + this.#decoder.decode()
      this.#rest = ''
      if (this.#skipping || last === '') return []
      return [this.#line(last)]
    }
    let text = this.#decoder.decode(value, { stream: true })
    if (this.#skipping) {
      const nl = text.indexOf('\n')
      if (nl < 0) return []
      this.#skipping = false
      text = text.slice(nl + 1)
    }
    const parts = (this.#rest + text).split('\n')
    this.#rest = parts.pop()!
    const lines = parts.map(p => this.#line(p))
    if (this.#rest.length > this.#max) {
      // reported now, before its end arrives: the rest of it is never held
      lines.push(TOO_LONG)
      this.#rest = ''
      this.#skipping = true
    }
    return lines
  }

  /** Stop reading: the body is cancelled (the client is gone or the answer was abandoned). */
  async cancel(reason?: unknown): Promise<void> {
    this.#done = true
    await this.#reader.cancel(reason).catch(() => {})
  }

  #line(raw: string): string | typeof TOO_LONG {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    return line.length > this.#max ? TOO_LONG : line
  }
}
