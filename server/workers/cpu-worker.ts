/**
 * The function each pool thread runs, warmed up when the thread starts:
 * look the task up, run it, send back
 * its value or the Problem it threw as plain data. Anything else thrown is a
 * bug and rejects the call (the route answers 500 and logs it).
 */
import { workerData, type MessagePort } from 'node:worker_threads'
import { Problem } from '../errors.ts'
import { TASKS, warmUp, type TaskName, type TaskReply } from './tasks.ts'
import type { WorkerSettings } from './cpu-pool.ts'

// before the thread takes any task (piscina counts it ready once this module has loaded), also a thread replacing one
// stopped over its budget: the first request it serves must not pay for compiling validators (nor, when the pool
// says so, for the engine's first run of an edit loop)
await warmUp((workerData as WorkerSettings | null)?.warmUpWith)

export default async function runTask(message: { task: TaskName; input: unknown; started?: MessagePort }): Promise<TaskReply> {
  // the caller's budget counts from now: time waiting for a thread, or for a replaced one to load, is not this task's
  message.started?.postMessage('started')
  message.started?.close()
  const task = TASKS[message.task] as (input: unknown) => unknown
  try {
    return { ok: true, value: await task(message.input) }
  } catch (e) {
    if (e instanceof Problem) return { ok: false, problem: { status: e.status, type: e.type, detail: e.detail, extra: e.extra, headers: e.headers } }
    throw e
  }
}
