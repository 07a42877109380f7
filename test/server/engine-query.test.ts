/**
 * Single evaluations (evaluate, its preview, match, a subject's screening)
 * on the fast backend unless `?engine=reference` asks for json-rules-engine:
 * the same answer either way, the backend used seen by a spy, and a name
 * that is neither a 400 naming the parameter and what it takes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BACKENDS, examplePatient } from '../../engine/index.ts'
import { shippedProtocol } from '../helpers/protocols.ts'
import { caller, expectProblem, testApp } from './helpers.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!
// one record of each verdict: eligible, ineligible (aged 66), undetermined (no birth date)
const PATIENTS = ['eligible-baseline', 'age-66', 'birth-date-missing'].map(id => examplePatient(examples, id))

/** Which backends' evaluators a call asked for. */
function spyBackends() {
  return { fast: vi.spyOn(BACKENDS.fast, 'evaluatorOf'), reference: vi.spyOn(BACKENDS.reference, 'evaluatorOf') }
}

afterEach(() => vi.restoreAllMocks())

describe('?engine= on single evaluations', () => {
  it('the example records cover the three verdicts', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const overall = []
    for (const p of PATIENTS)
      overall.push(((await (await call('POST', `/protocols/${P}/evaluate?log=false`, { body: p })).json()) as { overall: string }).overall)
    expect(overall).toEqual(['eligible', 'ineligible', 'undetermined'])
  })

  it('POST /protocols/:id/evaluate: fast by default, json-rules-engine on request, the same verdict (logged or previewed)', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    for (const patient of PATIENTS) {
      for (const log of ['false', 'true']) {
        const spies = spyBackends()
        const fast = await call('POST', `/protocols/${P}/evaluate?log=${log}`, { body: patient })
        expect(spies.fast).toHaveBeenCalled()
        expect(spies.reference).not.toHaveBeenCalled()
        vi.restoreAllMocks()
        const spied = spyBackends()
        const reference = await call('POST', `/protocols/${P}/evaluate?log=${log}&engine=reference`, { body: patient })
        expect(spied.reference).toHaveBeenCalled()
        expect(spied.fast).not.toHaveBeenCalled()
        vi.restoreAllMocks()
        expect(fast.status).toBe(200)
        expect(reference.status).toBe(200)
        const { evaluation_id: a, ...fastBody } = (await fast.json()) as Record<string, unknown>
        const { evaluation_id: b, ...referenceBody } = (await reference.json()) as Record<string, unknown>
        expect(fastBody).toEqual(referenceBody)
        if (log === 'true') expect(a).not.toEqual(b) // two log entries
      }
    }
  })

  it('POST /match: the same ranking and verdicts on both', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    for (const patient of PATIENTS) {
      const fast = await (await call('POST', '/match', { body: patient })).json()
      const spies = spyBackends()
      const reference = await (await call('POST', '/match?engine=reference', { body: patient })).json()
      expect(spies.reference).toHaveBeenCalled()
      expect(spies.fast).not.toHaveBeenCalled()
      vi.restoreAllMocks()
      expect(fast).toEqual(reference)
    }
  })

  it('POST /subjects/:sid/screening: the same verdict on both', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const { id: _id, ...record } = PATIENTS[0]!
    const sid = ((await (await call('POST', `/protocols/${P}/subjects`, { body: { code: 'ENG-01', record } })).json()) as { id: string }).id
    const spies = spyBackends()
    const fast = (await (await call('POST', `/subjects/${sid}/screening`, { body: {} })).json()) as Record<string, unknown>
    expect(spies.fast).toHaveBeenCalled()
    expect(spies.reference).not.toHaveBeenCalled()
    vi.restoreAllMocks()
    const spied = spyBackends()
    const reference = (await (await call('POST', `/subjects/${sid}/screening?engine=reference`, { body: {} })).json()) as Record<string, unknown>
    expect(spied.reference).toHaveBeenCalled()
    expect(fast.overall).toBe('eligible')
    const strip = ({ evaluation_id: _e, ...rest }: Record<string, unknown>) => rest
    expect(strip(fast)).toEqual(strip(reference))
  })

  it('an engine that is neither: 400 naming the parameter and the names it takes, nothing logged', async () => {
    const t = await testApp()
    const call = caller(t, 'clinician')
    const before = (await t.store.evaluations({ protocolId: P })).length
    for (const path of [`/protocols/${P}/evaluate?engine=quick`, '/match?engine=jre']) {
      const body = await expectProblem(await call('POST', path, { body: PATIENTS[0] }), 400, 'invalid-request')
      expect(body.parameter).toBe('engine')
      expect(String(body.expected)).toMatch(/reference.*fast|fast.*reference/)
    }
    expect((await t.store.evaluations({ protocolId: P })).length).toBe(before)
  })
})
