/**
 * What-if on the seed protocol: the numbers a designer may move are found
 * in each criterion (thresholds, windows, numeric parameters), edits apply
 * to a copy, and the screened patients' verdicts move as the edit says, on
 * both sides of the moved threshold.
 */
import { describe, expect, it } from 'vitest'
import { compileProtocol, examplePatient, loadProtocol, type PatientRecord } from '../../../engine/index.ts'
import { applyWhatIf, applyWhatIfToYaml, whatIfImpact, whatIfKnobs, WhatIfError } from '../../../engine/whatif/index.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../../helpers/protocols.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const seed = shippedProtocol('NCT05631717')
const doc = seed.doc
const compiled = compileProtocol(doc)
const knobs = whatIfKnobs(doc)
const base = examplePatient(seed.examples!, 'eligible-baseline')
/** The eligible example patient with a UPCR of `upcr` g/g and a 24-h protein of 0.5 g. */
const withUpcr = (id: string, upcr: number): PatientRecord => ({
  ...base,
  id,
  measurements: [
    ...(base.measurements ?? []).filter(m => m.concept !== 'urine_protein_creatinine_ratio'),
    { concept: 'urine_protein_creatinine_ratio', value: upcr, unit: 'g/g', date: '2026-01-04' },
    // the 24-hour protein is measured too, under its own threshold, so IN04 is decided by the ratio
    { concept: 'urine_protein_24h', value: 0.5, unit: 'g/(24.h)', date: '2026-01-04' },
  ],
})
const knob = (criterion: string, label: RegExp) => knobs.criteria.find(c => c.id === criterion)!.knobs.find(k => label.test(k.label))!

describe('whatIfKnobs', () => {
  it("finds each criterion's thresholds and windows with their values, and the numeric parameters it reads", () => {
    const in04 = knobs.criteria.find(c => c.id === 'IN04')!
    expect(in04.knobs.map(k => [k.kind, k.label, k.value])).toEqual([
      ['threshold', 'urine_protein_creatinine_ratio > 1 g/g', 1],
      ['threshold', 'urine_protein_24h > 1 g/(24.h)', 1],
    ])
    expect(in04.parameters).toEqual(['screening_lookback_days'])
    expect(knob('EX01a', /weeks/)).toMatchObject({ kind: 'window', value: 24, label: 'medication b_cell_depletion_therapy: 24 weeks before screening' })
    expect(knobs.criteria.find(c => c.id === 'IN02')!.knobs.map(k => k.label)).toEqual(['age > 18 years', 'age <= 65 years'])
    const lookback = knobs.parameters.find(p => p.name === 'screening_lookback_days')!
    expect(lookback.path).toEqual(['parameters', 'screening_lookback_days', 'value'])
    expect(lookback.usedBy).toEqual(expect.arrayContaining(['IN03', 'IN04']))
    // a parameter that is not a number (the eGFR equation) is no knob
    expect(knobs.parameters.some(p => p.name === 'egfr_equation')).toBe(false)
  })
})

describe('applyWhatIf', () => {
  it('moves a threshold and switches a criterion off on a copy; refuses what is not a knob', () => {
    const upcr = knob('IN04', /urine_protein_creatinine_ratio/)
    const edited = applyWhatIf(doc, { values: [{ path: upcr.path, value: 0.8 }], disabled: ['EX01a'] })
    expect(whatIfKnobs(edited).criteria.find(c => c.id === 'IN04')!.knobs[0]!.value).toBe(0.8)
    expect(edited.criteria.map(c => c.id)).not.toContain('EX01a')
    expect(knob('IN04', /urine_protein_creatinine_ratio/).value).toBe(1)
    expect(doc.criteria.map(c => c.id)).toContain('EX01a')
    expect(() => applyWhatIf(doc, { disabled: ['IN99'] })).toThrow(WhatIfError)
    expect(() => applyWhatIf(doc, { values: [{ path: ['protocol', 'target_enrollment'], value: 10 }] })).toThrow(/not a threshold, window or numeric parameter/)
    expect(() => applyWhatIf(doc, { values: [{ path: upcr.path, value: Number.NaN }] })).toThrow(/is not a number/)
  })
})

