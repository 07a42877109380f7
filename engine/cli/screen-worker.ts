/**
 * A worker thread of `screen --workers N`: compiles the protocol once, then
 * screens each chunk of whole lines the main thread sends (raw bytes,
 * transferred, with the number of its first line and first record, which the
 * main thread counts) and answers with the chunk's result lines and its
 * funnel. See screen-parallel.ts and line-chunks.ts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { compileFast, isBlankLine, Screener } from '../fast/index.ts'
import { compileProtocol } from '../index.ts'
import { readProtocol } from './files.ts'
import { linesOf } from './line-chunks.ts'

/** A chunk of whole lines as UTF-8 bytes; `firstLine` is 1-based, `firstIndex` counts records (non-blank lines) from 0. */
export type WorkerChunk = { seq: number; bytes: Uint8Array; firstLine: number; firstIndex: number }

const { protocolPath, missing } = workerData as { protocolPath: string; missing: boolean }
const fast = compileFast(compileProtocol(readProtocol(protocolPath).doc))

parentPort!.on('message', (chunk: WorkerChunk) => {
  // a screener per chunk: its funnel counts this chunk only, and the main thread adds the chunks up
  const screener = new Screener(fast, { missing })
  let line = chunk.firstLine - 1
  let index = chunk.firstIndex
  let text = ''
  for (const content of linesOf(chunk.bytes)) {
    line++
    if (isBlankLine(content)) continue
    text += `${JSON.stringify(screener.lineAt(content, { index: index++, line }))}\n`
  }
  parentPort!.postMessage({ seq: chunk.seq, text, funnel: screener.funnel() })
})
