/**
 * Screening NDJSON one line at a time on the fast path: each line in gives
 * one result out and a count in the running funnel, so a file of any size
 * is screened in constant memory. Pure: the caller reads and writes.
 */
import type { Diagnostic, MissingData, Overall, PatientRecord, Verdict } from '../types.ts'
import { validateAgainstSchema } from '../schema/validate.ts'
import type { EligibilityEvaluator, ScreenVerdict } from '../evaluate/backend.ts'
import { FunnelCounter, type Funnel } from '../screening/funnel.ts'

/**
 * Why a line was not screened: not JSON or not an object (E_NDJSON_LINE),
 * longer than the reader accepts (E_NDJSON_LINE_TOO_LONG), or the engine
 * failed on it (E_SCREEN_FAILED, a bug: reported on its line so the rest of
 * the file is still screened).
 */
export interface LineError {
  code: 'E_NDJSON_LINE' | 'E_NDJSON_LINE_TOO_LONG' | 'E_SCREEN_FAILED'
  severity: 'error'
  message: string
  line: number
  path: string
}

/** One record's screening result (the batch route's result shape). */
export interface ScreenResult {
  /** Position of the record, from 0 (blank lines not counted). */
  index: number
  /** The 1-based line the record was on. */
  line: number
  id?: string
  overall?: Overall
  failing?: string[]
  undecided?: string[]
  missing?: MissingData[]
  /** Why the record was not evaluated. */
  errors?: Array<Diagnostic | LineError>
}

export interface ScreenOptions {
  /**
   * List the data still needed for undecided records (slower: each is
   * traced); the funnel then also counts the records to review (criteria
   * unknown while an imported item is unrecognised). Default false.
   */
  missing?: boolean
}

/** A line that holds no record: skipped, though still counted as a line (one rule for every reader of NDJSON lines). */
export const isBlankLine = (line: string): boolean => line.trim() === ''

/**
 * Screens NDJSON lines in order.
 *
 * @example
 * const screener = new Screener(compileFast(compiled))
 * for await (const text of lines) {
 *   const r = screener.line(text)
 *   if (r) out.write(JSON.stringify(r) + '\n')
 * }
 * screener.funnel() // records, invalid, evaluated, per-criterion attrition, overall counts
 */
export class Screener {
  readonly #fast: EligibilityEvaluator<'sync'>
  readonly #missing: boolean
  readonly #funnel: FunnelCounter
  #line = 0
  #index = 0

  /** @param fast - a synchronous evaluator: the fast backend's (compileFast, or fastBackend.evaluatorOf) */
  constructor(fast: EligibilityEvaluator<'sync'>, options: ScreenOptions = {}) {
    this.#fast = fast
    this.#missing = options.missing ?? false
    this.#funnel = new FunnelCounter(fast.compiled.criteria, { review: this.#missing })
  }

  /** The result for the next line, or undefined for a blank line. */
  line(text: string): ScreenResult | undefined {
    const line = ++this.#line
    if (isBlankLine(text)) return undefined
    return this.lineAt(text, { index: this.#index++, line })
  }

  /**
   * The result for a non-blank line whose place the caller numbers (a
   * worker screening part of a file): `index` among records, 1-based `line`.
   */
  lineAt(text: string, at: { index: number; line: number }): ScreenResult {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (e) {
      return this.#invalid(at, `line ${at.line} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
    }
    return this.record(value, at)
  }

  /** The result for a record already parsed (the batch route's JSON array). */
  record(value: unknown, at: { index: number; line: number }): ScreenResult {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.#invalid(at, `line ${at.line} is not a JSON object (a patient record)`)
    }
    const rawId = (value as { id?: unknown }).id
    const id = typeof rawId === 'string' ? { id: rawId } : {}
    let v: ScreenVerdict
    let traced: Verdict | undefined
    try {
      const diagnostics = validateAgainstSchema('patient', value, undefined)
      if (diagnostics.some(d => d.severity === 'error')) {
        this.#funnel.addInvalid()
        return { ...at, ...id, errors: diagnostics }
      }
      v = this.#fast.screen(value as PatientRecord)
      // as screen's `missing` option, keeping each criterion's missing data for the records to review
      if (this.#missing) {
        traced = v.undecided.length > 0 ? this.#fast.evaluate(value as PatientRecord) : undefined
        v.missing = traced?.missing ?? []
      }
    } catch (e) {
      // a bug, not bad input: said on this record's line, so one record cannot stop a file of millions
      const { errors } = this.#invalid(
        at,
        `line ${at.line} could not be screened (an engine error; please report it): ${e instanceof Error ? e.message : String(e)}`,
        'E_SCREEN_FAILED',
      )
      return { ...at, ...id, errors }
    }
    this.#funnel.add(traced ? { ...v, criteria: withMissing(v.criteria, traced.criteria) } : v)
    return { ...at, ...id, overall: v.overall, failing: v.failing, undecided: v.undecided, ...(v.missing ? { missing: v.missing } : {}) }
  }

  /**
   * The result for the next line when the caller could not read it whole
   * (longer than it accepts): counted as a line and as an invalid record.
   *
   * @param why what was wrong, after "line N", e.g. `is longer than 1048576 characters`
   */
  unreadable(why: string): ScreenResult {
    const line = ++this.#line
    return this.#invalid({ index: this.#index++, line }, `line ${line} ${why}`, 'E_NDJSON_LINE_TOO_LONG')
  }

  #invalid(at: { index: number; line: number }, message: string, code: LineError['code'] = 'E_NDJSON_LINE'): ScreenResult {
    this.#funnel.addInvalid()
    return { ...at, errors: [{ code, severity: 'error', message, line: at.line, path: '' }] }
  }

  /** The funnel so far. */
  funnel(): Funnel {
    return this.#funnel.result()
  }
}

/** The fast path's outcomes (what the funnel has always counted) with the traced verdict's missing data of each criterion. */
function withMissing<C extends { id: string }>(
  criteria: readonly C[],
  traced: ReadonlyArray<{ id: string; missing: MissingData[] }>,
): Array<C & { missing?: MissingData[] }> {
  const byId = new Map(traced.map(c => [c.id, c.missing]))
  return criteria.map(c => {
    const missing = byId.get(c.id)
    return missing ? { ...c, missing } : c
  })
}
