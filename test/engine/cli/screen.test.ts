import { describe, expect, it } from 'vitest'
import { compileProtocol, evaluateEligibility } from '../../../engine/index.ts'
import { cli, cliWith, tmpFile } from '../../helpers/cli.ts'
import { oneOfEachVerdict, shippedProtocol } from '../../helpers/protocols.ts'
import { syntheticPatientStream } from '../../bench/synthetic-patients.ts'

const PROTOCOL = 'protocols/nct05631717.yaml'
const nct = shippedProtocol('NCT05631717')
// eligible; ineligible on IN02 only; undetermined on IN04 only
const { eligible, age18, noUpcr } = oneOfEachVerdict()
const ndjson = (...lines: unknown[]) => `${lines.map(l => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`
const parse = (out: string) =>
  out
    .trimEnd()
    .split('\n')
    .map(l => JSON.parse(l) as Record<string, unknown>)

describe('screen <protocol> <records.ndjson>', () => {
  it('one result per record in input order, the funnel on stderr; verdicts as the reference path gives them', async () => {
    const r = await cli('screen', PROTOCOL, tmpFile('records.ndjson', ndjson(eligible, age18, noUpcr)))
    expect(r.code).toBe(0)
    const lines = parse(r.out)
    expect(lines).toMatchObject([
      { index: 0, line: 1, id: 'eligible-baseline', overall: 'eligible', failing: [], undecided: [] },
      { index: 1, line: 2, id: 'age-exactly-18', overall: 'ineligible', failing: ['IN02'], undecided: [] },
      { index: 2, line: 3, id: 'proteinuria-not-measured', overall: 'undetermined', failing: [], undecided: ['IN04'] },
    ])
    const compiled = compileProtocol(nct.doc)
    for (const [i, p] of [eligible, age18, noUpcr].entries()) {
      const v = await evaluateEligibility(compiled, p, { backend: 'reference' })
      expect(lines[i]).toMatchObject({ overall: v.overall, failing: v.failing, undecided: v.undecided })
    }
    expect(lines[0]).not.toHaveProperty('missing') // only with --missing
    expect(r.err).toMatch(/^3 records: 3 screened, 0 not readable as patient records/)
    // by hand: all pass IN01; IN02 drops the 18-year-old; IN04 leaves the unmeasured one unknown
    expect(r.err).toMatch(/\nIN01\s+3\s+3\s+0\s+0\n/)
    expect(r.err).toMatch(/\nIN02\s+3\s+2\s+1\s+0\n/)
    expect(r.err).toMatch(/\nIN04\s+2\s+1\s+0\s+1\n/)
    expect(r.err).toMatch(/\nEX08\s+1\s+1\s+0\s+0\n/)
    expect(r.err).toContain('eligible 1, ineligible 1, undetermined 1')
  })

  it('--funnel puts the funnel on stdout as the last line; --missing lists the data still needed', async () => {
    const r = await cli('screen', PROTOCOL, tmpFile('records.ndjson', ndjson(eligible, noUpcr)), '--funnel', '--missing')
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    const lines = parse(r.out)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatchObject({ overall: 'eligible', missing: [] })
    expect((lines[1]!.missing as Array<{ key: string }>).map(m => m.key)).toContain('measurement:urine_protein_creatinine_ratio')
    expect(lines[2]).toMatchObject({
      funnel: { records: 2, invalid: 0, evaluated: 2, overall: { eligible: 1, ineligible: 0, undetermined: 1 } },
    })
    const funnel = (lines[2]!.funnel as { criteria: Array<{ criterion: string; entering: number; pass: number; unknown: number }> }).criteria
    expect(funnel.find(c => c.criterion === 'IN04')).toMatchObject({ entering: 2, pass: 1, unknown: 1 })
  })

  it('a line that is not JSON, not an object or not a valid record gets an error result naming its line; blank lines are skipped; exit 1', async () => {
    const r = await cli('screen', PROTOCOL, tmpFile('records.ndjson', ndjson(eligible, '', '{"id": "broken", ', '[1, 2]', { id: 'bad-1', sex: 'x' }, age18)))
    expect(r.code).toBe(1)
    const lines = parse(r.out)
    expect(lines).toMatchObject([
      { index: 0, line: 1, overall: 'eligible' },
      { index: 1, line: 3, errors: [{ code: 'E_NDJSON_LINE', line: 3, message: expect.stringMatching(/^line 3 is not valid JSON/) as unknown }] },
      { index: 2, line: 4, errors: [{ code: 'E_NDJSON_LINE', message: 'line 4 is not a JSON object (a patient record)' }] },
      { index: 3, line: 5, id: 'bad-1', errors: [{ code: 'E_SCHEMA_ENUM', path: 'sex' }] },
      { index: 4, line: 6, overall: 'ineligible' },
    ])
    expect(r.err).toMatch(/^5 records: 2 screened, 3 not readable as patient records/)
  })

  it('reads stdin with -', async () => {
    const r = await cli('screen', PROTOCOL, '-')
    // no stdin given: an empty screen
    expect(r.code).toBe(0)
    expect(r.out).toBe('')
    expect(r.err).toMatch(/^0 records: 0 screened/)
    const given = await cliWith({ input: ndjson(eligible, age18) }, 'screen', PROTOCOL, '-')
    expect(given.code).toBe(0)
    expect(parse(given.out)).toMatchObject([{ overall: 'eligible' }, { overall: 'ineligible' }])
  })

  it('--workers 3: the same lines, in input order, and the same funnel as one thread, across many batches', async () => {
    // 1 234 records (three batches of 500 and a part), with blank, broken and invalid lines among them
    const records = [...syntheticPatientStream(nct.examples!, 1230, 7)].map(p => JSON.stringify(p))
    records.splice(3, 0, '')
    records.splice(600, 0, '{"id": "broken", ')
    records.splice(1001, 0, JSON.stringify({ id: 'bad-1', sex: 'x' }))
    records.splice(1100, 0, '', '   ')
    const file = tmpFile('records.ndjson', `${records.join('\r\n')}\r\n`)
    const one = await cli('screen', PROTOCOL, file, '--funnel')
    const three = await cli('screen', PROTOCOL, file, '--funnel', '--workers', '3')
    expect(three.code).toBe(1) // some lines were not records, as with one thread
    expect(one.code).toBe(1)
    expect(three.err).toBe('')
    expect(three.out).toBe(one.out)
    const lines = parse(three.out)
    expect(lines).toHaveLength(1232 + 1)
    expect(lines.slice(0, -1).map(l => l.index)).toEqual([...Array(1232).keys()])
    expect(lines.at(-1)).toMatchObject({ funnel: { records: 1232, invalid: 2 } })
  }, 120_000)

  it.each([
    { why: '--workers 0', args: [PROTOCOL, 'x.ndjson', '--workers', '0'], code: 2, err: /--workers must be a whole number from 1 to 64 .* got "0"/ },
    { why: '--workers two', args: [PROTOCOL, 'x.ndjson', '--workers', 'two'], code: 2, err: /--workers must be a whole number/ },
    { why: 'no records file', args: [PROTOCOL], code: 2, err: /screen needs an NDJSON file/ },
    { why: 'a records file that does not exist', args: [PROTOCOL, 'nope/records.ndjson'], code: 1, err: /ENOENT.*nope\/records\.ndjson/ },
    { why: 'an unknown option', args: [PROTOCOL, 'x.ndjson', '--fast'], code: 1, err: /Unknown option '--fast'/ },
  ])('$why -> exit $code, one line, no stack trace', async ({ args, code, err }) => {
    const r = await cli('screen', ...args)
    expect(r.code).toBe(code)
    expect(r.err).toMatch(err)
    expect(r.err).not.toMatch(/\n\s+at .*\.ts:\d+/)
  })
})
