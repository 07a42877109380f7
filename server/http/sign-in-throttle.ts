/**
 * Failed sign-ins (a bearer token that is unknown, revoked or expired),
 * counted per client address in fixed windows. Past the limit, further
 * attempts from that address are refused (429) until its window ends, before
 * any token is looked up. Each window is reported once when it closes
 * ("N failed sign-ins from ADDR"), so a flood writes one audit row per
 * address per window instead of one per request.
 *
 * Windows close lazily: every check first closes the windows that have
 * ended (oldest first, no timer to stop); `flush()` closes the rest (at
 * shutdown, in tests). The clock is injectable so tests need not sleep.
 *
 * Behind a reverse proxy every client has the proxy's address: the limit
 * then applies to all clients together.
 */

/**
 * Failures per address and window before refusing: a person retyping a token
 * or a script with a stale one stays far below it; a 192-bit token cannot be
 * guessed anyway, the limit bounds the cost (lookups, log noise) of a flood.
 */
export const MAX_FAILED_SIGN_INS = 20
/** Window length: long enough to slow a flood, short enough that a locked-out colleague behind the same NAT waits at most a minute. */
export const SIGN_IN_WINDOW_MS = 60_000
/** Addresses tracked at once; past it the oldest window is closed early, so spoofed or many addresses cannot exhaust memory. */
export const MAX_TRACKED_ADDRESSES = 50_000

/** One closed window of an address with failures. */
export interface FailedSignIns {
  address: string
  /** Sign-ins that presented a token that was refused (401). */
  failures: number
  /** Attempts refused unread (429) once the limit was reached. */
  refused: number
  /** Epoch ms of the first failure and of the window's end (or its early close). */
  from: number
  to: number
}

export interface SignInThrottleOptions {
  maxFailures?: number
  windowMs?: number
  maxTracked?: number
  /** Epoch milliseconds (default Date.now). */
  now?: () => number
  /** Called once per closed window with failures; errors are the caller's to handle. */
  report?: (closed: FailedSignIns) => void
}

interface Window {
  start: number
  failures: number
  refused: number
}

export class SignInThrottle {
  readonly maxFailures: number
  readonly windowMs: number
  private readonly maxTracked: number
  private readonly now: () => number
  private readonly report: (closed: FailedSignIns) => void
  /** In order of window start (a restarted window is re-inserted), so the oldest is first. */
  private readonly windows = new Map<string, Window>()

  constructor(options: SignInThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? MAX_FAILED_SIGN_INS
    this.windowMs = options.windowMs ?? SIGN_IN_WINDOW_MS
    this.maxTracked = options.maxTracked ?? MAX_TRACKED_ADDRESSES
    this.now = options.now ?? Date.now
    this.report = options.report ?? (() => {})
  }

  /**
   * Seconds `address` must wait before its next attempt (the Retry-After),
   * counting this refused attempt; undefined when it may try now.
   */
  retryAfter(address: string): number | undefined {
    this.closeEnded()
    const w = this.windows.get(address)
    if (!w || w.failures < this.maxFailures) return undefined
    w.refused++
    return Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000))
  }

  /** Count a failed sign-in from `address`. */
  failed(address: string): void {
    this.closeEnded()
    const w = this.windows.get(address)
    if (w) {
      w.failures++
      return
    }
    this.windows.set(address, { start: this.now(), failures: 1, refused: 0 })
    if (this.windows.size > this.maxTracked) this.close(this.windows.keys().next().value!)
  }

  /** Addresses with an open window. */
  get tracked(): number {
    return this.windows.size
  }

  /** Close every window now, reporting each. */
  flush(): void {
    for (const address of [...this.windows.keys()]) this.close(address)
  }

  private closeEnded(): void {
    const now = this.now()
    for (const [address, w] of this.windows) {
      if (w.start + this.windowMs > now) break // the rest started later
      this.close(address)
    }
  }

  private close(address: string): void {
    const w = this.windows.get(address)
    if (!w) return
    this.windows.delete(address)
    this.report({ address, failures: w.failures, refused: w.refused, from: w.start, to: Math.min(this.now(), w.start + this.windowMs) })
  }
}

/** The audit wording of a closed window. */
export function describeFailedSignIns(f: FailedSignIns): string {
  const refused = f.refused ? `; ${f.refused} further attempt${f.refused === 1 ? '' : 's'} refused (429)` : ''
  return `${f.failures} failed sign-in${f.failures === 1 ? '' : 's'} from ${f.address} between ${new Date(f.from).toISOString()} and ${new Date(f.to).toISOString()}${refused}`
}
