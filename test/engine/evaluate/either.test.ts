import { describe, expect, it } from 'vitest'
import { compileProtocol, evaluateEligibility, loadProtocol, type Condition, type PatientRecord } from '../../../engine/index.ts'
import { stringify } from 'yaml'
import { inclusion, protocolWith } from '../../helpers/protocol-builder.ts'

// `either`: alternative data paths for one quantity. Decided on whatever was measured.
// Its truth table runs against both backends in test/engine/backends/conformance.test.ts;
// here: its explanation, how it differs from `any`, and the shapes the schema refuses.
const upcr = (value: number): Condition => ({
  measurement: { concept: 'urine_protein_creatinine_ratio', op: '<', value, unit: 'g/g', window: { days: 28, before: 'screening' } },
})
const protein24h = (value: number): Condition => ({
  measurement: { concept: 'urine_protein_24h', op: '<', value, unit: 'g/(24.h)', window: { days: 28, before: 'screening' } },
})
const compiled = compileProtocol(protocolWith([inclusion({ either: [upcr(0.5), protein24h(0.5)] })]))

function patient(values: { upcr?: number; p24?: number }): PatientRecord {
  const measurements = [
    ...(values.upcr !== undefined ? [{ concept: 'urine_protein_creatinine_ratio', value: values.upcr, unit: 'g/g', date: '2026-01-05' }] : []),
    ...(values.p24 !== undefined ? [{ concept: 'urine_protein_24h', value: values.p24, unit: 'g/(24.h)', date: '2026-01-05' }] : []),
  ]
  return { dates: { screening: '2026-01-05' }, measurements }
}

describe('either (alternative data paths)', () => {
  it('explains which path decided and asks for either when none was measured', async () => {
    const decided = await evaluateEligibility(compiled, patient({ upcr: 0.5 }))
    expect(decided.criteria[0]!.explanation).toMatchObject({
      kind: 'either',
      truth: 'not_met',
      detail: '1 alternative(s) not measured; decided on the measured one(s)',
    })
    const open = await evaluateEligibility(compiled, patient({}))
    expect(open.missing.map(m => m.key)).toEqual(['measurement:urine_protein_creatinine_ratio', 'measurement:urine_protein_24h'])
  })

  it('differs from any, which stays unknown while a path is unmeasured', async () => {
    const strict = compileProtocol(protocolWith([inclusion({ any: [upcr(0.5), protein24h(0.5)] })]))
    expect((await evaluateEligibility(strict, patient({ upcr: 0.5 }))).criteria[0]!.truth).toBe('unknown')
  })

  it('rejects a negated either and non-leaf alternatives, located', () => {
    const doc = protocolWith([
      inclusion({ not: { either: [upcr(0.5), protein24h(0.5)] } }),
      inclusion({ either: [upcr(0.5), { all: [protein24h(0.5)] }] }, 'IN02'),
    ])
    expect(loadProtocol(stringify(doc)).diagnostics.map(d => [d.code, d.path])).toEqual([
      ['E_SCHEMA_SHAPE', 'criteria[0].logic.not'],
      ['E_SCHEMA_SHAPE', 'criteria[1].logic.either[1]'],
    ])
  })
})
