/**
 * Example patients over HTTP: stored per protocol (bootstrap loads the
 * shipped file), read, saved as new versions with If-Match by designers,
 * audited, and run against a protocol draft without saving or logging
 * anything; located diagnostics for bad examples; migration of a database
 * made before examples were stored.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { bootstrap } from '../../server/bootstrap.ts'
import { openSqliteStore } from '../../server/storage/sqlite-store.ts'
import { sha256 } from '../../server/storage/content-hash.ts'
import { PROTOCOLS_DIR } from '../helpers/protocols.ts'
import { TEST_ACTOR, caller, expectProblem, retitled, testApp, type DiagnosticBody, type TestApp } from './helpers.ts'

const P = 'nct05631717'
const PROTOCOL = readFileSync(join(PROTOCOLS_DIR, `${P}.yaml`), 'utf8')
const EXAMPLES = readFileSync(join(PROTOCOLS_DIR, `${P}.examples.yaml`), 'utf8')
const MIGRATIONS = join(import.meta.dirname, '..', '..', 'server', 'storage', 'migrations')
const EXAMPLE_COUNT = (parseDocument(EXAMPLES).toJS() as { examples: unknown[] }).examples.length
const SUBJECT_COUNT = (parseDocument(EXAMPLES).toJS() as { subjects: unknown[] }).subjects.length
// complete response: UPCR < 0.5 g/g at the visit (registry text)
const CR_UPCR = 'measurement: { concept: urine_protein_creatinine_ratio, op: "<", value: 0.5, unit: g/g, window: { visit: current } }'

// IN04: UPCR > 1.0 g/g (registry text). Tightened to > 1.02, example upcr-1.01 (1.01 g/g) no longer meets it;
// loosened to > 1.005 it still does: both sides of the example's value.
const IN04_UPCR = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0\n'
const withUpcrThreshold = (value: string) => PROTOCOL.replace(IN04_UPCR, IN04_UPCR.replace('value: 1.0', `value: ${value}`))

interface RunBody {
  total: number
  passed: number
  failed: number
  examples_version: number | null
  results: RunResult[]
  subjects: { total: number; passed: number; failed: number; results: RunResult[] }
}
type RunResult = {
  id: string
  description: string
  line?: number
  passed: boolean
  differ: string[]
  checks: Array<{ subject: string; expected: string; actual: string; ok: boolean; reason?: string }>
}

/** Line (1-based) of `text` in the examples file. */
const lineOf = (source: string, text: string) => source.slice(0, source.indexOf(text)).split('\n').length

