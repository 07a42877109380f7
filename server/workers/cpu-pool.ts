/**
 * The worker pool: CPU-bound work (parsing and checking protocol text,
 * example runs, batches, amendment impact, FHIR import) runs on worker
 * threads (piscina), never on the event loop, so one costly request cannot
 * stall /health or anyone else's request.
 *
 * Each call has a budget, counted from when a thread takes it up: past it
 * the call is aborted, the thread running it is terminated (piscina replaces
 * it) and the client gets a 422 `over-budget` problem. Waiting for a thread
 * is bounded apart (503 past MAX_WAIT_MS), and so is the queue: beyond it,
 * 429 with Retry-After. Tasks and their types: tasks.ts.
 */
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MessageChannel } from 'node:worker_threads'
import { Piscina } from 'piscina'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { Problem, type ProblemType } from '../errors.ts'
import type { TaskInput, TaskName, TaskOutput, TaskReply } from './tasks.ts'

export interface CpuPoolOptions {
  /** Worker threads (default: one per core, at least 1). */
  threads?: number
  /** Default budget of a call, in ms (CPU_BUDGET_MS). */
  budgetMs?: number
  /** Calls waiting for a thread beyond which a call is refused with 429 (default 32 per thread). */
  maxQueue?: number
  /** Each thread, as it starts, runs the edit loop once on the protocols (and their examples) in this directory (tasks.ts warmUp). */
  warmUpWith?: string
}

/** What each thread is told as it starts (cpu-worker.ts). */
export interface WorkerSettings {
  warmUpWith: string | undefined
}

/**
 * Default base budget of a call: 1.5 s. A valid protocol of the size of the
 * shipped ones checks in under 0.1 s on a warm thread, and a 10 MB Synthea
 * bundle imports in about 0.5 s; a document needing several times that is
 * hostile or a mistake, and the client hears so while it still waits.
 */
export const DEFAULT_CPU_BUDGET_MS = 1500

/**
 * Budgets of the kinds of work, as multiples of the base budget. Checking a
 * protocol or examples text gets the base: hostile text must be cut quickly.
 * A FHIR Bundle may be 32 MiB of real history (a 10 MB one imports in about
 * 0.5 s on a warm thread, three times that on a loaded machine). Running
 * every example patient of a protocol (75 examples: about 0.7 s), a batch of
 * up to 10 000 records or an amendment's re-evaluation of every screened
 * record are legitimately longer.
 */
export const BUDGET_SCALE = { document: 1, bundle: 4, examples: 4, records: 15 } as const
export type WorkKind = keyof typeof BUDGET_SCALE

/**
 * Calls waiting per thread before 429: ordinary calls are small (bodies of at
 * most 1 MiB) and quick, so a burst (every designer saving at once) waits
 * rather than fails; each wait is bounded by MAX_WAIT_MS anyway.
 */
const QUEUE_PER_THREAD = 32

/**
 * Batches and amendment impacts in flight per thread: each holds up to
 * 64 MiB of records in memory, so few of them may wait.
 */
const RECORDS_PER_THREAD = 2

/**
 * Longest wait for a free thread, in ms: past it the call is answered 503.
 * A full queue (8 calls per thread, each at most its budget) drains well
 * within this unless the server is overwhelmed.
 */
const MAX_WAIT_MS = 20_000

/** Seconds a refused client is told to wait: about the time the queue takes to drain. */
const RETRY_AFTER_SECONDS = 2

/** How much lower the pool threads' scheduling priority is than the event loop's (nice(2) steps, 0–19). */
const THREAD_NICENESS = 10

/** The entry module of a thread, next to this one. */
// from the module's directory, not import.meta.url: under a browser-like test environment that is an http URL
const ENTRY = pathToFileURL(join(import.meta.dirname, 'cpu-worker-entry.mjs'))

