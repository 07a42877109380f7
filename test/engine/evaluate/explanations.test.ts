import { describe, expect, it } from 'vitest'
import { compileProtocol, evaluateEligibility, examplePatient, applyMergePatch, type PatientRecord } from '../../../engine/index.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const p = shippedProtocol('NCT05631717')
const compiled = compileProtocol(p.doc)
const base = examplePatient(p.examples!, 'eligible-baseline')
const withPatch = (patch: Record<string, unknown>) => applyMergePatch(base, patch) as PatientRecord
const criterion = async (patient: PatientRecord, id: string) => (await evaluateEligibility(compiled, patient)).criteria.find(c => c.id === id)!

describe('explanations a clinician can check', () => {
  it('shows the value used, converted to the protocol unit, with its date and what was entered', async () => {
    const c = await criterion(
      withPatch({ measurements: [{ concept: 'urine_protein_creatinine_ratio', value: 158, unit: 'mg/mmol', date: '2026-01-04' }] }),
      'IN04',
    )
    expect(c.truth).toBe('met')
    const upcr = c.explanation.children![0]!
    expect(upcr).toMatchObject({ truth: 'met', kind: 'leaf' })
    expect(upcr.label).toBe('Urine protein/creatinine ratio > 1 g/g (latest, within 28 days before screening)')
    expect(upcr.detail).toBe('1.397 g/g on 2026-01-04 (158 mg/mmol)')
  })

  it('names the window with its dates', async () => {
    const c = await criterion(base, 'EX01a')
    expect(c.explanation.detail).toContain('within 24 weeks before screening (2025-07-21 to 2026-01-05)')
  })

  it('lists exactly the data still needed for an unknown criterion', async () => {
    const verdict = await evaluateEligibility(compiled, withPatch({ measurements: [] }))
    expect(verdict.overall).toBe('undetermined')
    expect(verdict.undecided).toEqual(['IN04'])
    expect(verdict.missing.map(m => m.key)).toEqual(['measurement:urine_protein_creatinine_ratio', 'measurement:urine_protein_24h'])
    expect(verdict.missing[0]!.description).toBe('Urine protein/creatinine ratio within 28 days before screening (2025-12-08 to 2026-01-05)')
  })

  it('does not ask for data a decided criterion does not need', async () => {
    // UPCR above the threshold decides IN04: the 24-h protein is not requested
    const verdict = await evaluateEligibility(compiled, base)
    expect(verdict.missing).toEqual([])
  })

  it('names the failing criteria of an ineligible patient, with the matching record', async () => {
    const verdict = await evaluateEligibility(compiled, withPatch({ medications: [{ drug: 'rituximab', start: '2025-09-01', stop: '2025-09-15' }] }))
    expect(verdict).toMatchObject({ overall: 'ineligible', failing: ['EX01a'] })
    const ex = verdict.criteria.find(c => c.id === 'EX01a')!
    expect(ex).toMatchObject({ truth: 'met', outcome: 'fail' })
    expect(ex.reason).toContain('found: rituximab (2025-09-01 to 2025-09-15)')
  })

  it('explains an entry that may match, and asks to resolve it', async () => {
    const verdict = await evaluateEligibility(compiled, withPatch({ medications: [{ drug: 'Zyxorabimab', start: '2025-12-01', ongoing: true }] }))
    const ex = verdict.criteria.find(c => c.id === 'EX01c')!
    expect(ex.truth).toBe('unknown')
    expect(ex.missing[0]).toMatchObject({ key: 'medications[0]' })
    expect(ex.missing[0]!.description).toContain('"Zyxorabimab" is not in the drugs dictionary')
    expect(verdict.warnings).toEqual(['medications[0]: "Zyxorabimab" is not in the drugs dictionary; criteria it may affect stay unknown'])
  })

  it('marks a criterion that does not apply, with the reason', async () => {
    const c = await criterion(withPatch({ sex: 'male' }), 'IN06')
    expect(c).toMatchObject({ truth: 'met', applicable: 'not_met', outcome: 'pass' })
    expect(c.reason).toMatch(/^not applicable/)
  })

  it('scores SLEDAI-2K from descriptors and shows the bounds when some are unrecorded', async () => {
    const c = await criterion(withPatch({ sledai_2k: [{ date: '2026-01-03', descriptors: { proteinuria: true, hematuria: false } }] }), 'IN03')
    expect(c.truth).toBe('unknown')
    expect(c.explanation.detail).toMatch(/^4–101 on 2026-01-03 \(scored from descriptors: 4–101 \(22 descriptors not recorded/)
  })

  it.each(['reference', 'fast'] as const)(
    '%s: gives the same verdicts when many patients are evaluated at once (no shared state between runs)',
    async backend => {
      const ids = p.examples!.examples.map(e => e.id)
      const sequential = []
      for (const id of ids) sequential.push((await evaluateEligibility(compiled, examplePatient(p.examples!, id), { backend })).overall)
      const concurrent = await Promise.all(ids.map(async id => (await evaluateEligibility(compiled, examplePatient(p.examples!, id), { backend })).overall))
      expect(concurrent).toEqual(sequential)
      expect(new Set(sequential).size).toBe(3) // eligible, ineligible and undetermined among them
    },
  )
})