describe('examples API', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  beforeAll(async () => {
    t = await testApp()
    call = caller(t, 'designer')
  })

  it('sanity: the threshold edits change exactly one line of IN04', () => {
    expect(withUpcrThreshold('1.02')).not.toBe(PROTOCOL)
    expect(
      withUpcrThreshold('1.02')
        .split('\n')
        .filter((l, i) => l !== PROTOCOL.split('\n')[i]),
    ).toEqual(['            value: 1.02'])
  })

  describe('read', () => {
    it('serves the shipped examples, loaded by bootstrap, with an ETag; YAML on request', async () => {
      const res = await call('GET', `/protocols/${P}/examples`, { as: 'viewer' })
      expect(res.status).toBe(200)
      const etag = res.headers.get('ETag')
      expect(etag).toMatch(new RegExp(`^"${P}-examples-v1-[0-9a-f]{16}"$`))
      expect(await res.json()).toMatchObject({
        protocol_id: P,
        version: 1,
        protocol_version: 1,
        yaml: EXAMPLES,
        author: 'system',
        change_note: `loaded from protocols/${P}.examples.yaml`,
      })
      const yaml = await call('GET', `/protocols/${P}/examples`, { as: 'viewer', headers: { Accept: 'application/yaml' } })
      expect(yaml.headers.get('Content-Type')).toMatch(/^application\/yaml/)
      expect(yaml.headers.get('ETag')).toBe(etag)
      expect(await yaml.text()).toBe(EXAMPLES)
    })

    it('404 for an unknown protocol, and for a protocol with no examples saved', async () => {
      await expectProblem(await call('GET', '/protocols/nope/examples'), 404, 'not-found')
      const created = await call('POST', '/protocols', { body: { yaml: retitled(PROTOCOL, 'copy without examples'), id: 'no-examples' } })
      expect(created.status).toBe(201)
      const body = await expectProblem(await call('GET', '/protocols/no-examples/examples'), 404, 'not-found')
      expect(body.detail).toContain('none saved yet')
    })

    it('publishes the JSON Schemas the editor completes from; 404 for others', async () => {
      const res = await call('GET', '/schemas/protocol.schema.json', { as: null })
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toMatch(/^application\/schema\+json/)
      const schema = (await res.json()) as { $id: string; $defs: Record<string, unknown> }
      expect(schema.$id).toBe('https://ln-trial-rules.dev/schema/protocol.schema.json')
      expect(schema.$defs).toHaveProperty('measurementLeaf')
      const again = await call('GET', '/schemas/protocol.schema.json', { as: null, headers: { 'If-None-Match': res.headers.get('ETag')! } })
      expect(again.status).toBe(304)
      await expectProblem(await call('GET', '/schemas/secrets.json', { as: null }), 404, 'not-found')
    })
  })

  describe('run against a draft', () => {
    it(`the saved examples all pass on the saved protocol (${EXAMPLE_COUNT} examples)`, async () => {
      const res = await call('POST', `/protocols/${P}/examples/run`, { as: 'viewer', body: {} })
      expect(res.status).toBe(200)
      const body = (await res.json()) as RunBody
      expect(body).toMatchObject({ total: EXAMPLE_COUNT, passed: EXAMPLE_COUNT, failed: 0, examples_version: 1 })
      const first = body.results[0]!
      expect(first.line).toBe(lineOf(EXAMPLES, `  - id: ${first.id}`))
      expect(first.checks[0]).toMatchObject({ subject: 'overall', ok: true })
    })

    it('a draft that tightens IN04 to UPCR > 1.02 fails upcr-1.01, naming IN04 expected met, got unknown', async () => {
      const res = await call('POST', `/protocols/${P}/examples/run`, { as: 'viewer', body: { yaml: withUpcrThreshold('1.02') } })
      expect(res.status).toBe(200)
      const body = (await res.json()) as RunBody
      const failed = body.results.filter(r => !r.passed).map(r => r.id)
      expect(failed).toContain('upcr-1.01')
      expect(failed).toContain('upcr-1010-mg-per-g') // 1.01 g/g as well
      expect(failed).not.toContain('eligible-baseline') // 1.8 g/g: far from the threshold
      expect(body.failed).toBe(failed.length)
      expect(body.passed).toBe(EXAMPLE_COUNT - failed.length)
      const ex = body.results.find(r => r.id === 'upcr-1.01')!
      expect(ex.line).toBe(lineOf(EXAMPLES, '  - id: upcr-1.01'))
      expect(ex.differ).toEqual(['overall', 'IN04'])
      expect(ex.checks).toEqual([
        { subject: 'overall', expected: 'eligible', actual: 'undetermined', ok: false },
        expect.objectContaining({ subject: 'IN04', expected: 'met', actual: 'unknown', ok: false, reason: expect.any(String) }),
      ])
    })

    it(`runs the example subjects too: all ${SUBJECT_COUNT} pass on the saved protocol, located in the YAML`, async () => {
      const body = (await (await call('POST', `/protocols/${P}/examples/run`, { as: 'viewer', body: {} })).json()) as RunBody
      expect(body.subjects).toMatchObject({ total: SUBJECT_COUNT, passed: SUBJECT_COUNT, failed: 0 })
      const first = body.subjects.results[0]!
      expect(first).toMatchObject({ passed: true, checks: [], differ: [] })
      expect(first.line).toBe(lineOf(EXAMPLES, `  - id: ${first.id}`))
    })

    it('a draft that tightens complete response to UPCR < 0.3 fails the subjects whose CR rested on 0.3–0.5 g/g, naming endpoint and visit', async () => {
      const body = (await (
        await call('POST', `/protocols/${P}/examples/run`, { body: { yaml: PROTOCOL.replace(CR_UPCR, CR_UPCR.replace('value: 0.5', 'value: 0.3')) } })
      ).json()) as RunBody
      expect(body.failed).toBe(0) // eligibility is untouched
      const failed = body.subjects.results.filter(r => !r.passed)
      expect(failed.length).toBeGreaterThan(0)
      expect(body.subjects.failed).toBe(failed.length)
      for (const f of failed) {
        expect(f.checks.length).toBe(f.differ.length)
        for (const c of f.checks) expect(c).toMatchObject({ subject: expect.stringMatching(/^[a-z_0-9]+(@week_\d+)?$/) as unknown, ok: false })
      }
      expect(failed.flatMap(f => f.differ)).toContainEqual(expect.stringMatching(/^complete_response@week_\d+$/))
    })

    it('a draft that loosens it (> 1.005) keeps upcr-1.01 passing', async () => {
      const body = (await (await call('POST', `/protocols/${P}/examples/run`, { body: { yaml: withUpcrThreshold('1.005') } })).json()) as RunBody
      expect(body.results.find(r => r.id === 'upcr-1.01')?.passed).toBe(true)
      // upcr-1.0-and-24h-0.9 expects 1.0 g/g not to be above the threshold: still true at 1.005
      expect(body.failed).toBe(0)
    })

    it('runs a draft of the examples too: a changed expectation fails that example only', async () => {
      const examples = EXAMPLES.replace(
        'expect: { overall: eligible, criteria: { IN04: met } }',
        'expect: { overall: ineligible, criteria: { IN04: not_met } }',
      )
      const body = (await (await call('POST', `/protocols/${P}/examples/run`, { body: { examples } })).json()) as RunBody
      expect(body.examples_version).toBeNull()
      expect(body.results.filter(r => !r.passed).map(r => r.id)).toEqual(['upcr-1.01'])
    })

    it('nothing is saved, logged or audited', async () => {
      const before = {
        audit: await t.store.audit({ limit: 1_000_000 }),
        log: await t.store.evaluations({ limit: 1_000_000 }),
        examples: await t.store.protocolExamples(P),
      }
      await call('POST', `/protocols/${P}/examples/run`, { body: { yaml: withUpcrThreshold('1.02') } })
      expect(await t.store.audit({ limit: 1_000_000 })).toEqual(before.audit)
      expect(await t.store.evaluations({ limit: 1_000_000 })).toEqual(before.log)
      expect(await t.store.protocolExamples(P)).toEqual(before.examples)
    })

    it('422 with located diagnostics when the examples YAML is broken (document: examples)', async () => {
      const examples = EXAMPLES.replace('expect: { overall: eligible, criteria: { IN04: met } }', 'expect: { overall: maybe, criteria: { IN04: met } }')
      const body = await expectProblem(await call('POST', `/protocols/${P}/examples/run`, { body: { examples } }), 422, 'invalid-request')
      expect(body.document).toBe('examples')
      const line = lineOf(examples, 'overall: maybe')
      expect(body.diagnostics).toContainEqual(
        expect.objectContaining({
          severity: 'error',
          line,
          column: examples.split('\n')[line - 1]!.indexOf('maybe') + 1,
          path: expect.stringContaining('expect.overall'),
        }),
      )
    })

    it('422 located for a YAML syntax error and for an expectation naming a criterion the draft lacks', async () => {
      const syntax = await expectProblem(
        await call('POST', `/protocols/${P}/examples/run`, { body: { examples: 'protocol: NCT05631717\nexamples: [\n  { id: a\n' } }),
        422,
        'invalid-request',
      )
      expect((syntax.diagnostics as DiagnosticBody[])[0]).toMatchObject({ severity: 'error', line: expect.any(Number), column: expect.any(Number) })
      const examples = EXAMPLES.replace('criteria: { IN04: met } }', 'criteria: { IN99: met } }')
      const unknown = await expectProblem(await call('POST', `/protocols/${P}/examples/run`, { body: { examples } }), 422, 'invalid-request')
      expect(unknown.diagnostics).toContainEqual(expect.objectContaining({ code: 'E_EXAMPLE_UNKNOWN_CRITERION', line: lineOf(examples, 'IN99') }))
    })

    it('422 (document: protocol) when the protocol draft has errors', async () => {
      const body = await expectProblem(
        await call('POST', `/protocols/${P}/examples/run`, { body: { yaml: withUpcrThreshold('lots') } }),
        422,
        'invalid-protocol',
      )
      expect(body.document).toBe('protocol')
      expect(body.diagnostics).toContainEqual(expect.objectContaining({ line: lineOf(PROTOCOL, IN04_UPCR) + 2 }))
    })

    it('400 for a body that is not { yaml?, examples? }', async () => {
      await expectProblem(await call('POST', `/protocols/${P}/examples/run`, { body: { yaml: 42 } }), 400, 'invalid-request')
      await expectProblem(await call('POST', `/protocols/${P}/examples/run`, { body: { protocol: PROTOCOL } }), 400, 'invalid-request')
    })
  })

  describe('save', () => {
    const etagOf = async () => (await call('GET', `/protocols/${P}/examples`, { as: 'viewer' })).headers.get('ETag')!
    const edited = EXAMPLES.replace('description: UPCR 1.01 g/g, just above the threshold', 'description: UPCR 1.01 g/g, just above 1.0 g/g')

    it('viewers and clinicians may not save; designers may, with If-Match, and the save is audited', async () => {
      const etag = await etagOf()
      for (const as of ['viewer', 'clinician'] as const) {
        await expectProblem(await call('PUT', `/protocols/${P}/examples`, { as, body: { yaml: edited }, headers: { 'If-Match': etag } }), 403, 'forbidden')
      }
      await expectProblem(await call('PUT', `/protocols/${P}/examples`, { as: null, body: { yaml: edited } }), 401, 'unauthorized')
      const res = await call('PUT', `/protocols/${P}/examples`, { body: { yaml: edited, change_note: 'clearer wording' }, headers: { 'If-Match': etag } })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({
        protocol_id: P,
        version: 2,
        protocol_version: 1,
        author: 'test designer',
        change_note: 'clearer wording',
        warnings: [],
      })
      expect(res.headers.get('ETag')).toMatch(new RegExp(`^"${P}-examples-v2-`))
      const read = (await (await call('GET', `/protocols/${P}/examples`)).json()) as { yaml: string; version: number }
      expect(read).toMatchObject({ version: 2, yaml: edited })
      const v1 = (await (await call('GET', `/protocols/${P}/examples?version=1`)).json()) as { yaml: string }
      expect(v1.yaml).toBe(EXAMPLES) // kept
      const audit = await t.store.audit({ entity: 'protocol_examples', entityId: P })
      expect(audit.map(a => [a.actor, a.action, a.hash_before, a.hash_after])).toEqual([
        ['system', 'examples v1 (protocol v1)', null, sha256(EXAMPLES)],
        ['test designer', 'examples v2 (protocol v1)', sha256(EXAMPLES), sha256(edited)],
      ])
    })

    it('428 without If-Match, 412 with a stale one (nothing written)', async () => {
      const stale = (await call('GET', `/protocols/${P}/examples?version=1`)).headers.get('ETag')!
      const before = await t.store.protocolExamples(P)
      await expectProblem(await call('PUT', `/protocols/${P}/examples`, { body: { yaml: EXAMPLES } }), 428, 'precondition-required')
      const body = await expectProblem(
        await call('PUT', `/protocols/${P}/examples`, { body: { yaml: EXAMPLES }, headers: { 'If-Match': stale } }),
        412,
        'precondition-failed',
      )
      expect(body).toMatchObject({ latest_version: before!.version, latest: await etagOf() })
      await expectProblem(
        await call('PUT', `/protocols/${P}/examples`, { body: { yaml: EXAMPLES }, headers: { 'If-Match': '"other-v1-0000000000000000"' } }),
        412,
        'precondition-failed',
      )
      expect(await t.store.protocolExamples(P)).toEqual(before)
    })

    it('422 with located diagnostics for bad examples; nothing written', async () => {
      const before = await t.store.protocolExamples(P)
      const bad = EXAMPLES.replace('protocol: NCT05631717', 'protocol: NCT00000000')
      const body = await expectProblem(
        await call('PUT', `/protocols/${P}/examples`, { body: { yaml: bad }, headers: { 'If-Match': await etagOf() } }),
        422,
        'invalid-request',
      )
      expect(body.diagnostics).toContainEqual(expect.objectContaining({ code: 'E_EXAMPLE_PROTOCOL_MISMATCH', line: lineOf(bad, 'protocol: NCT00000000') }))
      expect(await t.store.protocolExamples(P)).toEqual(before)
    })

    it('the first examples of a protocol are saved without If-Match (412 with one); YAML bodies too', async () => {
      const id = 'first-examples'
      expect((await call('POST', '/protocols', { body: { yaml: retitled(PROTOCOL, `copy ${id}`), id } })).status).toBe(201)
      await expectProblem(
        await call('PUT', `/protocols/${id}/examples`, { body: { yaml: EXAMPLES }, headers: { 'If-Match': '"first-examples-examples-v1-0000000000000000"' } }),
        412,
        'precondition-failed',
      )
      const res = await call('PUT', `/protocols/${id}/examples`, { body: EXAMPLES, type: 'application/yaml', headers: { 'X-Change-Note': 'first' } })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ protocol_id: id, version: 1, change_note: 'first' })
    })
  })
})

