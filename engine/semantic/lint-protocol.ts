/**
 * Warnings, not errors: what the protocol text leaves open or inconsistent.
 * A designer sees them with line and column and decides; evaluation goes on.
 */
import type { Condition, ProtocolDocument } from '../types.ts'
import { resolveNumber } from '../compile/resolve.ts'
import { resolveLabConcept, type Dictionary } from '../dictionary/index.ts'
import type { PathSegment } from '../parse/path.ts'
import { issue, type SemanticIssue } from './issue.ts'
import { lintStaleNumbers } from './lint-numbers.ts'
import { isGroupKind, measurementThreshold, walkCondition } from '../logic/condition-model.ts'

/** Reference dates a condition tree measures windows or ages from. */
function referenceDatesIn(c: Condition, out = new Set<string>()): Set<string> {
  // windows (`before:`, `window: { at }`) may sit at any depth of a leaf: in `from`, `to`, a selector
  const windows = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const y of x) windows(y)
      return
    }
    if (typeof x !== 'object' || x === null) return
    const o = x as { before?: unknown; window?: { at?: unknown } }
    if (typeof o.before === 'string') out.add(o.before)
    if (typeof o.window?.at === 'string') out.add(o.window.at)
    Object.values(o).forEach(windows)
  }
  walkCondition(c, v => {
    if (v.kind === 'age') out.add(v.node.age.at)
    if (!isGroupKind(v.kind)) windows(v.node)
  })
  return out
}

/** Measurement leaves without a unit, with their paths: every kind's children walked, `either` alternatives included. */
function unitlessThresholds(c: Condition, at: PathSegment[], dictionary: Dictionary, out: Array<{ at: PathSegment[]; concept: string }>): void {
  walkCondition(
    c,
    v => {
      if (v.kind !== 'measurement') return
      const m = v.node.measurement
      const concept = resolveLabConcept(m.concept, dictionary)
      if (m.unit === undefined && measurementThreshold(m.value).kind === 'number' && concept?.kind !== 'score')
        out.push({ at: [...v.at, 'measurement'], concept: m.concept })
    },
    at,
  )
}

/** Week numbers named in a time frame such as "Baseline, Week 4, 8, 16, 20 and 24". */
function weeksNamed(text: string): number[] {
  const m = /weeks?\s+([\d\s,]+(?:and\s+\d+)?)/i.exec(text)
  return m ? [...m[1]!.matchAll(/\d+/g)].map(x => Number(x[0])) : []
}

/**
 * Lint a protocol that passed validation.
 *
 * @example
 * lintProtocol(doc).map((w) => w.code) // ['W_OPEN_PARAMETER', 'W_SCHEDULE_GAP', ...]
 */
export function lintProtocol(doc: ProtocolDocument, dictionary: Dictionary): SemanticIssue[] {
  const out: SemanticIssue[] = []
  const params = Object.fromEntries(Object.entries(doc.parameters ?? {}).map(([k, v]) => [k, v.value]))

  for (const [name, def] of Object.entries(doc.parameters ?? {})) {
    if (def.open) {
      out.push(
        issue(
          'W_OPEN_PARAMETER',
          ['parameters', name],
          `the registry text does not settle ${name}: ${JSON.stringify(def.value)} is assumed (see its rationale); confirm with the sponsor`,
          undefined,
          JSON.stringify(def.value),
          'warning',
        ),
      )
    }
  }

  doc.criteria.forEach((c, i) => {
    const refs = referenceDatesIn(c.logic)
    if (refs.has('screening') && refs.has('randomization')) {
      out.push(
        issue(
          'W_MIXED_REFERENCE_DATES',
          ['criteria', i, 'id'],
          `${c.id} measures windows from both screening and randomization; check that both dates are meant`,
          undefined,
          [...refs].join(' and '),
          'warning',
        ),
      )
    }
    const unitless: Array<{ at: PathSegment[]; concept: string }> = []
    unitlessThresholds(c.logic, ['criteria', i, 'logic'], dictionary, unitless)
    for (const u of unitless)
      out.push(
        issue('W_THRESHOLD_WITHOUT_UNIT', u.at, `threshold on ${u.concept} has no unit; the dictionary unit is assumed`, undefined, undefined, 'warning'),
      )
    out.push(...lintStaleNumbers(c, i, params))
  })

  // visits: a regular schedule with a missing step (weeks 4, 8, then 16)
  const visits = (doc.visits ?? [])
    .map((v, i) => ({ v, i, day: resolveNumber(v.day, params) }))
    .filter(x => x.day > 1)
    .sort((a, b) => a.day - b.day)
  const steps = visits.slice(1).map((x, k) => x.day - visits[k]!.day)
  const step = steps.length ? Math.min(...steps) : 0
  visits.slice(1).forEach((x, k) => {
    const gap = steps[k]!
    if (step > 0 && gap > step && gap % step === 0) {
      const missingDays = Array.from({ length: gap / step - 1 }, (_, j) => visits[k]!.day + step * (j + 1))
      const named = missingDays.map(d => ((d - 1) % 7 === 0 ? `week ${(d - 1) / 7} (day ${d})` : `day ${d}`)).join(', ')
      out.push(
        issue(
          'W_SCHEDULE_GAP',
          ['visits', x.i],
          `visits are every ${step} days but none is scheduled at ${named}, before ${x.v.id}`,
          undefined,
          `a ${gap}-day gap`,
          'warning',
        ),
      )
    }
  })

  // endpoints whose registry time frame names a week with no scheduled visit
  const weeksScheduled = new Set((doc.visits ?? []).map(v => (resolveNumber(v.day, params) - 1) / 7))
  ;(doc.endpoints ?? []).forEach((e, i) => {
    const missing = weeksNamed(e.time_frame ?? '').filter(w => !weeksScheduled.has(w))
    if (missing.length > 0) {
      out.push(
        issue(
          'W_VISIT_NOT_SCHEDULED',
          ['endpoints', i, 'time_frame'],
          `${e.id}'s time frame names week ${missing.join(', ')}, which no visit schedules`,
          undefined,
          missing.join(', '),
          'warning',
        ),
      )
    }
  })
  return out
}
