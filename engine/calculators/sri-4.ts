/**
 * SLE Responder Index (SRI-4, and SRI-5..8 by option), three-valued.
 */
import { newBilagDomains } from './bilag-2004.ts'
import type { BilagGrades, BilagSystem } from './bilag-2004.ts'
import { roundSignificant } from './units.ts'
import { and3 } from '../evaluate/kleene.ts'

/** SRI-4 SLEDAI reduction "≥4 points": Furie RA et al., Arthritis Rheum 2009;61:1143-51. */
export const SRI_DEFAULT_SLEDAI_REDUCTION = 4

/** PGA worsening that fails, "by ≥0.3 points" on the 0-3 scale: Furie 2009. */
export const SRI_DEFAULT_PGA_WORSENING_LIMIT = 0.3

/** Relative PGA worsening that fails, "≥10 %", used only by some later protocols (not Furie 2009). */
export const SRI_DEFAULT_PGA_WORSENING_PERCENT = 10

/** New BILAG B domains allowed, "no more than 1": Furie 2009. */
const MAX_NEW_BILAG_B = 1

/** Significant digits kept when comparing PGA differences, so 0.7 − 0.4 is 0.3, not 0.29999999999999993. */
const PGA_DIGITS = 10

export interface SriInput {
  /** SLEDAI score (SELENA-SLEDAI or SLEDAI-2K, as the protocol says) at baseline. */
  sledaiBaseline?: number
  sledaiVisit?: number
  bilagBaseline?: BilagGrades
  bilagVisit?: BilagGrades
  /** Physician's Global Assessment on the 0-3 scale (not checked here). */
  pgaBaseline?: number
  pgaVisit?: number
}

export interface SriOptions {
  /** SLEDAI reduction needed: 4 for SRI-4 (default), 5..8 for SRI-5..8. */
  reduction?: number
  /** Absolute PGA worsening (visit − baseline) that fails; default 0.3 (Furie 2009). */
  pgaWorseningLimit?: number
  /**
   * `'absolute'` (default, Furie 2009): fails when visit − baseline ≥
   * `pgaWorseningLimit`. `'relative_percent'`: fails when
   * (visit − baseline) / baseline × 100 ≥ `pgaWorseningPercent`.
   */
  pgaWorseningMode?: 'absolute' | 'relative_percent'
  /** Relative worsening (percent of baseline) that fails in `'relative_percent'` mode; default 10. */
  pgaWorseningPercent?: number
}

export interface SriResult {
  /** Kleene AND of the three components: `false` if any is false, else `undefined` if any is unknown. */
  responder: boolean | undefined
  components: {
    /** `reduction` = baseline − visit; `undefined` when either score is missing. */
    sledai: { reduction: number | undefined; met: boolean | undefined }
    /** `met` is decided when no unknown system could change it. */
    bilag: { newA: BilagSystem[]; newB: BilagSystem[]; unknown: BilagSystem[]; met: boolean | undefined }
    /** `change` = visit − baseline (positive is worse); `undefined` when either is missing. */
    pga: { change: number | undefined; met: boolean | undefined }
  }
}

const DEFAULTS: Required<SriOptions> = {
  reduction: SRI_DEFAULT_SLEDAI_REDUCTION,
  pgaWorseningLimit: SRI_DEFAULT_PGA_WORSENING_LIMIT,
  pgaWorseningMode: 'absolute',
  pgaWorseningPercent: SRI_DEFAULT_PGA_WORSENING_PERCENT,
}

/**
 * SLE Responder Index versus baseline (Furie 2009): a
 * responder has (1) a SLEDAI reduction ≥ 4, (2) no new BILAG A and at most
 * 1 new BILAG B domain ({@link newBilagDomains}), and (3) no PGA worsening
 * ≥ 0.3 points. Any input may be missing; its component is then unknown
 * unless decided anyway, and `responder` is the three-valued AND.
 *
 * @param input scores at baseline and at the visit
 * @param options reduction (SRI-4..8) and the PGA worsening rule
 * @example
 * sriResponse({ sledaiBaseline: 10, sledaiVisit: 6, bilagBaseline: {}, bilagVisit: {}, pgaBaseline: 1, pgaVisit: 1 }).responder
 * // undefined: BILAG not recorded
 * @example sriResponse({ sledaiBaseline: 10, sledaiVisit: 7 }).responder // false: reduction 3 < 4
 */
export function sriResponse(input: SriInput, options: SriOptions = {}): SriResult {
  const opts = { ...DEFAULTS, ...definedOnly(options) }
  const sledai = sledaiComponent(input.sledaiBaseline, input.sledaiVisit, opts.reduction)
  const bilag = bilagComponent(input.bilagBaseline ?? {}, input.bilagVisit ?? {})
  const pga = pgaComponent(input.pgaBaseline, input.pgaVisit, opts)
  return { responder: and3(sledai.met, bilag.met, pga.met), components: { sledai, bilag, pga } }
}

function sledaiComponent(baseline: number | undefined, visit: number | undefined, needed: number) {
  if (!isNumber(baseline) || !isNumber(visit)) return { reduction: undefined, met: undefined }
  const reduction = baseline - visit
  return { reduction, met: reduction >= needed }
}

function bilagComponent(baseline: BilagGrades, visit: BilagGrades) {
  const { newA, newB, unknown } = newBilagDomains(baseline, visit)
  if (newA.length > 0 || newB.length > MAX_NEW_BILAG_B) return { newA, newB, unknown, met: false }
  // Worst case: an unknown system graded B at the visit can only be a new B;
  // any other unknown system (visit A or ungraded) could be a new A.
  const couldFail = unknown.some(s => visit[s] !== 'B') || newB.length + unknown.length > MAX_NEW_BILAG_B
  return { newA, newB, unknown, met: couldFail ? undefined : true }
}

function pgaComponent(baseline: number | undefined, visit: number | undefined, opts: Required<SriOptions>) {
  if (!isNumber(baseline) || !isNumber(visit)) return { change: undefined, met: undefined }
  const change = roundSignificant(visit - baseline, PGA_DIGITS)
  if (opts.pgaWorseningMode === 'absolute') return { change, met: change < opts.pgaWorseningLimit }
  // From a baseline of 0 any rise is an infinite relative worsening; no change is none.
  if (baseline === 0) return { change, met: change <= 0 }
  const percent = roundSignificant((change / baseline) * 100, PGA_DIGITS)
  return { change, met: percent < opts.pgaWorseningPercent }
}

function isNumber(x: number | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x)
}

/** Drops `undefined` options so that `{ reduction: undefined }` keeps the default. */
function definedOnly(options: SriOptions): SriOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SriOptions
}
