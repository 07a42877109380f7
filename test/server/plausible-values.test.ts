import { describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { caller, expectProblem, testApp } from './helpers.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!
const eligible = () => examplePatient(examples, 'eligible-baseline')
const withMeasurement = <T extends { measurements?: unknown[] }>(record: T, m: { concept: string; value: number; unit: string }) => ({
  ...record,
  measurements: [...(record.measurements ?? []), { ...m, date: '2026-01-05' }],
})

describe('impossible values are refused with a located 422', () => {
  it('POST /protocols/:id/evaluate: UPCR -1 and a weight of 1e23 kg, each named with its path; nothing logged', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const base = eligible()
    const n = base.measurements!.length
    const before = (await t.store.evaluations({})).length
    const record = withMeasurement(withMeasurement(base, { concept: 'urine_protein_creatinine_ratio', value: -1, unit: 'g/g' }), {
      concept: 'body_weight',
      value: 1e23,
      unit: 'kg',
    })
    const res = await call('POST', `/protocols/${P}/evaluate`, { body: record })
    const problem = await expectProblem(res, 422, 'invalid-patient')
    expect(problem.diagnostics).toEqual([
      expect.objectContaining({
        code: 'E_IMPLAUSIBLE_VALUE',
        path: `measurements[${n}].value`,
        message: expect.stringContaining('expected between 0 and 100 g/g'),
      }),
      expect.objectContaining({ code: 'E_IMPLAUSIBLE_VALUE', path: `measurements[${n + 1}].value`, message: expect.stringContaining('1e+23 kg') }),
    ])
    expect(JSON.stringify(problem)).not.toMatch(/\bat .*\.ts:\d+/)
    expect((await t.store.evaluations({})).length).toBe(before)
  })

  it('a very abnormal but real value still evaluates', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const record = withMeasurement(withMeasurement(eligible(), { concept: 'platelets', value: 5, unit: '10*9/L' }), {
      concept: 'serum_creatinine',
      value: 15,
      unit: 'mg/dL',
    })
    const res = await call('POST', `/protocols/${P}/evaluate?log=false`, { body: record })
    expect(res.status).toBe(200)
  })

  it('POST /match and the batch refuse them too', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const record = withMeasurement(eligible(), { concept: 'hemoglobin', value: -2, unit: 'g/dL' })
    await expectProblem(await call('POST', '/match', { body: record }), 422, 'invalid-patient')
    const batch = await call('POST', `/protocols/${P}/evaluate/batch`, { body: [record] })
    const text = await batch.text()
    expect(text).toContain('E_IMPLAUSIBLE_VALUE')
  })

  it('subject registration and a visit: 422 invalid-subject, nothing saved', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const { id: _id, ...record } = eligible()
    const bad = withMeasurement(record, { concept: 'body_temperature', value: 300, unit: 'Cel' })
    const refused = await expectProblem(await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-900', record: bad } }), 422, 'invalid-subject')
    expect(refused.diagnostics?.[0]).toMatchObject({ code: 'E_IMPLAUSIBLE_VALUE', message: expect.stringContaining('between 10 and 50 Cel') })
    expect(await t.store.subjects(P)).toEqual([])

    const reg = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-901', record } })
    expect(reg.status).toBe(201)
    const sid = ((await reg.json()) as { id: string }).id
    const before = await t.store.subject(sid)
    const visit = await call('POST', `/subjects/${sid}/visits`, {
      body: { visit: 'baseline', date: '2026-01-20', measurements: [{ concept: 'systolic_blood_pressure', value: -120, unit: 'mm[Hg]', date: '2026-01-20' }] },
    })
    const p = await expectProblem(visit, 422, 'invalid-subject')
    expect(p.diagnostics?.[0]).toMatchObject({ code: 'E_IMPLAUSIBLE_VALUE', path: expect.stringMatching(/^measurements\[\d+\]\.value$/) })
    expect(await t.store.subject(sid)).toEqual(before)
  })
})
