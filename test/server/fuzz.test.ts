/**
 * Malformed input never crashes the API: random and truncated YAML, random
 * unicode, deep nesting and broken JSON to the routes that parse bodies.
 * Every answer is a 2xx with diagnostics (or a verdict) or a problem+json;
 * never a 500. YAML errors carry line and column.
 */
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { examplePatient } from '../../engine/index.ts'
import { PROBLEM_BASE } from '../../server/errors.ts'
import { PROTOCOLS_DIR, shippedProtocol } from '../helpers/protocols.ts'
import { req, testApp, type DiagnosticBody, type ProblemBody, type TestApp } from './helpers.ts'

const P = 'nct05631717'
const YAML_TEXT = readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8')
const PATIENT_JSON = JSON.stringify(examplePatient(shippedProtocol('NCT05631717').examples!, 'eligible-baseline'))
const RUNS = Number(process.env.FUZZ_RUNS ?? 150)

/** Malformed-ish YAML: random text, truncated protocol, unicode, nesting, splices. */
const yamlText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...'-:[]{}&*!|>#%@`\'"? \n\t,'.split('')), maxLength: 120 }),
  fc.nat({ max: YAML_TEXT.length }).map(n => YAML_TEXT.slice(0, n)),
  fc.tuple(fc.nat({ max: YAML_TEXT.length }), fc.string({ unit: 'binary', maxLength: 20 })).map(([n, s]) => YAML_TEXT.slice(0, n) + s + YAML_TEXT.slice(n)),
  fc
    .tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('[', '{', '- ', 'a:\n'))
    .map(([n, open]) => (open === 'a:\n' ? Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:\n`).join('') : open.repeat(n))),
)

/** Malformed JSON: cut-off records, random text, JSON values of the wrong shape. */
const jsonText: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: PATIENT_JSON.length }).map(n => PATIENT_JSON.slice(0, n)),
  fc.string({ maxLength: 100 }),
  fc.string({ unit: fc.constantFrom(...'{}[]":,0-9e.tfn \\u'.split('')), maxLength: 80 }),
  fc.jsonValue({ maxDepth: 4 }).map(v => JSON.stringify(v) ?? 'null'),
  fc.integer({ min: 1, max: 5000 }).map(n => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 5000 }).map(n => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
)

const PROBLEM = 'application/problem+json'

/** The invariant: no 5xx; a problem with its own status, or a success with what the route promises. */
async function checkAnswer(res: Response, expectOk: (body: Record<string, unknown>) => void): Promise<DiagnosticBody[]> {
  const text = await res.text()
  expect(res.status, text.slice(0, 300)).toBeLessThan(500)
  const type = res.headers.get('Content-Type') ?? ''
  const body = JSON.parse(text) as Record<string, unknown>
  if (res.status >= 400) {
    expect(type).toBe(PROBLEM)
    const p = body as ProblemBody
    expect(p.type.startsWith(PROBLEM_BASE)).toBe(true)
    expect(p.status).toBe(res.status)
    return p.diagnostics ?? []
  }
  expect(type).toMatch(/^application\/json/)
  expectOk(body)
  return (body.diagnostics as DiagnosticBody[] | undefined) ?? []
}

function yamlErrorsAreLocated(diagnostics: DiagnosticBody[]) {
  for (const d of diagnostics.filter(d => d.code.startsWith('E_YAML'))) {
    expect(d, JSON.stringify(d)).toEqual(expect.objectContaining({ line: expect.any(Number), column: expect.any(Number) }))
    expect(d.line).toBeGreaterThanOrEqual(1)
    expect(d.column).toBeGreaterThanOrEqual(1)
  }
}

const validated = (body: Record<string, unknown>) => {
  expect(typeof body.valid).toBe('boolean')
  expect(Array.isArray(body.diagnostics)).toBe(true)
}

describe('fuzz: malformed bodies never crash the API', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
  })

  it('POST /validate with malformed YAML', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, async yaml => {
        const res = await req(t.app, 'POST', '/validate', { token: t.adminToken, yaml })
        yamlErrorsAreLocated(await checkAnswer(res, validated))
      }),
      { numRuns: RUNS },
    )
  })

  it('POST /validate with the YAML inside a JSON body', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, async yaml => {
        const res = await req(t.app, 'POST', '/validate', { token: t.adminToken, json: { yaml } })
        yamlErrorsAreLocated(await checkAnswer(res, validated))
      }),
      { numRuns: RUNS },
    )
  })

  it('POST /protocols (create) with malformed YAML', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, async yaml => {
        const res = await req(t.app, 'POST', '/protocols', { token: t.adminToken, yaml, headers: { 'X-Protocol-Id': 'fuzz' } })
        // a truncation that still validates is created once, then conflicts
        const diagnostics = await checkAnswer(res, body => expect(body).toMatchObject({ protocol_id: 'fuzz', version: 1 }))
        if (res.status === 422) expect(diagnostics.length).toBeGreaterThan(0)
        yamlErrorsAreLocated(diagnostics)
      }),
      { numRuns: RUNS },
    )
  })

  it.each(['/validate', '/protocols', `/protocols/${P}/evaluate`])('POST %s with malformed JSON', async path => {
    await fc.assert(
      fc.asyncProperty(jsonText, async json => {
        const res = await req(t.app, 'POST', path, { token: t.adminToken, json, headers: { 'X-Protocol-Id': 'fuzz-json' } })
        await checkAnswer(res, body => {
          if (path === '/validate') validated(body)
          else if (path === '/protocols') expect(body).toHaveProperty('version', 1)
          else expect(body).toMatchObject({ overall: expect.stringMatching(/^(eligible|ineligible|undetermined)$/) })
        })
      }),
      { numRuns: RUNS },
    )
  })

  it('POST /protocols/:id/evaluate with random JSON records: a verdict or a 422 listing the errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('birth_date', 'sex', 'dates', 'labs', 'id', 'reproductive', 'x'), fc.jsonValue({ maxDepth: 3 })),
        async record => {
          const res = await req(t.app, 'POST', `/protocols/${P}/evaluate`, { token: t.adminToken, json: record })
          const diagnostics = await checkAnswer(res, body => expect(body).toHaveProperty('overall'))
          if (res.status === 422) expect(diagnostics.length).toBeGreaterThan(0)
        },
      ),
      { numRuns: RUNS },
    )
  })

  // Found by the properties above: the engine's semantic checks of arms and
  // visits (engine/semantic/check-study.ts) read items the schema already
  // rejected (a null arm, an arm without interventions, a visit without id)
  // and throw, so the server answers 500. Kept as plain cases so the bug
  // shows on every run, not only when the generator hits it.
  it.each([
    ['an empty arm item', cutAfter('\narms:\n  -')],
    ['an arm without interventions', cutAfter('\narms:\n  - id: il2\n')],
    ['a visit item that is null', cutAfter('\nvisits:\n  - { id: baseline').replace(/visits:\n {2}- \{ id: baseline$/, 'visits:\n  -\n')],
  ])('regression: a protocol cut at %s is a 422, not a 500', async (_, yaml) => {
    for (const path of ['/validate', '/protocols']) {
      const res = await req(t.app, 'POST', path, { token: t.adminToken, yaml, headers: { 'X-Protocol-Id': 'cut' } })
      await checkAnswer(res, body => expect(body.valid).toBe(false))
    }
  })

  it.each([
    ['nine levels of nine (the fixture)', readFileSync(join(import.meta.dirname, '..', 'fixtures', 'yaml-alias-bomb.yaml'), 'utf8')],
    ['ten levels of ten', billionLaughs(10, 10)],
    [
      'a mapping of aliases',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `l${i}: &l${i} { ${Array.from({ length: 10 }, (_, j) => `k${j}: *${i === 0 ? 'a' : `l${i - 1}`}`).join(', ')} }`).join('\n')}\n`,
    ],
  ])('billion laughs (%s) is refused quickly', async (_, yaml) => {
    for (const path of ['/validate', '/protocols']) {
      const started = performance.now()
      const res = await req(t.app, 'POST', path, { token: t.adminToken, yaml })
      const elapsedMs = performance.now() - started
      const diagnostics = await checkAnswer(res, body => expect(body.valid).toBe(false))
      expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true)
      if (res.status === 200 || res.status === 422)
        expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'E_YAML_LIMIT', line: expect.any(Number), column: expect.any(Number) }))
      expect(elapsedMs).toBeLessThan(1000)
    }
  })
})

/** The shipped protocol up to and including the first occurrence of `marker`. */
function cutAfter(marker: string): string {
  const at = YAML_TEXT.indexOf(marker)
  if (at < 0) throw new Error(`marker ${JSON.stringify(marker)} not in the protocol`)
  return YAML_TEXT.slice(0, at + marker.length)
}

/** `levels` anchors, each a list of `width` aliases of the one before. */
function billionLaughs(levels: number, width: number): string {
  const lines = [`l0: &l0 [${Array.from({ length: width }, () => '"lol"').join(', ')}]`]
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(', ')}]`)
  return `${lines.join('\n')}\n`
}
