/**
 * The fast backend gives json-rules-engine's answers: for every shipped
 * protocol, random records (example patients with values on and around the
 * protocol's thresholds, unit variants, missing sections, dates, items and
 * fields) get the same per-criterion truth, applicability and outcome, the
 * same overall verdict, failing, undecided and missing lists on both paths,
 * and the traced fast verdict equals the reference verdict field for field
 * (explanations included). `npm run bench` runs ≥ 100 000 records.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compileFast } from '../../../engine/fast/index.ts'
import { compileProtocol, evaluateEligibility, validateAgainstSchema, type PatientRecord, type Verdict } from '../../../engine/index.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'
import { patientArb, perturbModel } from './perturb.ts'

const protocols = shippedProtocols()
// about 1 200 records in all, at least 150 per protocol, so the file stays well under a minute on two cores
const RUNS = Number(process.env.FAST_EQUIVALENCE_RUNS ?? Math.max(150, Math.ceil(1200 / protocols.length)))

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string }
async function settle<T>(fn: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
}

function summary(v: Verdict) {
  return {
    overall: v.overall,
    failing: v.failing,
    undecided: v.undecided,
    missing: v.missing,
    criteria: v.criteria.map(c => ({ id: c.id, kind: c.kind, truth: c.truth, applicable: c.applicable, outcome: c.outcome })),
  }
}

describe.each(protocols.map(p => ({ name: p.file, p })))('fast path = json-rules-engine on $name', ({ p }) => {
  const compiled = compileProtocol(p.doc)
  const fast = compileFast(compiled)
  const model = perturbModel(p.doc, p.examples, compiled)

  it('the generator reaches every outcome of every criterion it can', async () => {
    // a weak generator would make the equivalence below vacuous: check it moves verdicts around
    const seen = new Map<string, Set<string>>()
    for (const r of fc.sample(patientArb(model), { numRuns: 300, seed: 7 })) {
      // a mutation may drop a field the schema requires (screening validates first); such records can throw
      const v = await settle(() => fast.screen(r))
      for (const c of v.ok ? v.value.criteria : []) {
        const s = seen.get(c.id) ?? new Set()
        s.add(c.outcome)
        seen.set(c.id, s)
      }
    }
    const varied = [...seen.values()].filter(s => s.size > 1).length
    expect(varied).toBeGreaterThanOrEqual(Math.ceil(seen.size / 2))
  }, 60_000)

  it(`${RUNS} random records: same per-criterion outcomes, verdict, missing data and explanations`, async () => {
    await fc.assert(
      fc.asyncProperty(patientArb(model), async (record: PatientRecord) => {
        const ref = await settle(() => evaluateEligibility(compiled, record, { backend: 'reference' }))
        const got = await settle(() => fast.screen(record, { missing: true }))
        const full = await settle(() => fast.evaluate(record))
        // screening validates records first; a record the schema rejects (a measurement without a value...) may
        // throw on one path and not the other, since the fast path short-circuits: when both answer, they agree
        const valid = !validateAgainstSchema('patient', record, undefined).some(d => d.severity === 'error')
        if (valid) expect(got.ok, `reference ${ref.ok ? 'answered' : `threw ${ref.error}`}, fast ${got.ok ? 'answered' : `threw ${got.error}`}`).toBe(ref.ok)
        if (!ref.ok || !got.ok) return
        expect(full.ok).toBe(true)
        if (!full.ok) return
        const want = summary(ref.value)
        expect({ ...got.value, patient_id: undefined }).toEqual({ ...want, patient_id: undefined })
        expect(full.value).toEqual(ref.value)
      }),
      { numRuns: RUNS, seed: Number(process.env.FAST_EQUIVALENCE_SEED ?? 20261125) },
    )
  }, 120_000)
})
