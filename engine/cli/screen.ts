/**
 * `screen <protocol.yaml> <records.ndjson> [--missing] [--funnel]`: screen a
 * registry extract on the fast path. One NDJSON result per record on stdout
 * (in input order), the attrition funnel on stderr (or, with --funnel, as the
 * last stdout line `{"funnel": ...}`). Reads and writes as it goes, so memory
 * stays flat however large the file; `-` reads stdin.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { once } from 'node:events'
import { Readable, type Writable } from 'node:stream'
import { compileFast } from '../fast/index.ts'
import { compileProtocol } from '../index.ts'
import { Screener } from '../fast/screen.ts'
import type { Funnel } from '../screening/funnel.ts'
import { EXIT, fail, readProtocol } from './files.ts'
import { inCwd, println, type CliIo } from './io.ts'
import { screenInParallel } from './screen-parallel.ts'
import { availableParallelism } from 'node:os'

export const SCREEN_USAGE = `  screen <protocol.yaml> <records.ndjson|-> [--missing] [--funnel] [--workers N]
      screen one patient record per line on the fast path: a result per line on stdout,
      the attrition funnel on stderr (--funnel: as the last stdout line); --missing lists data still needed;
      --workers N screens on N threads (same output, in input order);
      exit 1 if a line was not a valid patient record (its result line says why)`

export interface ScreenFlags {
  missing?: boolean | undefined
  funnel?: boolean | undefined
  /** Worker threads screening in parallel (default 1: this thread). */
  workers?: string | undefined
}

/** Most worker threads `--workers` accepts. */
const MAX_WORKERS = 64

/**
 * The funnel in words: one line per criterion with who entered, passed,
 * failed, stayed unknown and (with --missing) how many of all records wait
 * for an imported item to be reviewed.
 */
export function formatFunnel(f: Funnel): string {
  const pad = (s: string | number, n: number) => String(s).padStart(n)
  const w = Math.max(9, ...f.criteria.map(c => c.criterion.length))
  const review = f.records_to_review !== undefined
  const lines = [
    `${f.records} records: ${f.evaluated} screened, ${f.invalid} not readable as patient records`,
    `${'criterion'.padEnd(w)}  entering      pass      fail   unknown${review ? '    review' : ''}`,
    ...f.criteria.map(
      c =>
        `${c.criterion.padEnd(w)}  ${pad(c.entering, 8)}  ${pad(c.pass, 8)}  ${pad(c.fail, 8)}  ${pad(c.unknown, 8)}${review ? `  ${pad(c.review ?? 0, 8)}` : ''}`,
    ),
    `eligible ${f.overall.eligible}, ineligible ${f.overall.ineligible}, undetermined ${f.overall.undetermined}`,
    ...(review
      ? [
          `${f.records_to_review} record${f.records_to_review === 1 ? '' : 's'} with imported items to review (unrecognised entries that could decide a criterion)`,
        ]
      : []),
  ]
  return lines.join('\n')
}

/** Write with back-pressure: wait for 'drain' when the buffer is full, so output never piles up in memory. */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain')
}

/**
 * Run the screen command.
 *
 * @returns the exit code: 0 when every line was a readable record, 1 when some were not
 */
export async function screenCommand(protocolPath: string, recordsPath: string | undefined, flags: ScreenFlags, io: CliIo): Promise<number> {
  if (!recordsPath) return fail(io, 'screen needs an NDJSON file of patient records (one JSON object per line), or - for stdin', EXIT.usage)
  const workers = flags.workers === undefined ? 1 : Number(flags.workers)
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    return fail(
      io,
      `--workers must be a whole number from 1 to ${MAX_WORKERS} (threads screening in parallel; this machine has ${availableParallelism()} cores), got "${flags.workers}"`,
      EXIT.usage,
    )
  }
  const { doc } = readProtocol(protocolPath, io)
  const compiled = compileProtocol(doc)
  const screener = new Screener(compileFast(compiled), { missing: flags.missing ?? false })
  // one thread reads text by lines; worker threads are handed the bytes, cut into chunks of whole lines
  const encoding = workers > 1 ? undefined : 'utf8'
  const input = recordsPath === '-' ? (io.stdin ?? Readable.from([])) : createReadStream(inCwd(io, recordsPath), { encoding })
  const opened = new Promise<void>((resolve, reject) => {
    input.once('error', reject)
    if (recordsPath === '-') resolve()
    else input.once('open', () => resolve())
  })
  await opened
  // results are batched into chunks: one write per record would cost more than screening it
  let chunk = ''
  let funnel: Funnel
  if (workers > 1) {
    // the worker threads read the protocol themselves, from wherever this process runs
    const options = { protocolPath: inCwd(io, protocolPath), workers, missing: flags.missing ?? false }
    funnel = await screenInParallel(input, compiled, options, text => write(io.stdout, text))
  } else {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      const r = screener.line(text)
      if (!r) continue
      chunk += `${JSON.stringify(r)}\n`
      if (chunk.length > 65_536) {
        await write(io.stdout, chunk)
        chunk = ''
      }
    }
    funnel = screener.funnel()
  }
  if (flags.funnel) chunk += `${JSON.stringify({ funnel })}\n`
  if (chunk) await write(io.stdout, chunk)
  if (!flags.funnel) println(io.stderr, formatFunnel(funnel))
  return funnel.invalid > 0 ? EXIT.input : EXIT.ok
}
