/**
 * A worker thread of `screen --workers N`: compiles the protocol once, then
 * screens each batch of lines the main thread sends (numbered by the main
 * thread, which reads the file) and answers with the batch's result lines and
 * its funnel. See screen-parallel.ts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { compileFast, Screener } from '../fast/index.ts'
import { compileProtocol } from '../index.ts'
import { readProtocol } from './files.ts'

/** Lines of one batch: text, index among records, 1-based line number. */
export type WorkerBatch = { seq: number; lines: Array<[text: string, index: number, line: number]> }

const { protocolPath, missing } = workerData as { protocolPath: string; missing: boolean }
const fast = compileFast(compileProtocol(readProtocol(protocolPath).doc))

parentPort!.on('message', (batch: WorkerBatch) => {
  // a screener per batch: its funnel counts this batch only, and the main thread adds the batches up
  const screener = new Screener(fast, { missing })
  let text = ''
  for (const [line, index, lineNo] of batch.lines) text += `${JSON.stringify(screener.lineAt(line, { index, line: lineNo }))}\n`
  parentPort!.postMessage({ seq: batch.seq, text, funnel: screener.funnel() })
})
