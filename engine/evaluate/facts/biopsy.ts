/**
 * The `biopsy` fact: the latest kidney biopsy in a window, its ISN/RPS 2003
 * classes (does it show one of the wanted classes?) or a numeric finding
 * (percentage of sclerosed glomeruli, NIH activity or chronicity index).
 */
import type { BiopsyFinding, IsnRpsActivity, KidneyBiopsyRecord, PatientRecord } from '../../types.ts'
import type { ResolvedWindow } from '../../compile/ir.ts'
import { parseIsoDate } from '../../calculators/dates.ts'
import { known, unknown, type Evidence } from '../evidence.ts'
import { placeWindow, type FactContext } from './context.ts'

export interface BiopsyParams {
  window: ResolvedWindow
  /** Wanted classes: met when the biopsy shows one of them (with `only`: shows nothing else). */
  classes?: string[]
  only?: boolean
  /** Activities (A, A/C, C) a class III or IV lesion must have; see {@link activityHolds}. */
  activity?: IsnRpsActivity[]
  finding?: BiopsyFinding
}

/** A protocol class matches a recorded one of the same class: `IV` matches `IV-S` and `IV-G`; `IV-S` only `IV-S`. */
export function classMatches(wanted: string, recorded: string): boolean {
  return recorded === wanted || recorded.startsWith(`${wanted}-`)
}

/** The proliferative classes the ISN/RPS 2003 activity qualifier (A, A/C, C) applies to. */
const PROLIFERATIVE = ['III', 'IV']

function describeBiopsy(b: KidneyBiopsyRecord): string {
  const activity = b.activity ? ` (${b.activity})` : ''
  return `kidney biopsy of ${b.date}${b.classes ? `: class ${b.classes.join(' + ')}${activity}` : ''}`
}

export function biopsyEvidence(patient: PatientRecord, params: BiopsyParams, ctx: FactContext): Evidence {
  const window = placeWindow(params.window, patient, ctx)
  const need = { key: 'kidney_biopsies', description: `kidney biopsy ${window.text}` }
  if (window.kind === 'missing') return unknown(`no ${window.missing.description}, so the window cannot be placed`, [window.missing])
  if (!patient.kidney_biopsies) return unknown('no kidney biopsy recorded', [need])
  const inWindow = patient.kidney_biopsies
    .map((b, i) => ({ b, i, day: parseIsoDate(b.date) }))
    .filter((x): x is typeof x & { day: number } => x.day !== undefined)
    .filter(x => window.kind !== 'range' || (x.day >= window.start && x.day <= window.end))
  if (inWindow.length === 0) return unknown(`no kidney biopsy ${window.text}`, [need])
  // the latest biopsy is the current state of the kidney; same date: the one listed last
  const latest = inWindow.reduce((a, b) => (b.day >= a.day ? b : a)).b
  if (params.finding) {
    const value = latest[params.finding]
    const name = params.finding.replaceAll('_', ' ')
    if (value === undefined) {
      return unknown(`${describeBiopsy(latest)}: ${name} not reported`, [
        { key: `kidney_biopsies.${params.finding}`, description: `${name} of the kidney biopsy of ${latest.date}` },
      ])
    }
    return known(value, `${describeBiopsy(latest)}: ${name} ${value}`)
  }
  if (!latest.classes || latest.classes.length === 0) {
    return unknown(`${describeBiopsy(latest)}: ISN/RPS class not reported`, [
      { key: 'kidney_biopsies.classes', description: `ISN/RPS 2003 class of the kidney biopsy of ${latest.date}` },
    ])
  }
  const wanted = params.classes ?? []
  const shown = latest.classes
  const some = shown.some(c => wanted.some(w => classMatches(w, c)))
  const onlyWanted = shown.every(c => wanted.some(w => classMatches(w, c)))
  const holds = params.only ? some && onlyWanted : some
  if (!holds || !params.activity) return known(holds, `${describeBiopsy(latest)} (${window.text})`)
  return activityHolds(latest, params.activity, window.text)
}

/**
 * A biopsy whose classes match, checked for the activity of its class III or
 * IV lesions: a purely chronic III(C) or IV(C) is not active lupus nephritis.
 * A biopsy without class III or IV (pure V) has no such qualifier and passes.
 */
function activityHolds(biopsy: KidneyBiopsyRecord, wanted: IsnRpsActivity[], windowText: string): Evidence {
  const proliferative = (biopsy.classes ?? []).some(c => PROLIFERATIVE.some(p => classMatches(p, c)))
  if (!proliferative) return known(true, `${describeBiopsy(biopsy)} (${windowText}): no class III or IV lesion, so activity does not apply`)
  if (biopsy.activity === undefined) {
    return unknown(`${describeBiopsy(biopsy)}: activity of the class III/IV lesions (A, A/C or C) not reported`, [
      { key: 'kidney_biopsies.activity', description: `ISN/RPS 2003 activity (A, A/C or C) of the kidney biopsy of ${biopsy.date}` },
    ])
  }
  return known(wanted.includes(biopsy.activity), `${describeBiopsy(biopsy)} (${windowText}); wanted activity ${wanted.join(' or ')}`)
}