describe('whatIfImpact', () => {
  const screened = [0.7, 0.8, 0.9, 1.0, 1.1].map(v => ({ key: `upcr ${v}`, patient: withUpcr(`upcr-${v}`, v) }))

  it('UPCR > 1.0 moved to > 0.8: 0.9 and 1.0 g/g now pass IN04, 0.8 (on the threshold) and below still fail, 1.1 passed already', async () => {
    const upcr = knob('IN04', /urine_protein_creatinine_ratio/)
    const { impact, document } = await whatIfImpact(compiled, { values: [{ path: upcr.path, value: 0.8 }] }, screened)
    expect(document.criteria.find(c => c.id === 'IN04')).toBeDefined()
    expect(impact.changed.map(c => [c.key, c.before.overall, c.after.overall])).toEqual([
      ['upcr 0.9', 'ineligible', 'eligible'],
      ['upcr 1', 'ineligible', 'eligible'],
    ])
    const in04 = (flow: typeof impact.flows.before) => flow.steps.find(s => s.criterion === 'IN04')!
    expect([in04(impact.flows.before).excluded, in04(impact.flows.after).excluded]).toEqual([4, 2])
    expect(impact.flows.after.eligible).toBe(3)
  })

  it('IN04 switched off: every one of them passes, and the flow no longer has the step', async () => {
    const { impact } = await whatIfImpact(compiled, { disabled: ['IN04'] }, screened)
    expect(impact.changed).toHaveLength(4)
    expect(impact.flows.after.steps.map(s => s.criterion)).not.toContain('IN04')
    expect(impact.flows.after.eligible).toBe(5)
  })

  it('an edit that breaks the protocol is said, not thrown as a crash', async () => {
    const weeks = knob('EX01a', /weeks/)
    await expect(whatIfImpact(compiled, { values: [{ path: weeks.path, value: -3 }] }, screened)).rejects.toThrow(WhatIfError)
  })
})

describe('applyWhatIfToYaml', () => {
  const text = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')

  it("writes only the moved numbers and drops the switched-off criteria, keeping the file's comments; the text parses to applyWhatIf's document", () => {
    const upcr = knob('IN04', /urine_protein_creatinine_ratio/)
    const weeks = knob('EX01a', /weeks/)
    const edits = {
      values: [
        { path: upcr.path, value: 0.8 },
        { path: weeks.path, value: 12 },
      ],
      disabled: ['EX02'],
    }
    const out = applyWhatIfToYaml(text, edits)
    expect(loadProtocol(out, { file: 'what-if.yaml' }).value).toEqual(applyWhatIf(doc, edits))
    // every other byte is the original's: before EX02 the lines that differ are the two moved numbers; EX02's lines are gone
    const before = text.split('\n')
    const after = out.split('\n')
    const differ = before.flatMap((l, i) => (after[i] !== l && i < before.findIndex(x => x.includes('- id: EX02')) ? [[l.trim(), after[i]!.trim()]] : []))
    expect(differ).toEqual([
      ['value: 1.0', 'value: 0.8'],
      ['window: { weeks: 24, before: screening }', 'window: { weeks: 12, before: screening }'],
    ])
    const ex02 = before.findIndex(l => l.includes('- id: EX02'))
    const ex03 = before.findIndex(l => l.includes('- id: EX03'))
    expect(after.length).toBe(before.length - (ex03 - ex02))
    expect(after.slice(ex02)).toEqual(before.slice(ex03))
    expect(out).not.toMatch(/id: EX02\b/)
    expect(() => applyWhatIfToYaml(text, { values: [{ path: ['criteria', 99, 'logic'], value: 1 }] })).toThrow(/not a number in the protocol's YAML/)
  })
})
