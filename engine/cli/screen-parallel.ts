/**
 * `screen --workers N`: the lines of a file screened by N worker threads.
 * The main thread reads and numbers the lines, hands them out in batches
 * round-robin, and writes each batch's results in input order, so the output
 * is the same as one thread's; the funnel is the sum of the batches' funnels.
 * Batches in flight or waiting for their turn are capped, so memory stays
 * flat however large the file.
 */
import { Worker } from 'node:worker_threads'
import type { Interface } from 'node:readline'
import { FunnelCounter } from '../study.ts'
import type { CompiledProtocol, Funnel } from '../index.ts'
import type { WorkerBatch } from './screen-worker.ts'

/** Lines per batch: enough to make a message's cost small beside screening it. */
const BATCH_LINES = 500
/** Batches per worker either being screened or screened and waiting to be written. */
const BATCHES_PER_WORKER = 3

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
 * @param write writes a chunk of result lines (with back-pressure)
 * @returns the funnel over every line
 */
export async function screenInParallel(
  lines: Interface,
  compiled: CompiledProtocol,
  options: { protocolPath: string; workers: number; missing: boolean },
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
  /** Write every batch whose turn has come. */
  const flush = async () => {
    for (let r = done.get(written); r !== undefined; r = done.get(written)) {
      done.delete(written++)
      funnel.addFunnel(r.funnel)
      await write(r.text)
    }
  }
  const send = async (batch: WorkerBatch['lines']) => {
    while (sent - written >= options.workers * BATCHES_PER_WORKER) {
      if (failure) throw failure
      if (!done.has(written)) await waitForAReply()
      await flush()
    }
    pool[sent % pool.length]!.postMessage({ seq: sent++, lines: batch } satisfies WorkerBatch)
  }
  try {
    let batch: WorkerBatch['lines'] = []
    let lineNo = 0
    let index = 0
    for await (const text of lines) {
      lineNo++
      if (text.trim() === '') continue
      batch.push([text, index++, lineNo])
      if (batch.length === BATCH_LINES) {
        await send(batch)
        batch = []
        await flush()
      }
    }
    if (batch.length) await send(batch)
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