describe('examples API: run against a saved version', () => {
  it('?version=N runs version N, the latest by default; 404 for a version that does not exist', async () => {
    const t = await testApp()
    const call = caller(t, 'designer')
    const v1 = await call('GET', `/protocols/${P}`, { as: 'viewer' })
    const put = await call('PUT', `/protocols/${P}`, {
      as: 'admin',
      body: withUpcrThreshold('1.02'),
      type: 'application/yaml',
      headers: { 'If-Match': v1.headers.get('ETag')! },
    })
    expect(put.status).toBe(200)
    const failedOn = async (query: string) => {
      const res = await call('POST', `/protocols/${P}/examples/run${query}`, { as: 'viewer', body: {} })
      expect(res.status).toBe(200)
      return ((await res.json()) as RunBody).results.filter(r => !r.passed).map(r => r.id)
    }
    expect(await failedOn('?version=1')).toEqual([])
    expect(await failedOn('?version=2')).toContain('upcr-1.01')
    expect(await failedOn('')).toContain('upcr-1.01') // the latest: version 2
    await expectProblem(await call('POST', `/protocols/${P}/examples/run?version=3`, { as: 'viewer', body: {} }), 404, 'not-found')
    await expectProblem(await call('POST', `/protocols/${P}/examples/run?version=0`, { as: 'viewer', body: {} }), 400, 'invalid-request')
  })
})

