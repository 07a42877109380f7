/**
 * What is particular to the fast backend (what every backend must answer is
 * test/engine/backends/conformance.test.ts): closures compiled from the
 * normalised criteria, working state reused record after record, evidence
 * computed once per record and only as far as an untraced answer needs it.
 */
import { describe, expect, it } from 'vitest'
import { BACKENDS, compileProtocol, evaluatorOf, type Condition, type PatientRecord } from '../../../engine/index.ts'
import { compileFast } from '../../../engine/fast/index.ts'
import { FACTS, type EvidenceFn } from '../../../engine/evaluate/facts/registry.ts'
import { att, inclusion, patientWith, protocolWith } from '../../helpers/protocol-builder.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const nct = shippedProtocol('NCT05631717')
const compiled = compileProtocol(nct.doc)

/** The engine's facts, counting calls per attestation name. */
function countingFacts(): { facts: Record<string, EvidenceFn>; calls: Map<string, number> } {
  const calls = new Map<string, number>()
  const facts: Record<string, EvidenceFn> = {
    ...FACTS,
    attestation: (p, params, ctx) => {
      const name = String(params.name)
      calls.set(name, (calls.get(name) ?? 0) + 1)
      return FACTS.attestation!(p, params, ctx)
    },
  }
  return { facts, calls }
}

describe('the fast backend', () => {
  it('compiles every shipped protocol, criteria and "if"s alike, with nothing to refuse', () => {
    const fast = evaluatorOf(compiled, 'fast')
    expect(fast).toBe(BACKENDS.fast.evaluatorOf(compiled))
    expect(fast.screen(nct.examples!.base_patient).overall).toBe('eligible')
  })

  it('reuses its state record after record without leaking evidence between them', () => {
    const fast = compileFast(compiled)
    const eligible = nct.examples!.base_patient
    const young = { ...eligible, birth_date: '2010-01-01' }
    expect(fast.screen(eligible).overall).toBe('eligible')
    expect(fast.screen(young)).toMatchObject({ overall: 'ineligible', failing: ['IN02'] })
    expect(fast.screen(eligible).overall).toBe('eligible')
    expect(fast.evaluate(young).overall).toBe('ineligible')
    expect(fast.screen(eligible).overall).toBe('eligible')
  })

  it('lists the data still needed only when asked, and only for undecided records', () => {
    const fast = compileFast(compiled)
    const noSledai = { ...nct.examples!.base_patient, sledai_2k: [] }
    expect(fast.screen(noSledai)).not.toHaveProperty('missing')
    const v = fast.screen(noSledai, { missing: true })
    expect(v).toMatchObject({ overall: 'undetermined', undecided: ['IN03'] })
    expect(v.missing!.map(m => m.key)).toEqual(['measurement:sledai_2k_score'])
    expect(fast.screen(nct.examples!.base_patient, { missing: true }).missing).toEqual([])
  })

  describe('evidence: once per record, and untraced only as far as the answer needs', () => {
    const logic: Condition = { all: [att('a1'), { any: [att('a2'), att('a3')] }, { at_least: { n: 1, of: [att('a4'), att('a5')] } }] }
    const doc = protocolWith([inclusion(logic), { ...inclusion(att('a1'), 'IN02'), applies_if: att('a2') }])

    it.each([
      // a1 false decides `all`: nothing after it is read (IN02 still reads a1, cached, and a2 for its "if")
      { values: { a1: false }, read: { a1: 1, a2: 1 } },
      // a2 true decides `any` (a3 unread); a4 true decides at_least (a5 unread)
      { values: { a1: true, a2: true, a4: true }, read: { a1: 1, a2: 1, a4: 1 } },
      { values: { a1: true, a2: false, a3: true, a4: false, a5: true }, read: { a1: 1, a2: 1, a3: 1, a4: 1, a5: 1 } },
    ])('screen with $values reads $read', ({ values, read }) => {
      const { facts, calls } = countingFacts()
      const fast = compileFast(compileProtocol(doc), facts)
      fast.screen(patientWith(values))
      expect(Object.fromEntries(calls)).toEqual(read)
    })

    it('evaluate (explained) reads every leaf, each fact once, and agrees with screen', () => {
      const { facts, calls } = countingFacts()
      const fast = compileFast(compileProtocol(doc), facts)
      const patient: PatientRecord = patientWith({ a1: false })
      const verdict = fast.evaluate(patient)
      expect(Object.fromEntries(calls)).toEqual({ a1: 1, a2: 1, a3: 1, a4: 1, a5: 1 })
      expect(verdict.criteria[0]!.explanation.children!.map(c => c.truth)).toEqual(['not_met', 'unknown', 'unknown'])
      expect(fast.screen(patient)).toMatchObject({ overall: verdict.overall, failing: verdict.failing, undecided: verdict.undecided })
    })
  })
})
