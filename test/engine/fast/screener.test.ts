import { describe, expect, it } from 'vitest'
import { compileFast, Screener } from '../../../engine/fast/index.ts'
import { compileProtocol, examplePatient, type EligibilityEvaluator } from '../../../engine/index.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

/** The fast backend's evaluator, failing on demand: the record whose id is "boom" makes evaluation throw. */
function failingOnBoom(fast: EligibilityEvaluator<'sync'>): EligibilityEvaluator<'sync'> {
  const guard = (p: { id?: string }) => {
    if (p.id === 'boom') throw new TypeError('cannot read properties of undefined')
  }
  return {
    ...fast,
    screen: (p, options) => {
      guard(p)
      return fast.screen(p, options)
    },
    evaluate: p => {
      guard(p)
      return fast.evaluate(p)
    },
  }
}

const nct = shippedProtocol('NCT05631717')
const eligible = examplePatient(nct.examples!, 'eligible-baseline')
const screener = () => new Screener(failingOnBoom(compileFast(compileProtocol(nct.doc))))

describe('Screener: a line it cannot screen is reported on its own line, and the rest goes on', () => {
  it('an engine failure on one record: E_SCREEN_FAILED in place, counted invalid, later lines screened', () => {
    const s = screener()
    const boom = s.line(JSON.stringify({ ...eligible, id: 'boom' }))
    expect(boom).toEqual({
      index: 0,
      line: 1,
      id: 'boom',
      errors: [
        {
          code: 'E_SCREEN_FAILED',
          severity: 'error',
          line: 1,
          path: '',
          message: 'line 1 could not be screened (an engine error; please report it): cannot read properties of undefined',
        },
      ],
    })
    expect(s.line(JSON.stringify(eligible))).toMatchObject({ index: 1, line: 2, overall: 'eligible' })
    expect(s.funnel()).toMatchObject({ records: 2, invalid: 1, evaluated: 1, overall: { eligible: 1 } })
  })

  it('unreadable(): a line the caller could not read whole takes the next line and index', () => {
    const s = screener()
    expect(s.line('')).toBeUndefined() // blank: a line, no index
    expect(s.unreadable('is longer than 10 characters')).toEqual({
      index: 0,
      line: 2,
      errors: [{ code: 'E_NDJSON_LINE_TOO_LONG', severity: 'error', line: 2, path: '', message: 'line 2 is longer than 10 characters' }],
    })
    expect(s.line(JSON.stringify(eligible))).toMatchObject({ index: 1, line: 3, overall: 'eligible' })
    expect(s.funnel()).toMatchObject({ records: 2, invalid: 1, evaluated: 1 })
  })
})