describe('migration of a database made before examples were stored', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('adds protocol_examples, keeps the data, and the next start loads the shipped examples once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ln-examples-migration-'))
    const file = join(dir, 'trial.db')
    // a v1 database, as the server made it before 002_examples.sql existed
    const old = new Database(file)
    old.exec(readFileSync(join(MIGRATIONS, '001_init.sql'), 'utf8'))
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
    old.prepare('INSERT INTO schema_migrations VALUES (1, ?)').run('2026-01-01T00:00:00.000Z')
    old.prepare('INSERT INTO protocols VALUES (?, ?, ?, 1)').run(P, 'NCT05631717', '2026-01-01T00:00:00.000Z')
    old
      .prepare('INSERT INTO protocol_versions VALUES (?, 1, ?, ?, ?, ?, ?)')
      .run(P, PROTOCOL, sha256(PROTOCOL), 'system', '2026-01-01T00:00:00.000Z', 'v1 database')
    old.close()

    const store = openSqliteStore(file)
    try {
      expect(await store.protocolVersion(P)).toMatchObject({ version: 1, change_note: 'v1 database', yaml: PROTOCOL })
      expect(await store.protocolExamples(P)).toBeUndefined()
      const first = await bootstrap(store, PROTOCOLS_DIR)
      expect(first).toMatchObject({ loaded: [], examples: [P], skipped: [] })
      expect(await store.protocolExamples(P)).toMatchObject({ version: 1, protocol_version: 1, yaml: EXAMPLES })
      expect((await bootstrap(store, PROTOCOLS_DIR)).examples).toEqual([]) // once
    } finally {
      store.close()
    }

    const db = new Database(file)
    try {
      // 002 applied on top of 1 (and any later migration after it)
      const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map(r => r.version)
      expect(versions.slice(0, 2)).toEqual([1, 2])
      expect(versions).toEqual(
        readdirSync(MIGRATIONS)
          .filter(f => /^\d+_.+\.sql$/.test(f))
          .map(f => Number(f.split('_')[0]))
          .sort((a, b) => a - b),
      )
      expect(() => db.prepare("UPDATE protocol_examples SET yaml = 'x'").run()).toThrow(/immutable/)
      expect(() => db.prepare('DELETE FROM protocol_examples').run()).toThrow(/kept/)
    } finally {
      db.close()
    }
  })

  it('examples that do not fit the stored protocol are skipped with a reason, not loaded', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ln-examples-skip-'))
    const store = openSqliteStore(join(dir, 'trial.db'))
    try {
      const other = PROTOCOL.replace('registry_id: NCT05631717', 'registry_id: NCT99999999')
      expect((await store.createProtocol({ id: P, registry_id: 'NCT99999999', yaml: other, change_note: 'renamed' }, TEST_ACTOR)).ok).toBe(true)
      const result = await bootstrap(store, PROTOCOLS_DIR)
      expect(result.examples).toEqual([])
      expect(result.skipped).toEqual([{ file: `${P}.examples.yaml`, reason: `1 error(s) against ${P} version 1` }])
      expect(await store.protocolExamples(P)).toBeUndefined()
    } finally {
      store.close()
    }
  })
})
