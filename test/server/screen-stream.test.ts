import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileFast, Screener } from '../../engine/fast/index.ts'
import { compileProtocol, type Funnel, type ScreenResult } from '../../engine/index.ts'
import { MAX_LINE_CHARS } from '../../server/routes/screen-stream.ts'
import { syntheticPatientStream } from '../bench/synthetic-patients.ts'
import { oneOfEachVerdict, shippedProtocol } from '../helpers/protocols.ts'
import { caller, expectProblem, testApp, type TestApp } from './helpers.ts'

const P = 'nct05631717'
const SCREEN = `/protocols/${P}/screen`
const NDJSON = 'application/x-ndjson'
const shipped = shippedProtocol('NCT05631717')
const examples = shipped.examples!
// eligible; ineligible on IN02 only; undetermined on IN04 only
const { eligible, age18, noUpcr } = oneOfEachVerdict()

const encoder = new TextEncoder()
const line = (r: unknown) => `${JSON.stringify(r)}\n`

/** An NDJSON answer: the result lines, then the funnel line. */
function parse(text: string): { results: ScreenResult[]; funnel: Funnel; last: Record<string, unknown> } {
  expect(text.endsWith('\n')).toBe(true)
  const lines = text
    .trimEnd()
    .split('\n')
    .map(l => JSON.parse(l) as Record<string, unknown>)
  const last = lines.pop()!
  return { results: lines as unknown as ScreenResult[], funnel: last.funnel as Funnel, last }
}

/** What the CLI's screen gives for the same text: the engine's Screener fed line by line. */
function screenLocally(text: string, missing = false): { results: ScreenResult[]; funnel: Funnel } {
  const screener = new Screener(compileFast(compileProtocol(shipped.doc)), { missing })
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  const results = lines.map(l => screener.line(l)).filter((r): r is ScreenResult => r !== undefined)
  // through JSON, as the answer is: `undefined` members vanish
  return JSON.parse(JSON.stringify({ results, funnel: screener.funnel() })) as { results: ScreenResult[]; funnel: Funnel }
}

/** A body sent in the given pieces (bytes split anywhere, even inside a character). */
function chunked(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream({
    pull(c) {
      if (i < pieces.length) c.enqueue(pieces[i++]!)
      else c.close()
    },
  })
}

async function setup() {
  const t = await testApp()
  const call = caller(t, 'clinician')
  const screen = (body: string, query = '', type = NDJSON) => call('POST', `${SCREEN}${query}`, { body, type })
  const logged = async () => ((await (await call('GET', `/protocols/${P}/screening-log?limit=1000`)).json()) as { items: unknown[] }).items.length
  return { t, call, screen, logged }
}

