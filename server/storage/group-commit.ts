/**
 * Group commit: the writes asked for in one turn of the event loop are
 * committed together, in one transaction, so one fsync acknowledges many of
 * them (SQLite's commit is synchronous: under load, each logged evaluation
 * waiting for its own fsync held up every request behind it). A write is
 * still acknowledged only once its transaction has committed: each caller's
 * promise settles after the commit that holds its write.
 *
 * A commit may also be asynchronous (PostgreSQL): while one is in flight,
 * the writes asked for meanwhile wait and go together in the next.
 *
 * A group that fails is not one caller's failure: its writes are committed
 * again one by one, so one bad write fails alone and the others are kept.
 */
type Pending<In, Out> = { input: In; resolve: (out: Out) => void; reject: (e: unknown) => void }

export class GroupCommit<In, Out> {
  #pending: Array<Pending<In, Out>> = []
  #scheduled = false
  #inFlight: Promise<void> | null = null

  /** @param commit writes every input in one transaction and returns each one's result, in order (or throws) */
  constructor(private readonly commit: (inputs: In[]) => Out[] | Promise<Out[]>) {}

  /** Write `input` with the others of this turn; resolves with its result once committed. */
  add(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject })
      if (this.#scheduled || this.#inFlight) return
      this.#scheduled = true
      // after the I/O callbacks of this turn (the requests read meanwhile), before the next wait for I/O
      setImmediate(() => this.flush())
    })
  }

  /**
   * Commit what waits now (also before the database closes). A synchronous
   * commit is done when this returns; an asynchronous one when the promise
   * settles, with the writes asked for meanwhile committed after it.
   */
  flush(): Promise<void> {
    // one commit at a time: what waits goes once the one in flight is done (and close() waits for both)
    if (this.#inFlight) return this.#inFlight.then(() => this.flush())
    this.#scheduled = false
    const group = this.#pending
    this.#pending = []
    if (group.length === 0) return this.#inFlight ?? Promise.resolve()
    let outs: Out[] | Promise<Out[]>
    try {
      outs = this.commit(group.map(w => w.input))
    } catch (e) {
      this.#failed(group, e)
      return Promise.resolve()
    }
    if (!(outs instanceof Promise)) {
      this.#settle(group, outs)
      return Promise.resolve()
    }
    const done = outs.then(
      o => this.#settle(group, o),
      e => this.#failed(group, e),
    )
    this.#inFlight = done.then(() => {
      this.#inFlight = null
      if (this.#pending.length > 0) return this.flush()
    })
    return this.#inFlight
  }

  #settle(group: Array<Pending<In, Out>>, outs: Out[]): void {
    for (const [i, w] of group.entries()) w.resolve(outs[i]!)
  }

  /** The group failed: each write again on its own, so that one bad write fails alone. */
  #failed(group: Array<Pending<In, Out>>, e: unknown): Promise<void> | undefined {
    if (group.length === 1) {
      group[0]!.reject(e)
      return undefined
    }
    let chain: Promise<void> | undefined
    for (const w of group) {
      const alone = () => {
        try {
          const out = this.commit([w.input])
          if (out instanceof Promise)
            return out.then(
              o => w.resolve(o[0]!),
              (err: unknown) => w.reject(err),
            )
          w.resolve(out[0]!)
        } catch (err) {
          w.reject(err)
        }
        return undefined
      }
      chain = chain ? chain.then(alone) : alone()
    }
    return chain
  }
}
