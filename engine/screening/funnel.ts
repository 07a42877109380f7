/**
 * Attrition over a protocol's criteria, pure: verdicts in, counts out. Two
 * readings of the same verdicts:
 *
 * - the batch funnel, {@link FunnelCounter} (one record at a time, constant
 *   memory: the CLI's `screen`, POST …/screen, POST …/evaluate/batch) and
 *   {@link funnelOf} (the same counter fed an array of verdicts): a record
 *   stays in while it passes, so a record left undecided by one criterion
 *   leaves the funnel there.
 * - {@link screeningFlowOf}, the CONSORT-style flow: a record is excluded by
 *   the first criterion (in protocol order) it fails; one left undecided is
 *   carried on, since a later criterion may still exclude it, and is counted
 *   undetermined at the end when nothing excluded it.
 */
import type { CriterionKind, Overall, Verdict } from '../types.ts'

export interface FunnelStep {
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
  /**
   * Of every evaluated record (as `all`): this criterion unknown while it
   * waits for an imported item to be reviewed (a missing key
   * `unrecognised.…`). Only when missing data was traced.
   */
  review?: number
}

export interface Funnel {
  /** Records received: evaluated + invalid. */
  records: number
  /** Records not evaluated (not JSON, not a valid patient record). */
  invalid: number
  evaluated: number
  criteria: FunnelStep[]
  overall: Record<Overall, number>
  /**
   * Records with at least one criterion unknown while it waits for an
   * imported item to be reviewed (the records counted by some step's
   * `review`, each once). Only when missing data was traced.
   */
  records_to_review?: number
}

/** How the batch funnel counts. */
export interface FunnelOptions {
  /**
   * Count the records to review (FunnelStep.review, Funnel.records_to_review)
   * from the verdicts' missing data: only when it was traced, since a verdict
   * without it would count as nothing to review. Default false.
   */
  review?: boolean
}

/** What the funnels need of a criterion: its id, kind and (for the flow) title, in protocol order. */
export interface FunnelCriterion {
  id: string
  kind: CriterionKind
  title?: string
}

type Outcome = 'pass' | 'fail' | 'unknown'

/**
 * What the batch funnel reads of a verdict: the overall verdict and each
 * criterion's outcome by id (a {@link Verdict} or the fast path's verdict),
 * and for the records to review the missing data of each criterion (and of
 * the whole verdict).
 */
export interface FunnelVerdict {
  overall: Overall
  criteria: ReadonlyArray<{ id: string; outcome: Outcome; missing?: ReadonlyArray<{ review?: boolean }> }>
  missing?: ReadonlyArray<{ review?: boolean }>
}

/**
 * The batch funnel, counted one record at a time in constant memory:
 * criteria in protocol order; a record stays in while it passes, so
 * `entering` of each criterion is `pass` of the one before.
 *
 * @example
 * const funnel = new FunnelCounter(compiled.criteria)
 * for (const r of records) funnel.add(fast.screen(r))
 * funnel.addInvalid() // a line that was not a patient record
 * funnel.result().criteria[0] // { criterion: 'IN01', kind: 'inclusion', entering, pass, fail, unknown, all }
 */
export class FunnelCounter {
  readonly #steps: FunnelStep[]
  readonly #index: Map<string, number>
  readonly #overall: Record<Overall, number> = { eligible: 0, ineligible: 0, undetermined: 0 }
  #invalid = 0
  #evaluated = 0
  /** Per step, records to review; undefined unless counting them. */
  #review: number[] | undefined
  #toReview = 0

  /**
   * @param criteria the protocol's criteria in order (a compiled protocol's `criteria`)
   * @param options `review`: count the records to review (the verdicts carry traced missing data)
   */
  constructor(criteria: ReadonlyArray<{ id: string; kind: CriterionKind }>, options: FunnelOptions = {}) {
    this.#steps = criteria.map(c => ({ criterion: c.id, kind: c.kind, entering: 0, pass: 0, fail: 0, unknown: 0, all: { pass: 0, fail: 0, unknown: 0 } }))
    this.#index = new Map(criteria.map((c, i) => [c.id, i]))
    this.#review = options.review ? new Array<number>(criteria.length).fill(0) : undefined
  }