describe('POST /protocols/:id/screen (through app.request)', () => {
  it('a result per record in input order, with index, line and id; blank lines skipped; bad lines reported in place', async () => {
    const { screen } = await setup()
    const body = [line(eligible), '\n', '   \n', 'not json\n', line({ sex: 'x', id: 'bad-sex' }), line([1, 2]), line(age18), line(noUpcr)].join('')
    const res = await screen(body)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/x-ndjson; charset=utf-8')
    expect(res.headers.get('ETag')).toMatch(/^"nct05631717-v1-/)
    const { results, funnel } = parse(await res.text())
    expect(results).toMatchObject([
      { index: 0, line: 1, id: 'eligible-baseline', overall: 'eligible', failing: [], undecided: [] },
      // lines 2 and 3 are blank: no result, no index, but they count as lines
      { index: 1, line: 4, errors: [{ code: 'E_NDJSON_LINE', line: 4 }] },
      { index: 2, line: 5, id: 'bad-sex', errors: [expect.objectContaining({ severity: 'error' })] },
      { index: 3, line: 6, errors: [{ code: 'E_NDJSON_LINE', message: expect.stringContaining('not a JSON object') }] },
      { index: 4, line: 7, id: 'age-exactly-18', overall: 'ineligible', failing: ['IN02'], undecided: [] },
      { index: 5, line: 8, id: 'proteinuria-not-measured', overall: 'undetermined', failing: [], undecided: ['IN04'] },
    ])
    expect(results[0]).not.toHaveProperty('errors')
    expect(results[1]!.errors![0]!.message).toContain('line 4 is not valid JSON')
    expect(results[5]).not.toHaveProperty('missing') // only with ?missing=true
    expect(funnel).toMatchObject({ records: 6, invalid: 3, evaluated: 3, overall: { eligible: 1, ineligible: 1, undetermined: 1 } })
    expect(funnel.criteria.slice(0, 4).map(c => [c.criterion, c.entering, c.pass, c.fail, c.unknown])).toEqual([
      ['IN01', 3, 3, 0, 0],
      ['IN02', 3, 2, 1, 0],
      ['IN03', 2, 2, 0, 0],
      ['IN04', 2, 1, 0, 1],
    ])
  })

  it('gives the same lines and funnel as the CLI screen (the engine Screener) for the same input', async () => {
    const { screen } = await setup()
    const records = [...syntheticPatientStream(examples, 400, 7)].map(line)
    records.splice(50, 0, '{"id": "truncated"\n', '\n', line({ sex: 'x' }))
    const body = records.join('')
    const local = screenLocally(body)
    // the input is mixed: every overall and invalid lines, so equality is not vacuous
    expect(local.funnel).toMatchObject({ records: 402, invalid: 2, evaluated: 400 })
    expect(Object.values(local.funnel.overall).every(n => n > 0)).toBe(true)
    const { results, funnel } = parse(await (await screen(body)).text())
    expect(results).toEqual(local.results)
    expect(funnel).toEqual(local.funnel)
  })

  it('missing=true lists the data still needed; missing=false or absent does not', async () => {
    const { screen } = await setup()
    const body = line(noUpcr) + line(eligible)
    const withMissing = parse(await (await screen(body, '?missing=true')).text()).results
    expect(withMissing[0]).toMatchObject({
      overall: 'undetermined',
      missing: expect.arrayContaining([expect.objectContaining({ key: 'measurement:urine_protein_creatinine_ratio' })]),
    })
    expect(withMissing).toEqual(screenLocally(body, true).results)
    for (const q of ['', '?missing=false']) {
      const rs = parse(await (await screen(body, q)).text()).results
      expect(rs[0]).toMatchObject({ overall: 'undetermined' })
      expect(rs[0]).not.toHaveProperty('missing')
    }
  })

  it('CRLF line ends, application/ndjson, and a last line without a newline', async () => {
    const { screen } = await setup()
    const body = `${JSON.stringify(eligible)}\r\n\r\nnope\r\n${JSON.stringify(age18)}`
    const { results, funnel } = parse(await (await screen(body, '', 'application/ndjson; charset=utf-8')).text())
    expect(results).toMatchObject([
      { index: 0, line: 1, overall: 'eligible' },
      { index: 1, line: 3, errors: [{ code: 'E_NDJSON_LINE' }] },
      { index: 2, line: 4, id: 'age-exactly-18', overall: 'ineligible' },
    ])
    expect(results[1]!.errors![0]!.message).not.toContain('\r')
    expect(funnel).toMatchObject({ records: 3, invalid: 1, evaluated: 2 })
  })

  it('puts back together a record, and a UTF-8 character, split across body chunks', async () => {
    const { t } = await setup()
    const named = { ...eligible, id: 'Zoë-Ĳssel-名前' }
    const bytes = encoder.encode(line(age18) + line(named) + line(noUpcr))
    const zoe = bytes.indexOf(0xc3) // the first byte of ë: split between its two bytes
    const pieces = [
      bytes.slice(0, 7),
      bytes.slice(7, zoe + 1),
      bytes.slice(zoe + 1, zoe + 2),
      bytes.slice(zoe + 2, bytes.length - 3),
      bytes.slice(bytes.length - 3),
    ]
    const res = await t.app.request(SCREEN, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.tokenFor('clinician')}`, 'Content-Type': NDJSON },
      body: chunked(pieces),
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(200)
    const { results } = parse(await res.text())
    expect(results).toMatchObject([
      { index: 0, line: 1, overall: 'ineligible' },
      { index: 1, line: 2, id: 'Zoë-Ĳssel-名前', overall: 'eligible' },
      { index: 2, line: 3, overall: 'undetermined' },
    ])
  })

  it(`a line of ${MAX_LINE_CHARS} characters is screened; one character more is reported in its place and read past`, async () => {
    const { screen } = await setup()
    const padded = (chars: number) => {
      const head = '{"id":"'
      const tail = '"}'
      return head + 'x'.repeat(chars - head.length - tail.length) + tail
    }
    expect(padded(MAX_LINE_CHARS)).toHaveLength(MAX_LINE_CHARS)
    const body = `${padded(MAX_LINE_CHARS)}\n${padded(MAX_LINE_CHARS + 1)}\n${line(eligible)}${padded(MAX_LINE_CHARS + 1)}`
    const { results, funnel } = parse(await (await screen(body)).text())
    expect(results).toHaveLength(4)
    expect(results[0]).toMatchObject({ index: 0, line: 1, overall: 'undetermined' }) // at the limit: read and screened
    expect(results[0]!.id).toHaveLength(MAX_LINE_CHARS - 9)
    expect(results[1]).toMatchObject({
      index: 1,
      line: 2,
      errors: [{ code: 'E_NDJSON_LINE_TOO_LONG', line: 2, message: expect.stringContaining(`longer than ${MAX_LINE_CHARS}`) }],
    })
    expect(results[2]).toMatchObject({ index: 2, line: 3, id: 'eligible-baseline', overall: 'eligible' })
    expect(results[3]).toMatchObject({ index: 3, line: 4, errors: [{ code: 'E_NDJSON_LINE_TOO_LONG' }] }) // the last, without newline
    expect(funnel).toMatchObject({ records: 4, invalid: 2, evaluated: 2 })
  })

  it('an empty body: no results, an empty funnel', async () => {
    const { screen } = await setup()
    const { results, funnel } = parse(await (await screen('')).text())
    expect(results).toEqual([])
    expect(funnel).toMatchObject({ records: 0, invalid: 0, evaluated: 0 })
  })

  it('writes nothing to the screening log (the logged batch route does, so the check can see it)', async () => {
    const { screen, call, logged } = await setup()
    expect(await logged()).toBe(0)
    const res = await screen(line(eligible) + line(age18))
    expect(parse(await res.text()).funnel.evaluated).toBe(2)
    expect(await logged()).toBe(0)
    expect((await call('POST', `/protocols/${P}/evaluate/batch`, { body: line(eligible), type: NDJSON })).status).toBe(200)
    expect(await logged()).toBe(1)
  })

  it('screens an older version when asked', async () => {
    const { screen } = await setup()
    const res = await screen(line(eligible), '?version=1')
    expect(res.status).toBe(200)
    expect(res.headers.get('ETag')).toMatch(/-v1-/)
  })

  it('errors before streaming are problem+json: 404, 415, 400, 401, 403', async () => {
    const { call, screen } = await setup()
    await expectProblem(await call('POST', '/protocols/nope/screen', { body: line(eligible), type: NDJSON }), 404, 'not-found')
    await expectProblem(await screen(line(eligible), '?version=99'), 404, 'not-found')
    const json = await expectProblem(await screen(JSON.stringify([eligible]), '', 'application/json'), 415, 'unsupported-media-type')
    expect(json.detail).toContain('application/x-ndjson')
    await expectProblem(await call('POST', SCREEN, { body: line(eligible), type: 'text/plain' }), 415, 'unsupported-media-type')
    await expectProblem(await call('POST', SCREEN, {}), 415, 'unsupported-media-type') // no body, no Content-Type
    await expectProblem(await screen(line(eligible), '?version=0'), 400, 'invalid-request')
    await expectProblem(await screen(line(eligible), '?missing=yes'), 400, 'invalid-request')
    await expectProblem(await call('POST', SCREEN, { as: null, body: line(eligible), type: NDJSON }), 401, 'unauthorized')
    await expectProblem(await call('POST', SCREEN, { as: 'viewer', body: line(eligible), type: NDJSON }), 403, 'forbidden')
    // designers edit protocols; only admin and clinician evaluate
    await expectProblem(await call('POST', SCREEN, { as: 'designer', body: line(eligible), type: NDJSON }), 403, 'forbidden')
    expect((await call('POST', SCREEN, { as: 'admin', body: line(eligible), type: NDJSON })).status).toBe(200)
  })

  it('is in /openapi.json with NDJSON in and out; the batch route points to it', async () => {
    const { call } = await setup()
    const doc = (await (await call('GET', '/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            summary: string
            'x-permission': string
            requestBody: { content: Record<string, unknown> }
            responses: Record<string, { content?: Record<string, unknown> }>
            parameters: Array<{ name: string }>
          }
        >
      >
    }
    const op = doc.paths['/protocols/{id}/screen']!.post!
    expect(op['x-permission']).toBe('evaluate')
    expect(op.summary).toContain('nothing is written to the screening log')
    expect(Object.keys(op.requestBody.content).sort()).toEqual(['application/ndjson', 'application/x-ndjson'])
    expect(Object.keys(op.responses['200']!.content!)).toEqual(['application/x-ndjson'])
    expect(op.parameters.map(p => p.name)).toEqual(['id', 'version', 'missing'])
    expect(doc.paths['/protocols/{id}/evaluate/batch']!.post!.summary).toContain('/protocols/{id}/screen')
  })
})

describe('POST /protocols/:id/screen over a real socket', () => {
  let t: TestApp
  let server: ReturnType<typeof serve>
  let url: string
  const headers = () => ({ Authorization: `Bearer ${t.tokenFor('clinician')}`, 'Content-Type': NDJSON })

  beforeAll(async () => {
    t = await testApp()
    await new Promise<void>(resolve => {
      server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}${SCREEN}`
        resolve()
      })
    })
  })
  afterAll(async () => {
    await new Promise<void>(resolve => server.close(() => resolve()))
    t.store.close()
  })

  /** Reject when `p` takes longer than `ms`: a server that buffered the body would never answer. */
  const within = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms))])

  it('streams: the first result arrives before the rest of the body is sent', async () => {
    const records = [...syntheticPatientStream(examples, 200, 11)]
    let sendRest!: () => void
    const restAllowed = new Promise<void>(resolve => (sendRest = resolve))
    let secondHalfSent = false
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(encoder.encode(records.slice(0, 100).map(line).join('')))
        // the second half waits until a result line was read from the answer
        await restAllowed
        secondHalfSent = true
        c.enqueue(encoder.encode(records.slice(100).map(line).join('')))
        c.close()
      },
    })
    const res = await within(fetch(url, { method: 'POST', headers: headers(), body, duplex: 'half' } as RequestInit), 10_000, 'response headers')
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    while (!text.includes('\n')) {
      const { value, done } = await within(reader.read(), 10_000, 'the first result line')
      expect(done).toBe(false)
      text += decoder.decode(value, { stream: true })
    }
    expect(secondHalfSent).toBe(false)
    expect(JSON.parse(text.slice(0, text.indexOf('\n')))).toMatchObject({ index: 0, line: 1, id: 'SYN-000000' })
    sendRest()
    for (;;) {
      const { value, done } = await within(reader.read(), 10_000, 'the rest of the answer')
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
    const { results, funnel } = parse(text)
    expect(results.map(r => r.index)).toEqual(records.map((_, i) => i))
    expect(results.map(r => r.id)).toEqual(records.map(r => r.id))
    expect(funnel).toEqual(screenLocally(records.map(line).join('')).funnel)
  })

  it('back-pressure: while the client reads no results, the server stops reading the body', async () => {
    // 1 KB records: socket buffers on both sides hold a few MB, far less than the body
    const piece = encoder.encode(line({ id: 'x'.repeat(1000) }).repeat(64))
    const totalBytes = 2000 * piece.length // 1.3e8 bytes, 128 000 records
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= totalBytes) return c.close()
        sent += piece.length
        c.enqueue(piece)
      },
    })
    const aborter = new AbortController()
    const res = await within(
      fetch(url, { method: 'POST', headers: headers(), body, duplex: 'half', signal: aborter.signal } as RequestInit),
      10_000,
      'response headers',
    )
    expect(res.status).toBe(200)
    // not reading: wait until the upload stalls
    let before = -1
    while (sent !== before) {
      before = sent
      await new Promise(r => setTimeout(r, 500))
    }
    expect(sent).toBeLessThan(totalBytes / 4)
    // reading resumes the upload
    const reader = res.body!.getReader()
    let read = 0
    while (read < 1 << 20) read += (await within(reader.read(), 10_000, 'results after the stall')).value!.length
    const stalledAt = sent
    await new Promise(r => setTimeout(r, 200))
    while (sent === stalledAt) read += (await within(reader.read(), 10_000, 'results until more body is read')).value!.length
    expect(sent).toBeGreaterThan(stalledAt)
    aborter.abort()
    await reader.cancel().catch(() => {})
    // the server is still answering
    const after = await fetch(url, { method: 'POST', headers: headers(), body: line(eligible) })
    expect(parse(await after.text()).results).toMatchObject([{ overall: 'eligible' }])
  })

  // 5 000 records, ten 500-record chunks of the body, megabytes each way: more than the socket buffers hold,
  // so the order and the funnel are kept across many reads and writes (streaming itself: the two tests above)
  it('5 000 records: every one answered in order, the funnel equal to the Screener one', async () => {
    const N = 5_000
    let i = 0
    const gen = syntheticPatientStream(examples, N, 20261125)
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        let chunk = ''
        for (let k = 0; k < 500; k++) {
          const next = gen.next()
          if (next.done) {
            if (chunk) c.enqueue(encoder.encode(chunk))
            return c.close()
          }
          chunk += line(next.value)
          i++
        }
        c.enqueue(encoder.encode(chunk))
      },
    })
    const res = await fetch(url, { method: 'POST', headers: headers(), body, duplex: 'half' } as RequestInit)
    expect(res.status).toBe(200)
    const { results, funnel, last } = parse(await res.text())
    expect(i).toBe(N)
    expect(results).toHaveLength(N)
    expect(results.every((r, k) => r.index === k && r.line === k + 1 && r.id === `SYN-${String(k).padStart(6, '0')}`)).toBe(true)
    expect(Object.keys(last)).toEqual(['funnel'])
    const local = screenLocally([...syntheticPatientStream(examples, N, 20261125)].map(line).join(''))
    expect(funnel).toEqual(local.funnel)
    expect(funnel).toMatchObject({ records: N, invalid: 0, evaluated: N })
    expect(funnel.overall.eligible + funnel.overall.ineligible + funnel.overall.undetermined).toBe(N)
  }, 120_000)
})
