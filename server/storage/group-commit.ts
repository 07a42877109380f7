/**
 * Group commit: the writes asked for in one turn of the event loop are
 * committed together, in one transaction, so one fsync acknowledges many of
 * them (SQLite's commit is synchronous: under load, each logged evaluation
 * waiting for its own fsync held up every request behind it). A write is
 * still acknowledged only once its transaction has committed: each caller's
 * promise settles after the commit that holds its write.
 *
 * A group that fails is not one caller's failure: its writes are committed
 * again one by one, so one bad write fails alone and the others are kept.
 */
export class GroupCommit<In, Out> {
  #pending: Array<{ input: In; resolve: (out: Out) => void; reject: (e: unknown) => void }> = []
  #scheduled = false

  /** @param commit writes every input in one transaction and returns each one's result, in order (or throws) */
  constructor(private readonly commit: (inputs: In[]) => Out[]) {}

  /** Write `input` with the others of this turn; resolves with its result once committed. */
  add(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject })
      if (this.#scheduled) return
      this.#scheduled = true
      // after the I/O callbacks of this turn (the requests read meanwhile), before the next wait for I/O
      setImmediate(() => this.flush())
    })
  }

  /** Commit what waits now (also before the database closes). */
  flush(): void {
    this.#scheduled = false
    const group = this.#pending
    this.#pending = []
    if (group.length === 0) return
    let outs: Out[]
    try {
      outs = this.commit(group.map(w => w.input))
    } catch (e) {
      if (group.length === 1) group[0]!.reject(e)
      else for (const w of group) this.#alone(w)
      return
    }
    for (const [i, w] of group.entries()) w.resolve(outs[i]!)
  }

  #alone(w: { input: In; resolve: (out: Out) => void; reject: (e: unknown) => void }): void {
    try {
      w.resolve(this.commit([w.input])[0]!)
    } catch (e) {
      w.reject(e)
    }
  }
}
