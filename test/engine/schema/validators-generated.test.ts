/**
 * The generated validators (engine/schema/validators.generated.js) are the
 * schemas as they are now: regenerated here, they must equal the file on
 * disk, so a schema edited without `npm run build:validators` fails.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GENERATED_VALIDATORS, generateValidatorsSource } from '../../../engine/schema/build-validators.ts'
import { validateAgainstSchema } from '../../../engine/schema/validate.ts'

describe('generated schema validators', () => {
  it('equal what the schemas generate now (else: npm run build:validators)', () => {
    const onDisk = readFileSync(GENERATED_VALIDATORS, 'utf8')
    const now = generateValidatorsSource()
    // one line saying what to run, not a megabyte of diff
    expect(onDisk === now, 'engine/schema/validators.generated.js is out of date: run npm run build:validators').toBe(true)
  })

  it('check formats and string lengths as Ajv does (the runtime helpers the generated code imports)', () => {
    const birth = (value: unknown) => validateAgainstSchema('patient', { birth_date: value, sex: 'female' }, undefined)
    expect(birth('1990-05-01')).toEqual([])
    expect(birth('1990-13-01').map(d => d.path)).toEqual(['birth_date'])
    expect(birth('not a date').map(d => d.path)).toEqual(['birth_date'])
    // minLength counts characters (Ajv's ucs2length runtime helper)
    const concept = (value: string) =>
      validateAgainstSchema(
        'patient',
        { birth_date: '1990-05-01', sex: 'female', measurements: [{ concept: value, value: 1, unit: 'g/g', date: '2026-01-01' }] },
        undefined,
      )
    expect(concept('urine_protein_creatinine_ratio')).toEqual([])
    expect(concept('').map(d => d.path)).toEqual(['measurements[0].concept'])
  })
})
