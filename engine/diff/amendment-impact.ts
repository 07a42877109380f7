/**
 * The impact of an amendment on patients already screened: each stored
 * record is evaluated under the old and the new version, and the patients
 * whose verdict changes are listed with the criteria that changed and why.
 * Both sides are re-evaluated (rather than trusting the logged verdict) so
 * a difference is the amendment's, not an older engine's.
 */
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { evaluateEligibility } from '../backends/index.ts'
import type { CriterionResult, Overall, PatientRecord, Verdict } from '../types.ts'
import { diffProtocols, type ProtocolDiff } from './diff-protocols.ts'
import { screeningFlowOf, type ScreeningFlow } from '../screening/funnel.ts'

/** A screened patient: the caller's key (screening-log id, subject code…) and the record that was evaluated. */
export interface ScreenedPatient<K = string> {
  key: K
  patient: PatientRecord
}

export interface CriterionShift {
  id: string
  title: string
  /** Outcome for eligibility under each version; `absent` when the criterion does not exist in that version. */
  before: CriterionResult['outcome'] | 'absent'
  after: CriterionResult['outcome'] | 'absent'
  /** The new version's one-line reason (or the old one's when the criterion was removed). */
  reason: string
}

export interface VerdictChange<K = string> {
  key: K
  before: { overall: Overall; failing: string[] }
  after: { overall: Overall; failing: string[] }
  /** Criteria whose outcome differs, in the new version's order, removed ones last. */
  criteria: CriterionShift[]
}

export interface AmendmentImpact<K = string> {
  diff: ProtocolDiff
  /** Patients re-evaluated. */
  evaluated: number
  /** Of those, how many keep their overall verdict (their criteria may still shift). */
  unchanged: number
  /** Patients whose overall verdict changes. */
  changed: Array<VerdictChange<K>>
  /** Patients whose overall verdict holds but some criterion's outcome moved (e.g. failing for another reason). */
  shifted: Array<VerdictChange<K>>
  /** Overall verdict counts under each version: rows before, columns after. */
  transitions: Record<Overall, Record<Overall, number>>
  /** The CONSORT-style screening flow of the same patients under each version (its own criteria, in its order). */
  flows: { before: ScreeningFlow; after: ScreeningFlow }
}

const OVERALLS: Overall[] = ['eligible', 'undetermined', 'ineligible']

function shifts(before: CriterionResult[], after: CriterionResult[]): CriterionShift[] {
  const old = new Map(before.map(c => [c.id, c]))
  const now = new Set(after.map(c => c.id))
  const out: CriterionShift[] = []
  for (const c of after) {
    const was = old.get(c.id)
    if (was?.outcome === c.outcome) continue
    out.push({ id: c.id, title: c.title ?? c.text, before: was?.outcome ?? 'absent', after: c.outcome, reason: c.reason })
  }
  for (const c of before) if (!now.has(c.id)) out.push({ id: c.id, title: c.title ?? c.text, before: c.outcome, after: 'absent', reason: c.reason })
  return out
}

/**
 * Re-evaluate screened patients under two versions of a protocol.
 *
 * @example
 * const impact = await amendmentImpact(compileProtocol(v1), compileProtocol(v2), [{ key: 'E17', patient }])
 * impact.changed // [{ key: 'E17', before: { overall: 'eligible' … }, after: { overall: 'ineligible', failing: ['IN04'] }, criteria: [...] }]
 */
export async function amendmentImpact<K>(from: CompiledProtocol, to: CompiledProtocol, screened: Array<ScreenedPatient<K>>): Promise<AmendmentImpact<K>> {
  const transitions = Object.fromEntries(OVERALLS.map(a => [a, Object.fromEntries(OVERALLS.map(b => [b, 0]))])) as AmendmentImpact['transitions']
  const changed: Array<VerdictChange<K>> = []
  const shifted: Array<VerdictChange<K>> = []
  const verdicts: { before: Verdict[]; after: Verdict[] } = { before: [], after: [] }
  for (const { key, patient } of screened) {
    const before = await evaluateEligibility(from, patient)
    const after = await evaluateEligibility(to, patient)
    verdicts.before.push(before)
    verdicts.after.push(after)
    transitions[before.overall][after.overall]++
    const criteria = shifts(before.criteria, after.criteria)
    if (!criteria.length && before.overall === after.overall) continue
    const change = { key, before: { overall: before.overall, failing: before.failing }, after: { overall: after.overall, failing: after.failing }, criteria }
    ;(before.overall === after.overall ? shifted : changed).push(change)
  }
  return {
    diff: diffProtocols(from.document, to.document),
    evaluated: screened.length,
    unchanged: screened.length - changed.length,
    changed,
    shifted,
    transitions,
    flows: { before: screeningFlowOf(from.criteria, verdicts.before), after: screeningFlowOf(to.criteria, verdicts.after) },
  }
}
