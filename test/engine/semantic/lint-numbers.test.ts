import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProtocol } from '../../../engine/index.ts'
import { numbersInLogic, quotedNumbers } from '../../../engine/semantic/lint-numbers.ts'
import { PROTOCOLS_DIR } from '../../helpers/protocols.ts'

const text = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')
const lineOf = (t: string, snippet: string) => t.slice(0, t.indexOf(snippet)).split('\n').length
const stale = (t: string) => loadProtocol(t).diagnostics.filter(d => d.code === 'W_STALE_NUMBER')
/** Path of a criterion's field, by id (other criteria may be added before it). */
const at = (t: string, id: string, field: string) => `criteria[${[...t.matchAll(/^ {2}- id: (\S+)$/gm)].map(m => m[1]).indexOf(id)}].${field}`
/** Replace, failing loudly if the shipped protocol no longer holds the snippet. */
const edit = (t: string, from: string, to: string) => {
  expect(t).toContain(from)
  return t.split(from).join(to)
}

describe('W_STALE_NUMBER: a title or note quotes a number the logic no longer uses', () => {
  it('finds nothing in the shipped protocols (titles quote the thresholds in use)', () => {
    for (const f of readdirSync(PROTOCOLS_DIR).filter(f => f.endsWith('.yaml') && !f.includes('.examples.'))) {
      expect(stale(readFileSync(join(PROTOCOLS_DIR, f), 'utf8')).map(d => `${f} ${d.path}: ${d.message}`)).toEqual([])
    }
  })

  it('flags a title left at 1.0 after the logic was amended to 1.5, at the title line', () => {
    const amended = edit(text, '            op: ">"\n            value: 1.0\n', '            op: ">"\n            value: 1.5\n')
    expect(stale(amended)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        path: at(amended, 'IN04', 'title'),
        line: lineOf(amended, '    title: UPCR > 1.0'),
        column: 12,
        found: '1.0',
        message: 'title quotes 1.0 but the logic of IN04 compares with 1.5, 4 or 28; update the title or the logic',
      }),
    ])
  })

  it('reads a number the logic takes from a parameter through its value', () => {
    const viaParam = (weeks: number) =>
      edit(
        edit(
          text,
          '        window: { weeks: 12, before: screening }\n\n  - id: EX01c',
          '        window: { weeks: { param: unstable_dose_weeks }, before: screening }\n\n  - id: EX01c',
        ),
        '  screening_lookback_days:\n',
        `  unstable_dose_weeks:\n    value: ${weeks}\n    rationale: the registry's 12 weeks\n  screening_lookback_days:\n`,
      )
    expect(loadProtocol(viaParam(12)).diagnostics.filter(d => d.severity === 'error')).toEqual([])
    expect(stale(viaParam(12))).toEqual([])
    // the same parameter amended to 8 weeks: the title and the note still say 12
    expect(stale(viaParam(8)).map(d => [d.path, d.found])).toEqual([
      [at(text, 'EX01b', 'title'), '12'],
      [at(text, 'EX01b', 'notes[0]'), '12'],
    ])
  })

  it('flags a note quoting a stale window length (168 days after the window became 26 weeks)', () => {
    const amended = edit(
      edit(text, 'window: { weeks: 24, before: screening }', 'window: { weeks: 26, before: screening }'),
      'title: B cell depletion within 24 weeks before screening',
      'title: B cell depletion within 26 weeks before screening',
    )
    expect(stale(amended)).toEqual([
      expect.objectContaining({
        path: at(amended, 'EX01a', 'notes[0]'),
        line: lineOf(amended, 'screening − 168 days'),
        found: '168',
        message: 'note 1 quotes 168 but the logic of EX01a compares with 26 or 182; update the note or the logic',
      }),
    ])
  })

  it('ignores the registry text and quotations of it', () => {
    const amended = edit(text, 'window: { weeks: 12, before: screening }\n\n  - id: EX01c', 'window: { weeks: 13, before: screening }\n\n  - id: EX01c')
    // title "within 12 weeks" is stale; `text` and the quoted "within the first 12 weeks of screening" are not read,
    // but the unquoted "the 12 weeks before screening" of the same note is
    expect(stale(amended).map(d => d.path)).toEqual([at(amended, 'EX01b', 'title'), at(amended, 'EX01b', 'notes[0]')])
  })
})

describe('quotedNumbers (what counts as a quoted threshold)', () => {
  const values = (t: string) => quotedNumbers(t).map(q => q.written)
  it('takes numbers after a comparison, before a unit, and in ranges', () => {
    expect(values('UPCR > 1.0 or 24-h urine protein > 1.0 g')).toEqual(['1.0', '1.0'])
    expect(values('ANA ≥ 1:80 and/or anti-dsDNA ≥ 30 IU/mL')).toEqual(['80', '30'])
    expect(values('Age 18 to 75')).toEqual(['18', '75'])
    expect(values('12 calendar months up to screening')).toEqual(['12'])
    expect(values('More than 50 % of glomeruli sclerosed')).toEqual(['50 %'])
    expect(values('eGFR ≤ 45')).toEqual(['45'])
  })
  it('skips names, years, molar masses, section numbers and quotations', () => {
    expect(values('SLEDAI-2K ≥ 6')).toEqual(['6'])
    expect(values('≥ 4 of 11 ACR 1997 SLE classification criteria')).toEqual(['4'])
    expect(values('CKD-EPI 2021 from creatinine; Furie 2020 (§8.1)')).toEqual([])
    expect(values('Values are converted (creatinine 113.12 g/mol)')).toEqual([])
    expect(values('eGFR in mL/min/1.73 m²')).toEqual([])
    expect(values('the registry goes on "Biopsy results over 6 months prior"')).toEqual([])
    expect(values('ISN/RPS 2003 class III or IV, 24 descriptors, AURORA 1')).toEqual([])
  })
})

describe('numbersInLogic (what the logic uses)', () => {
  it('resolves parameters, converts window lengths and reads numbers in names', () => {
    const logic = {
      all: [
        { medication: { set: 'x', window: { ref: 'induction_start', from_day: { param: 'first_day' }, to_day: 0 } } },
        { measurement: { concept: 'upcr', op: '>=', value: 1.5, window: { weeks: 12, before: 'screening' } } },
        { attestation: 'upcr_doubled_within_6_months', is: true },
      ],
    }
    const got = numbersInLogic(logic, { first_day: -90 })
    expect(got.numbers).toEqual(expect.arrayContaining([-90, 90, 0, 1.5, 12, 84, 6]))
    expect(got.months).toEqual([3]) // 90 days ≈ 3 months, matched only by "3 months"
    expect(got.numbers).not.toContain(3)
  })
})
