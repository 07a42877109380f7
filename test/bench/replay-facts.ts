/**
 * A fact table that computes each record's evidence once and then replays
 * it, for timing the rule machinery alone: json-rules-engine's promises and
 * almanac against the fast path's closures, with the clinical facts (unit
 * conversion, windows, dictionary look-ups) taken out of both. The issue's
 * "≥ 200× json-rules-engine" compares machinery; with our facts included the
 * ratio is bounded by what the facts cost, and this shows by how much.
 */
import type { EvidenceFn } from '../../engine/evaluate/facts/registry.ts'
import { FACTS } from '../../engine/evaluate/facts/registry.ts'
import type { Evidence } from '../../engine/evaluate/evidence.ts'
import type { PatientRecord } from '../../engine/index.ts'

/**
 * How a path's fact calls are told apart: the fast path passes the same
 * params objects every time (`object`); json-rules-engine deep-copies a rule's
 * conditions, params included, for every run (`content`, as its own evidence
 * cache keys them).
 */
export type ReplayKey = 'object' | 'content'

/** One record's evidence: by key, and (`object` only) in the order its first evaluation asked for it. */
interface RecordEvidence {
  byKey: Map<unknown, Evidence>
  order: Array<{ params: unknown; evidence: Evidence }>
  /** Still being evaluated for the first time: calls are appended to `order`. */
  recording: boolean
}

/**
 * @returns a fact table for compileFast / buildEnginePair; a record's first
 * evaluation computes (and remembers) its evidence, every later one replays it.
 * With `object` keys a replay follows the first evaluation's order: the same
 * evidence makes the closures ask for the same leaves in the same order, so
 * each call is an identity check and a step of a cursor, and the harness adds
 * next to nothing to the machinery it times. A call off that order (a record
 * evaluated another way) is answered by key, as with `content` keys.
 */
export function replayingFacts(keyBy: ReplayKey): Record<string, EvidenceFn> {
  const byRecord = new WeakMap<PatientRecord, RecordEvidence>()
  let current: PatientRecord | undefined
  let entry: RecordEvidence = { byKey: new Map(), order: [], recording: false }
  let cursor = 0
  const table: Record<string, EvidenceFn> = {}
  for (const [id, fn] of Object.entries(FACTS)) {
    table[id] = (patient, params, ctx) => {
      if (patient !== current) {
        entry.recording = false
        current = patient
        let next = byRecord.get(patient)
        if (!next) byRecord.set(patient, (next = { byKey: new Map(), order: [], recording: keyBy === 'object' }))
        entry = next
        cursor = 0
      }
      const step = entry.order[cursor]
      if (step !== undefined && step.params === params) {
        cursor++
        return step.evidence
      }
      const key = keyBy === 'object' ? params : `${id}:${JSON.stringify(params)}`
      let ev = entry.byKey.get(key)
      if (ev === undefined) entry.byKey.set(key, (ev = fn(patient, params, ctx)))
      if (entry.recording) cursor = entry.order.push({ params, evidence: ev })
      return ev
    }
  }
  return table
}

/** A fact leaf of the compiled rules: fact id and params, each distinct one once (as both paths cache evidence). */
export interface FactLeaf {
  fact: string
  params: Record<string, unknown>
}

/** Every distinct fact leaf (counters aside) of a compiled protocol's eligibility rules. */
export function factLeaves(compiled: { rules: Array<{ conditions: unknown }> }): FactLeaf[] {
  const leaves = new Map<string, FactLeaf>()
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x)
      return
    }
    if (node === null || typeof node !== 'object') return
    const n = node as Record<string, unknown>
    if (typeof n.fact === 'string' && Object.hasOwn(FACTS, n.fact)) {
      const params = (n.params ?? {}) as Record<string, unknown>
      leaves.set(`${n.fact}:${JSON.stringify(params)}`, { fact: n.fact, params })
    }
    for (const k of ['all', 'any', 'not', 'value']) if (k in n) walk(n[k])
  }
  for (const r of compiled.rules) walk(r.conditions)
  return [...leaves.values()]
}