/** Runs tasks on worker threads within a budget; see the module comment. */
export class CpuPool {
  readonly threads: number
  readonly budgetMs: number
  readonly maxQueue: number
  /** Made on first use: an app that never needs a thread (most tests) starts none. */
  #started: { pool: Piscina; warm: Promise<void> } | undefined
  #closed = false
  /** Calls running or waiting for a thread. */
  #inFlight = 0
  /** Of those, batches and impacts (kind `records`). */
  #recordsInFlight = 0
  #closing: Promise<void> | undefined
  #taken = 0

  constructor(options: CpuPoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism())
    this.budgetMs = options.budgetMs ?? DEFAULT_CPU_BUDGET_MS
    this.maxQueue = options.maxQueue ?? this.threads * QUEUE_PER_THREAD
    this.#warmUpWith = options.warmUpWith
  }

  readonly #warmUpWith: string | undefined

  #start(): { pool: Piscina; warm: Promise<void> } {
    if (this.#started) return this.#started
    const pool = new Piscina({
      filename: ENTRY.href,
      minThreads: this.threads,
      maxThreads: this.threads,
      // the bound is ours (run): piscina's counts threads being replaced as capacity
      maxQueue: Number.POSITIVE_INFINITY,
      // threads live as long as the pool: loading the engine costs more than an idle thread
      idleTimeout: Number.MAX_SAFE_INTEGER,
      // below the event loop's priority (nice(2), where the platform allows): on a busy machine the thread that
      // answers /health and reads requests gets the CPU first, and the pool's work takes what is left
      niceIncrement: THREAD_NICENESS,
      workerData: { warmUpWith: this.#warmUpWith } satisfies WorkerSettings,
    })
    const warm = Promise.all(Array.from({ length: this.threads }, () => pool.run({ task: 'ping', input: {} }))).then(() => undefined)
    // a warm-up failure surfaces on the first call, not as an unhandled rejection
    warm.catch(() => {})
    this.#started = { pool, warm }
    return this.#started
  }

  /** How many tasks a thread has taken so far (the warm-up's included): a task whose client left while it waited is not one. */
  get tasksTaken(): number {
    return this.#taken
  }

  /** Start the threads and resolve when each has loaded the engine (main.ts waits for it before listening). */
  ready(): Promise<void> {
    return this.#start().warm
  }

  /**
   * Run a task. Rejects with a Problem: the task's own (a 422 for invalid
   * input…), 422 over-budget past the budget, 429 when the queue is full,
   * 503 after waiting too long for a thread or once the pool is closing,
   * 499 when `signal` aborts (the client went away) before a thread took it.
   */
  async run<N extends TaskName>(task: N, input: TaskInput<N>, options: RunOptions = {}): Promise<TaskOutput<N>> {
    if (this.#closed) throw shuttingDown()
    if (this.#inFlight >= this.threads + this.maxQueue) {
      throw tooMany(`${this.threads} threads are busy and ${this.maxQueue} requests wait for them`)
    }
    const records = options.kind === 'records'
    if (records && this.#recordsInFlight >= this.threads * RECORDS_PER_THREAD) {
      throw tooMany(`${this.#recordsInFlight} batches or impact calculations are running or waiting, the most this server holds at once`)
    }
    this.#inFlight++
    if (records) this.#recordsInFlight++
    try {
      return await this.#run(task, input, options)
    } finally {
      this.#inFlight--
      if (records) this.#recordsInFlight--
    }
  }

  async #run<N extends TaskName>(task: N, input: TaskInput<N>, options: RunOptions): Promise<TaskOutput<N>> {
    const { pool, warm } = this.#start()
    await warm
    if (options.signal?.aborted) throw clientGone()
    const budgetMs = options.budgetMs ?? this.budgetMs * BUDGET_SCALE[options.kind ?? 'document']
    const what = options.what ?? 'this request'
    const abort = new AbortController()
    let overran: 'budget' | 'wait' | 'client' | undefined
    const stop = (why: 'budget' | 'wait' | 'client') => {
      overran = why
      abort.abort()
    }
    // the budget starts when a thread takes the task (the thread says so on this channel); until then the wait is bounded apart
    const channel = new MessageChannel()
    let taken = false
    let timer = setTimeout(() => stop('wait'), MAX_WAIT_MS)
    channel.port1.once('message', () => {
      taken = true
      this.#taken++
      clearTimeout(timer)
      timer = setTimeout(() => stop('budget'), budgetMs)
    })
    // a client that went away frees the queue place its task held; a task a thread has taken runs on (stopping it would
    // cost a thread, which reloads the engine), and its answer goes nowhere
    const clientLeft = () => {
      if (!taken) stop('client')
    }
    options.signal?.addEventListener('abort', clientLeft, { once: true })
    let reply: TaskReply
    try {
      const transferList = [channel.port2, ...(options.transfer ?? [])]
      reply = (await pool.run({ task, input, started: channel.port2 }, { signal: abort.signal, transferList })) as TaskReply
    } catch (e) {
      if (overran === 'client') throw clientGone()
      if (overran === 'budget') {
        throw new Problem(
          422,
          'over-budget',
          `${what} needed more than ${budgetMs / 1000} s of computing and was stopped; nothing was saved. Send a smaller or simpler document (or, if the server is heavily loaded, retry later).`,
          { budget_ms: budgetMs },
        )
      }
      if (overran === 'wait') {
        throw new Problem(
          503,
          'unavailable',
          `${what} waited ${MAX_WAIT_MS / 1000} s for a free thread; the server is busy, try again in ${RETRY_AFTER_SECONDS} s`,
          {},
          { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        )
      }
      if (this.#closed) throw shuttingDown()
      throw e
    } finally {
      clearTimeout(timer)
      channel.port1.close()
      options.signal?.removeEventListener('abort', clientLeft)
    }
    if (!reply.ok) {
      const p = reply.problem
      throw new Problem(p.status as Problem['status'], p.type as ProblemType, p.detail, p.extra, p.headers)
    }
    return reply.value as TaskOutput<N>
  }

  /** Refuse new calls; calls in progress are cancelled (their threads terminated). */
  close(): Promise<void> {
    this.#closed = true
    this.#closing ??= this.#started?.pool.destroy() ?? Promise.resolve()
    return this.#closing
  }
}

/** What `run` takes beside the task and its input. */
export interface RunOptions {
  kind?: WorkKind
  /** The budget in ms instead of the pool's for this kind. */
  budgetMs?: number
  /** The work in words, for the problems' detail ("checking this protocol"). */
  what?: string
  transfer?: ArrayBuffer[]
  /** The request's signal: aborted (the client went away) while the task waits for a thread, the task leaves the queue. */
  signal?: AbortSignal
}

/** nginx's "client closed request": nobody reads this answer, but the access log and the audit say what happened. */
const CLIENT_CLOSED_REQUEST = 499 as ContentfulStatusCode

const clientGone = () => new Problem(CLIENT_CLOSED_REQUEST, 'client-closed-request', 'the client closed the request before a thread took it; nothing was done')

const tooMany = (why: string) =>
  new Problem(429, 'too-many-requests', `${why}; try again in ${RETRY_AFTER_SECONDS} s`, {}, { 'Retry-After': String(RETRY_AFTER_SECONDS) })

const shuttingDown = () => new Problem(503, 'unavailable', 'the server is shutting down; try again shortly', {}, { 'Retry-After': String(RETRY_AFTER_SECONDS) })

let shared: CpuPool | undefined

/**
 * The process's pool, for apps built without one (tests, embedders); its
 * threads start on first use. CPU_BUDGET_MS and CPU_THREADS set its base
 * budget and its threads, as for the server.
 */
export function sharedCpuPool(): CpuPool {
  const threads = Number(process.env.CPU_THREADS)
  shared ??= new CpuPool({ budgetMs: Number(process.env.CPU_BUDGET_MS) || DEFAULT_CPU_BUDGET_MS, ...(threads > 0 ? { threads } : {}) })
  return shared
}
