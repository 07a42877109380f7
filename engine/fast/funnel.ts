/**
 * The attrition funnel, counted one record at a time in constant memory (the
 * batch funnel of server/funnel.ts, which needs every verdict in memory, as a
 * running count): criteria in protocol order; a record stays in while it
 * passes, so `entering` of each criterion is `pass` of the one before.
 */
import type { CriterionKind, Overall } from '../types.ts'

export interface StreamFunnelStep {
  criterion: string
  kind: CriterionKind
  /** Records that passed every earlier criterion. */
  entering: number
  /** Of those entering: pass (go on to the next criterion), fail, unknown. */
  pass: number
  fail: number
  unknown: number
  /** The same counts over every evaluated record, whatever earlier criteria gave. */
  all: { pass: number; fail: number; unknown: number }
}

export interface StreamFunnel {
  records: number
  invalid: number
  evaluated: number
  criteria: StreamFunnelStep[]
  overall: Record<Overall, number>
}

/** What the funnel reads of a verdict: the overall verdict and each criterion's outcome by id. */
export interface FunnelVerdict {
  overall: Overall
  criteria: ReadonlyArray<{ id: string; outcome: 'pass' | 'fail' | 'unknown' }>
}

/**
 * A running funnel.
 *
 * @example
 * const funnel = new FunnelCounter(compiled.criteria)
 * for (const r of records) funnel.add(evaluateFast(fast, r))
 * funnel.result().criteria[0] // { criterion: 'IN01', entering: n, pass, fail, unknown, all }
 */
export class FunnelCounter {
  readonly #steps: StreamFunnelStep[]
  readonly #index: Map<string, number>
  readonly #overall: Record<Overall, number> = { eligible: 0, ineligible: 0, undetermined: 0 }
  #invalid = 0
  #evaluated = 0

  constructor(criteria: ReadonlyArray<{ id: string; kind: CriterionKind }>) {
    this.#steps = criteria.map((c) => ({ criterion: c.id, kind: c.kind, entering: 0, pass: 0, fail: 0, unknown: 0, all: { pass: 0, fail: 0, unknown: 0 } }))
    this.#index = new Map(criteria.map((c, i) => [c.id, i]))
  }

  /** Count one evaluated record. */
  add(v: FunnelVerdict): void {
    this.#evaluated++
    this.#overall[v.overall]++
    const outcomes = new Array<'pass' | 'fail' | 'unknown'>(this.#steps.length).fill('unknown')
    // by id, not position: a criterion the verdict does not name counts as unknown
    for (const c of v.criteria) {
      const i = this.#index.get(c.id)
      if (i !== undefined) outcomes[i] = c.outcome
    }
    let stillIn = true
    for (let i = 0; i < this.#steps.length; i++) {
      const step = this.#steps[i]!
      const o = outcomes[i]!
      step.all[o]++
      if (!stillIn) continue
      step.entering++
      step[o]++
      stillIn = o === 'pass'
    }
  }

  /** Count a record that could not be evaluated (not JSON, not a valid patient record). */
  addInvalid(): void {
    this.#invalid++
  }

  result(): StreamFunnel {
    return {
      records: this.#evaluated + this.#invalid,
      invalid: this.#invalid,
      evaluated: this.#evaluated,
      criteria: this.#steps.map((s) => ({ ...s, all: { ...s.all } })),
      overall: { ...this.#overall },
    }
  }
}