  /** Count one evaluated record. */
  add(v: FunnelVerdict): void {
    this.#evaluated++
    this.#overall[v.overall]++
    const outcomes = new Array<Outcome>(this.#steps.length).fill('unknown')
    // by id, not position: a criterion the verdict does not name (evaluated against a version without it) is unknown
    for (const c of v.criteria) {
      const i = this.#index.get(c.id)
      if (i !== undefined) outcomes[i] = c.outcome
    }
    if (this.#review) this.#countReview(v, this.#review)
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

  #countReview(v: FunnelVerdict, review: number[]): void {
    let any = false
    for (const c of v.criteria) {
      const i = this.#index.get(c.id)
      if (i === undefined || c.outcome !== 'unknown' || !c.missing?.some(m => m.review)) continue
      review[i]!++
      any = true
    }
    // a verdict with its missing data but not each criterion's (the fast path's): the record still counts
    if (any || v.missing?.some(m => m.review)) this.#toReview++
  }

  /** Count a record that could not be evaluated (not JSON, not a valid patient record). */
  addInvalid(): void {
    this.#invalid++
  }

  /**
   * Add the counts of another funnel over the same criteria (a part of the
   * records counted elsewhere, e.g. by a worker thread): every count is a sum,
   * so parts add up to the funnel of all their records.
   *
   * @throws Error when the other funnel's criteria differ from this one's
   */
  addFunnel(f: Funnel): void {
    if (f.criteria.length !== this.#steps.length || f.criteria.some((c, i) => c.criterion !== this.#steps[i]!.criterion)) {
      throw new Error(`funnels over different criteria cannot be added (${f.criteria.map(c => c.criterion).join(', ')})`)
    }
    // a part that counted the records to review (a worker tracing missing data) makes this funnel count them too
    if (f.records_to_review !== undefined) {
      this.#review ??= new Array<number>(this.#steps.length).fill(0)
      this.#toReview += f.records_to_review
      for (const [i, c] of f.criteria.entries()) this.#review![i]! += c.review ?? 0
    }
    this.#invalid += f.invalid
    this.#evaluated += f.evaluated
    for (const o of ['eligible', 'ineligible', 'undetermined'] as const) this.#overall[o] += f.overall[o]
    f.criteria.forEach((c, i) => {
      const step = this.#steps[i]!
      step.entering += c.entering
      step.pass += c.pass
      step.fail += c.fail
      step.unknown += c.unknown
      step.all.pass += c.all.pass
      step.all.fail += c.all.fail
      step.all.unknown += c.all.unknown
    })
  }

  /** The counts so far (a copy: counting may go on). */
  result(): Funnel {
    const review = this.#review
    return {
      records: this.#evaluated + this.#invalid,
      invalid: this.#invalid,
      evaluated: this.#evaluated,
      criteria: this.#steps.map((s, i) => ({ ...s, all: { ...s.all }, ...(review ? { review: review[i]! } : {}) })),
      overall: { ...this.#overall },
      ...(review ? { records_to_review: this.#toReview } : {}),
    }
  }
}

/**
 * The batch funnel of verdicts already in memory: a {@link FunnelCounter}
 * fed them, so it cannot count differently from the streamed funnel.
 *
 * @param criteria the protocol's criteria in order (a compiled protocol's `criteria`)
 * @param verdicts one per evaluated record
 * @param records records received, evaluated or not (verdicts.length + invalid)
 * @param invalid records not evaluated (schema errors, bad NDJSON lines)
 * @param options `review`: count the records to review (full verdicts carry their missing data)
 * @example
 * funnelOf(compiled.criteria, verdicts, 3, 0).criteria[0] // { criterion: 'IN01', entering: 3, pass: 3, fail: 0, unknown: 0, ... }
 */
export function funnelOf(
  criteria: readonly FunnelCriterion[],
  verdicts: readonly FunnelVerdict[],
  records: number,
  invalid: number,
  options: FunnelOptions = {},
): Funnel {
  const counter = new FunnelCounter(criteria, options)
  for (const v of verdicts) counter.add(v)
  for (let i = 0; i < invalid; i++) counter.addInvalid()
  return { ...counter.result(), records }
}

/** A criterion the verdict does not name (evaluated against a version without it) is unknown. */
function outcomeOf(v: Verdict, criterion: string): Outcome {
  return v.criteria.find(r => r.id === criterion)?.outcome ?? 'unknown'
}

function countOutcomes(vs: Verdict[], criterion: string) {
  const counts = { pass: 0, fail: 0, unknown: 0 }
  for (const v of vs) counts[outcomeOf(v, criterion)]++
  return counts
}

export interface FlowStep {
  criterion: string
  kind: CriterionKind
  title?: string
  /** Records no earlier criterion excluded (undecided ones included). */
  entering: number
  /** Of those entering: excluded here, the first criterion in protocol order they fail. */
  excluded: number
  /** Of those entering: not decided here; carried on to the next criterion. */
  unknown: number
  pass: number
}

/** The CONSORT-style reading of a set of verdicts; `screened = excluded + undetermined + eligible`. */
export interface ScreeningFlow {
  screened: number
  steps: FlowStep[]
  excluded: {
    total: number
    /**
     * Failing only criteria these criteria do not include (a verdict of
     * another protocol version whose failing criterion was since removed).
     */
    other_criteria: number
  }
  undetermined: {
    total: number
    /** Each undetermined record under the first criterion, in protocol order, left undecided. */
    first_undecided: Array<{ criterion: string; count: number }>
  }
  eligible: number
}

/**
 * The CONSORT-style flow: each record is excluded by the first criterion it
 * fails, in protocol order; what nothing excluded is eligible when every
 * criterion passed and its verdict says eligible, else undetermined.
 *
 * @param criteria the protocol's criteria in order
 * @param verdicts one per screened record
 * @example
 * // A fails IN02; B is undecided on IN04 and fails EX02; C is undecided on IN04 only; D passes all
 * screeningFlowOf(criteria, [A, B, C, D])
 * // steps IN02: excluded 1; EX02: excluded 1; undetermined { total: 1, first_undecided: [{ criterion: 'IN04', count: 1 }] }; eligible 1
 */
export function screeningFlowOf(criteria: readonly FunnelCriterion[], verdicts: Verdict[]): ScreeningFlow {
  let stillIn = verdicts
  const steps = criteria.map((criterion): FlowStep => {
    const counts = countOutcomes(stillIn, criterion.id)
    const step: FlowStep = {
      criterion: criterion.id,
      kind: criterion.kind,
      ...(criterion.title !== undefined ? { title: criterion.title } : {}),
      entering: stillIn.length,
      excluded: counts.fail,
      unknown: counts.unknown,
      pass: counts.pass,
    }
    stillIn = stillIn.filter(v => outcomeOf(v, criterion.id) !== 'fail')
    return step
  })
  const ids = new Set(criteria.map(c => c.id))
  let otherCriteria = 0
  let eligible = 0
  const firstUndecided = new Map<string, number>()
  for (const v of stillIn) {
    if (v.overall === 'ineligible' && v.failing.some(id => !ids.has(id))) {
      otherCriteria++
      continue
    }
    const undecided = criteria.find(c => outcomeOf(v, c.id) !== 'pass')
    if (!undecided && v.overall === 'eligible') {
      eligible++
      continue
    }
    // every listed criterion passed yet the verdict is not eligible: undecided on a criterion this version lacks
    const key = undecided?.id ?? v.undecided.find(id => !ids.has(id)) ?? 'other'
    firstUndecided.set(key, (firstUndecided.get(key) ?? 0) + 1)
  }
  const excludedHere = steps.reduce((n, s) => n + s.excluded, 0)
  const order = new Map(criteria.map((c, i) => [c.id, i]))
  return {
    screened: verdicts.length,
    steps,
    excluded: { total: excludedHere + otherCriteria, other_criteria: otherCriteria },
    undetermined: {
      total: stillIn.length - otherCriteria - eligible,
      first_undecided: [...firstUndecided]
        .map(([criterion, count]) => ({ criterion, count }))
        .sort((a, b) => (order.get(a.criterion) ?? Infinity) - (order.get(b.criterion) ?? Infinity)),
    },
    eligible,
  }
}

/** Whose evaluations a screening funnel counts. */
export type FunnelPopulation = 'subjects' | 'all'

/** GET /protocols/:id/screening-funnel: the CONSORT-style flow over a protocol's screening log. */
export interface ScreeningFunnelReport {
  protocol_id: string
  /** The version whose criteria (and their order) the funnel follows. */
  version: number
  population: FunnelPopulation
  /** In words, what was counted ("the latest screening of each subject; …"). */
  basis: string
  /** Protocol versions of the evaluations counted, ascending. */
  evaluated_versions: number[]
  subjects: {
    registered: number
    /** Registered subjects with at least one counted screening. */
    screened: number
    not_screened: number
    withdrawn: number
  }
  /** Evaluations filed under no subject that were counted (0 unless population is `all`). */
  anonymous: number
  flow: ScreeningFlow
  randomized: {
    total: number
    arms: Array<{ arm: string; label: string; subjects: number }>
    /** Subjects whose latest counted screening is eligible and who are not (yet) randomized. */
    eligible_not_randomized: number
  }
  /** The same verdicts read as the batch funnel (undecided records leave it), for comparison with POST …/evaluate/batch. */
  funnel: Funnel
}
