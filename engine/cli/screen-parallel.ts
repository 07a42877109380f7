/**
 * `screen --workers N`: the lines of a file screened by N worker threads.
 * The main thread reads the file as bytes, cuts it into chunks of whole lines
 * and counts their lines and records without decoding them (line-chunks.ts),
 * hands the chunks out round-robin (transferred, not copied), and writes each
 * chunk's results in input order, so the output is the same as one thread's;
 * the funnel is the sum of the chunks' funnels. Chunks in flight or waiting
 * for their turn are capped, so memory stays flat however large the file.
 */
import { Worker } from 'node:worker_threads'
import { FunnelCounter } from '../study.ts'
import type { CompiledProtocol, Funnel } from '../index.ts'
import { countLines, lineChunks } from './line-chunks.ts'
import type { WorkerChunk } from './screen-worker.ts'

/** Bytes per chunk (about 270 records of 2 kB): enough to make a message's cost small beside screening it. */
const CHUNK_BYTES = 512 * 1024
/** Chunks per worker either being screened or screened and waiting to be written. */
const CHUNKS_PER_WORKER = 3

const FROM_SOURCE = import.meta.url.endsWith('.ts')
const WORKER_MODULE = new URL(`./screen-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url)
// Run from TypeScript source, the worker needs tsx, which on Node 20 registers its loader in the main
// thread only: the worker's entry is a small module that registers it (tsx's API) and then imports the source.
const WORKER = FROM_SOURCE
  ? new URL(
      `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(WORKER_MODULE.href)})`)}`,
    )
  : WORKER_MODULE

interface Reply {
  seq: number
  text: string
  funnel: Funnel
}

/**
 * @param input the records file (or stdin) as it is read: bytes, or text
 * @param write writes a chunk of result lines (with back-pressure)
 * @returns the funnel over every line
 */
export async function screenInParallel(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  compiled: CompiledProtocol,
  options: { protocolPath: string; workers: number; missing: boolean; chunkBytes?: number },
  write: (text: string) => Promise<void>,
): Promise<Funnel> {
  const pool = Array.from(
    { length: options.workers },
    () => new Worker(WORKER, { workerData: { protocolPath: options.protocolPath, missing: options.missing } }),
  )
  const funnel = new FunnelCounter(compiled.criteria)
  const done = new Map<number, Reply>()
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const signal = () => {
    wake?.()
    wake = undefined
  }
  for (const w of pool) {
    w.on('message', (r: Reply) => {
      done.set(r.seq, r)
      signal()
    })
    w.on('error', e => {
      failure = e
      signal()
    })
  }
  let sent = 0
  let written = 0
  const waitForAReply = () => new Promise<void>(resolve => (wake = resolve))
  /** Write every chunk whose turn has come. */
  const flush = async () => {
    for (let r = done.get(written); r !== undefined; r = done.get(written)) {
      done.delete(written++)
      funnel.addFunnel(r.funnel)
      await write(r.text)
    }
  }
  const send = async (chunk: Omit<WorkerChunk, 'seq'>) => {
    while (sent - written >= options.workers * CHUNKS_PER_WORKER) {
      if (failure) throw failure
      if (!done.has(written)) await waitForAReply()
      await flush()
    }
    const message: WorkerChunk = { seq: sent, ...chunk }
    pool[sent++ % pool.length]!.postMessage(message, [chunk.bytes.buffer as ArrayBuffer])
  }
  try {
    let lines = 0
    let records = 0
    for await (const bytes of lineChunks(input, options.chunkBytes ?? CHUNK_BYTES)) {
      const counted = countLines(bytes)
      await send({ bytes, firstLine: lines + 1, firstIndex: records })
      lines += counted.lines
      records += counted.records
      await flush()
    }
    while (written < sent) {
      if (failure) throw failure
      if (!done.has(written)) await waitForAReply()
      await flush()
    }
    return funnel.result()
  } finally {
    await Promise.all(pool.map(w => w.terminate()))
  }
}
