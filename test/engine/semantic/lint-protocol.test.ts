import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProtocol } from '../../../engine/index.ts'
import { PROTOCOLS_DIR } from '../../helpers/protocols.ts'

const text = readFileSync(join(PROTOCOLS_DIR, 'nct05631717.yaml'), 'utf8')
const lineOf = (snippet: string) => text.slice(0, text.indexOf(snippet)).split('\n').length
const warnings = (t: string) => loadProtocol(t).diagnostics.filter(d => d.severity === 'warning')

describe('protocol linter (warnings with line:column)', () => {
  const shipped = warnings(text)

  it('flags every parameter the registry text leaves open, at its line', () => {
    const open = shipped.filter(w => w.code === 'W_OPEN_PARAMETER')
    expect(open.map(w => w.path)).toContain('parameters.il2_cycles')
    expect(open.map(w => w.path)).toContain('parameters.creatinine_abnormal_above_uln_times')
    expect(open.find(w => w.path === 'parameters.il2_cycles')).toMatchObject({ line: lineOf('  il2_cycles:\n    value: 3') + 1, column: 5 }) // at its value
    // parameters the text does settle are not flagged
    expect(open.map(w => w.path)).not.toContain('parameters.sri_pga_worsening_limit')
  })

  it('flags the missing week 12 visit', () => {
    expect(shipped.filter(w => w.code === 'W_SCHEDULE_GAP')).toEqual([
      expect.objectContaining({ path: 'visits[3]', message: 'visits are every 28 days but none is scheduled at week 12 (day 85), before week_16' }),
    ])
  })

  it('flags a criterion measuring windows from both screening and randomization (EX04)', () => {
    expect(shipped.filter(w => w.code === 'W_MIXED_REFERENCE_DATES').map(w => w.found)).toEqual(['randomization and screening'])
  })

  it('flags a week named in a time frame that no visit schedules', () => {
    const edited = text.replace('time_frame: Baseline, Week 4, 8, 16, 20 and 24', 'time_frame: Baseline, Week 4, 8, 12, 16, 20 and 24')
    expect(warnings(edited).filter(w => w.code === 'W_VISIT_NOT_SCHEDULED')).toEqual([
      expect.objectContaining({ found: '12', path: 'endpoints[6].time_frame' }),
    ])
  })

  it('flags a threshold without a unit', () => {
    const edited = text
      .replace('op: ">", value: 1.0, unit: g/g,', 'op: ">", value: 1.0,')
      .replace('            value: 1.0\n            unit: g/g\n', '            value: 1.0\n')
    expect(warnings(edited).filter(w => w.code === 'W_THRESHOLD_WITHOUT_UNIT')).toEqual([
      expect.objectContaining({ path: 'criteria[3].logic.any[0].measurement' }),
    ])
  })

  it('does not lint a protocol with errors (they come first)', () => {
    expect(loadProtocol(text.replace('{ fact: lactating, is: true }', '{ fact: lactatin, is: true }')).diagnostics.every(d => d.severity === 'error')).toBe(
      true,
    )
  })
})
