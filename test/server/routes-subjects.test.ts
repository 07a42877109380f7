import { describe, expect, it } from 'vitest'
import { examplePatient, type SubjectRecord } from '../../engine/index.ts'
import { exampleSubject } from '../../engine/study.ts'
import { caller, testApp } from './helpers.ts'
import { shippedProtocol } from '../helpers/protocols.ts'

const P = 'nct05631717'
const examples = shippedProtocol('NCT05631717').examples!

/** The eligible example patient, without its id (the subject code becomes the id). */
function screeningRecord(): Record<string, unknown> {
  const { id: _id, ...record } = examplePatient(examples, 'eligible-baseline')
  return record
}

async function setup() {
  const t = await testApp()
  const { store, app } = t
  const call = caller(t, 'clinician')

  const register = async (code: string, record: Record<string, unknown> = screeningRecord()) => {
    const res = await call('POST', `/protocols/${P}/subjects`, { body: { code, record } })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }
  /** Screen a registered subject (its record as registered) and expect it eligible. */
  const screen = async (sid: string) => {
    const res = await call('POST', `/subjects/${sid}/screening`, { body: {} })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { overall: string }).overall).toBe('eligible')
  }
  /** What a failed request must not change. */
  const snapshot = async (sid: string) => ({ audit: await store.audit({}), subject: await store.subject(sid), evaluations: await store.evaluations({}) })
  return { store, app, call, register, screen, snapshot }
}

describe('full flow: register → screen → randomize → visits → endpoints', () => {
  it('reaches the hand-worked endpoints of example subject cr-by-week-20', async () => {
    const { call, store } = await setup()
    const subject = exampleSubject(examples, 'cr-by-week-20')
    // screening data: the eligible patient, on the subject's medications
    const reg = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-001', record: { ...screeningRecord(), medications: subject.medications } } })
    expect(reg.status).toBe(201)
    const created = (await reg.json()) as { id: string; status: string; record: SubjectRecord }
    expect(reg.headers.get('Location')).toBe(`/subjects/${created.id}`)
    expect(created).toMatchObject({ status: 'screened', record: { id: 'S-001' } })
    const sid = created.id

    const screen = await call('POST', `/subjects/${sid}/screening`, { body: {} })
    expect(screen.status).toBe(200)
    expect(await screen.json()).toMatchObject({ overall: 'eligible', version: 1, subject_id: sid, failing: [] })

    const rand = await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })
    expect(rand.status).toBe(200)
    expect(await rand.json()).toMatchObject({ status: 'randomized', arm: 'il2', record: { arm: 'il2', dates: { randomization: '2026-01-19' } } })

    for (const v of subject.visits ?? []) {
      const on = <T extends { date: string }>(xs: T[] | undefined) => (xs ?? []).filter(x => x.date === v.date)
      const res = await call('POST', `/subjects/${sid}/visits`, {
        body: {
          visit: v.visit,
          date: v.date,
          ...(v.attestations ? { attestations: v.attestations } : {}),
          measurements: on(subject.measurements),
          sledai_2k: on(subject.sledai_2k),
          bilag_2004: on(subject.bilag_2004),
          ...(v.visit === 'baseline' ? { administrations: subject.administrations } : {}),
        },
      })
      expect(res.status).toBe(201)
      expect(((await res.json()) as { warnings: string[] }).warnings).toEqual([])
    }
    const ae = await call('POST', `/subjects/${sid}/adverse-events`, { body: subject.adverse_events![0] })
    expect(ae.status).toBe(201)

    const res = await call('GET', `/subjects/${sid}/endpoints`, { as: 'viewer' })
    expect(res.status).toBe(200)
    const endpoints = (await res.json()) as {
      subject: string
      arm: string
      classifications: Array<{ visit: string; level: string }>
      times_to_event: Array<{ endpoint: string; days: number }>
      safety: Array<{ endpoint: string; value: boolean }>
    }
    expect(endpoints).toMatchObject({ version: 1, subject: 'S-001', arm: 'il2' })
    // the example's expectations, worked out by hand in the examples file
    expect(endpoints.classifications.map(c => [c.visit, c.level])).toEqual([
      ['week_4', 'NR'],
      ['week_8', 'PR'],
      ['week_16', 'PR'],
      ['week_20', 'CR'],
      ['week_24', 'CR'],
    ])
    expect(endpoints.times_to_event.map(t => [t.endpoint, t.days])).toEqual([
      ['time_to_pr', 56],
      ['time_to_cr', 140],
    ])
    expect(endpoints.safety.find(s => s.endpoint === 'teae')?.value).toBe(true)
    // the planned windows and the recorded dates come with them, for each visit's status
    const plan = endpoints as unknown as { visits: Array<{ visit: string; window_start: string }>; recorded_visits: Array<{ visit: string; date: string }> }
    expect(plan.visits.map(v => v.visit)).toEqual(['baseline', 'week_4', 'week_8', 'week_16', 'week_20', 'week_24'])
    expect(plan.recorded_visits).toHaveLength(6)

    const read = await call('GET', `/subjects/${sid}`, { as: 'viewer' })
    const body = (await read.json()) as { screening: unknown[]; record: SubjectRecord }
    expect(body.screening).toMatchObject([{ version: 1, overall: 'eligible', failing: [] }])
    expect(body.record.visits).toHaveLength(6)
    expect((await store.evaluations({ subjectId: sid })).map(e => e.version)).toEqual([1])

    // a clinician manages subjects and sees each one's arm (a blinded viewer does not: test/server/blinding.test.ts)
    const list = await call('GET', `/protocols/${P}/subjects`)
    // every visit recorded: nothing due
    expect(await list.json()).toEqual([
      { id: sid, code: 'S-001', status: 'randomized', arm: 'il2', arm_label: 'IL-2 group', screenings: null, next_visit: null, missed_visits: [] },
    ])

    // per arm: the admin is unblinded (NCT05631717 states no masking, handled as blinded)
    const results = await call('GET', `/protocols/${P}/results`, { as: 'admin' })
    expect(results.status).toBe(200)
    const summary = (await results.json()) as { subjects: number; arms: Array<{ arm: string; subjects: number }> }
    expect(summary.subjects).toBe(1)
    expect(summary.arms).toEqual([
      { arm: 'il2', label: 'IL-2 group', subjects: 1 },
      { arm: 'msc', label: 'MSCs group', subjects: 0 },
    ])
  })
})

describe('POST /protocols/:id/subjects', () => {
  it.each([
    { code: 'Jane Doe', want: /looks like a name/ }, // a space: a name, refused
    { code: 'S_001', want: /must match/ },
    { code: 'S', want: /must match/ }, // one character is too short
    { code: '-S01', want: /must match/ },
    { code: 'S'.repeat(33), want: /must match/ }, // 33 characters
  ])('code $code -> 400', async ({ code, want }) => {
    const { call, store } = await setup()
    const res = await call('POST', `/protocols/${P}/subjects`, { body: { code } })
    expect(res.status).toBe(400)
    const problem = (await res.json()) as { detail: string }
    expect(problem.detail).toMatch(want)
    expect(problem.detail).not.toContain('Jane')
    expect(await store.subjects()).toEqual([])
  })

  it('accepts a 32-character code and an empty record', async () => {
    const { call } = await setup()
    const res = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S'.repeat(32) } })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ code: 'S'.repeat(32), status: 'screened', arm: null, record: { id: 'S'.repeat(32) } })
  })

  it('409 for a code that exists in the protocol', async () => {
    const { call, register } = await setup()
    await register('S-001')
    const res = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-001' } })
    expect(res.status).toBe(409)
  })

  it('404 for an unknown protocol', async () => {
    const { call } = await setup()
    expect((await call('POST', '/protocols/nope/subjects', { body: { code: 'S-001' } })).status).toBe(404)
  })

  it('422 with diagnostics for an invalid record; nothing saved', async () => {
    const { call, store } = await setup()
    const auditBefore = await store.audit({})
    const res = await call('POST', `/protocols/${P}/subjects`, { body: { code: 'S-001', record: { sex: 'unknown', birth_date: '1990-13-01' } } })
    expect(res.status).toBe(422)
    const problem = (await res.json()) as { type: string; diagnostics: Array<{ path: string; code: string }> }
    expect(problem.type).toMatch(/invalid-subject$/)
    expect(problem.diagnostics.map(d => d.path).sort()).toEqual(['birth_date', 'sex'])
    expect(await store.subjects()).toEqual([])
    expect(await store.audit({})).toEqual(auditBefore)
  })

  it.each([
    { body: { code: 'S-001', record: { arm: 'il2' } }, why: 'arm is set by randomization' },
    { body: { code: 'S-001', name: 'Jane' }, why: 'unknown property' },
    { body: { record: {} }, why: 'code missing' },
  ])('400: $why', async ({ body }) => {
    const { call } = await setup()
    expect((await call('POST', `/protocols/${P}/subjects`, { body })).status).toBe(400)
  })
})

describe('permissions', () => {
  it('401 without a token, 403 for a role without the permission', async () => {
    const { call, register } = await setup()
    const sid = await register('S-001')
    expect((await call('GET', `/subjects/${sid}`, { as: null })).status).toBe(401)
    expect((await call('POST', `/protocols/${P}/subjects`, { as: null, body: { code: 'S-002' } })).status).toBe(401)
    expect((await call('POST', `/protocols/${P}/subjects`, { as: 'viewer', body: { code: 'S-002' } })).status).toBe(403)
    expect((await call('POST', `/protocols/${P}/subjects`, { as: 'designer', body: { code: 'S-002' } })).status).toBe(403)
    expect((await call('POST', `/subjects/${sid}/screening`, { as: 'viewer', body: {} })).status).toBe(403)
    expect((await call('POST', `/subjects/${sid}/randomize`, { as: 'viewer', body: { arm: 'il2', date: '2026-01-19' } })).status).toBe(403)
    expect((await call('POST', `/subjects/${sid}/visits`, { as: 'viewer', body: { visit: 'baseline', date: '2026-01-15' } })).status).toBe(403)
    expect((await call('POST', `/subjects/${sid}/adverse-events`, { as: 'viewer', body: {} })).status).toBe(403)
  })

  it('viewer reads subject data', async () => {
    const { call, register } = await setup()
    const sid = await register('S-001')
    for (const path of [`/subjects/${sid}`, `/protocols/${P}/subjects`, `/subjects/${sid}/endpoints`, `/protocols/${P}/results`]) {
      expect((await call('GET', path, { as: 'viewer' })).status, path).toBe(200)
    }
  })
})

describe('unknown subjects and protocols', () => {
  it.each([
    ['GET', '/subjects/nope', undefined],
    ['GET', '/subjects/nope/endpoints', undefined],
    ['GET', '/subjects/nope/calendar', undefined],
    ['POST', '/subjects/nope/screening', {}],
    ['POST', '/subjects/nope/randomize', { arm: 'il2', date: '2026-01-19' }],
    ['POST', '/subjects/nope/visits', { visit: 'baseline', date: '2026-01-15' }],
    ['POST', '/subjects/nope/adverse-events', {}],
    ['GET', '/protocols/nope/subjects', undefined],
    ['GET', '/protocols/nope/results', undefined],
  ])('%s %s -> 404', async (method, path, body) => {
    const { call } = await setup()
    expect((await call(method, path, { body })).status).toBe(404)
  })
})

describe('POST /subjects/:sid/screening', () => {
  it('merges the patch, saves it with the evaluation and uses the latest version', async () => {
    const { call, store, register } = await setup()
    const sid = await register('S-001')
    // a second version of the protocol (same text): screening must name version 2
    const current = await call('GET', `/protocols/${P}`, { as: 'viewer' })
    const yaml = ((await current.json()) as { yaml: string }).yaml
    const put = await call('PUT', `/protocols/${P}`, {
      as: 'admin',
      body: yaml,
      type: 'application/yaml',
      headers: { 'If-Match': current.headers.get('ETag')! },
    })
    expect(put.status).toBe(200)

    const res = await call('POST', `/subjects/${sid}/screening`, { body: { birth_date: null } })
    expect(res.status).toBe(200)
    const verdict = (await res.json()) as { overall: string; undecided: string[]; version: number; evaluation_id: number }
    expect(verdict).toMatchObject({ overall: 'undetermined', version: 2 })
    expect(verdict.undecided).toContain('IN02')
    const row = await store.subject(sid)
    expect(JSON.parse(row!.record)).not.toHaveProperty('birth_date')
    const [logged] = await store.evaluations({ subjectId: sid })
    expect(logged).toMatchObject({ id: verdict.evaluation_id, version: 2, subject_id: sid, overall: 'undetermined' })
  })

  it('422 for a patch that breaks the record: record, log and audit unchanged', async () => {
    const { call, register, snapshot } = await setup()
    const sid = await register('S-001')
    const before = await snapshot(sid)
    const res = await call('POST', `/subjects/${sid}/screening`, {
      body: { measurements: [{ concept: 'serum_creatinine', value: 'high', date: '2026-01-04' }] },
    })
    expect(res.status).toBe(422)
    const problem = (await res.json()) as { diagnostics: Array<{ path: string }> }
    expect(problem.diagnostics.length).toBeGreaterThan(0)
    expect(problem.diagnostics.every(d => d.path.startsWith('measurements[0]'))).toBe(true)
    expect(await snapshot(sid)).toEqual(before)
  })

  it.each([{ arm: 'il2' }, { id: 'Jane Doe' }])('400 for a patch touching %o', async patch => {
    const { call, register } = await setup()
    const sid = await register('S-001')
    expect((await call('POST', `/subjects/${sid}/screening`, { body: patch })).status).toBe(400)
  })
})

describe('POST /subjects/:sid/randomize', () => {
  it('randomize twice -> 409, the first randomization kept', async () => {
    const { call, register, screen, store } = await setup()
    const sid = await register('S-001')
    await screen(sid)
    expect((await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })).status).toBe(200)
    const before = await store.subject(sid)
    const again = await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'msc', date: '2026-01-20' } })
    expect(again.status).toBe(409)
    expect(await again.json()).toMatchObject({ status: 409, detail: expect.stringMatching(/randomized; only a screened subject/) as unknown })
    expect(await store.subject(sid)).toEqual(before)
  })

  it.each([
    { body: { arm: 'placebo', date: '2026-01-19' }, want: /not an arm.*il2, msc/ },
    { body: { arm: 'il2', date: '2026-02-30' }, want: /./ }, // no 30 February
    { body: { arm: 'il2', date: '19/01/2026' }, want: /./ },
    { body: { arm: 'il2' }, want: /./ },
  ])('400 for $body; nothing changed', async ({ body, want }) => {
    const { call, register, screen, snapshot } = await setup()
    const sid = await register('S-001')
    await screen(sid)
    const before = await snapshot(sid)
    const res = await call('POST', `/subjects/${sid}/randomize`, { body })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { detail: string }).detail).toMatch(want)
    expect(await snapshot(sid)).toEqual(before)
  })
})

describe('randomization needs an eligible latest screening', () => {
  it('409 when never screened, or when the latest screening is not eligible; nothing changed', async () => {
    const { call, register, snapshot } = await setup()
    const sid = await register('S-001')
    const before = await snapshot(sid)
    const never = await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })
    expect(never.status).toBe(409)
    expect(((await never.json()) as { detail: string }).detail).toMatch(/has not been screened/)
    expect(await snapshot(sid)).toEqual(before)
    // screened with a patch that makes the subject too young: ineligible
    expect((await call('POST', `/subjects/${sid}/screening`, { body: { birth_date: '2010-01-01' } })).status).toBe(200)
    const res = await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ screening: 'ineligible' })
  })
})

describe('POST /subjects/:sid/visits and adverse-events', () => {
  const randomized = async () => {
    const s = await setup()
    const sid = await s.register('S-001')
    await s.screen(sid)
    expect((await s.call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })).status).toBe(200)
    return { ...s, sid }
  }

  it('appends the visit and its data; warns for a date outside the window', async () => {
    const { call, sid, store } = await randomized()
    const measurement = { concept: 'serum_creatinine', value: 1.1, unit: 'mg/dL', date: '2026-03-01' }
    const res = await call('POST', `/subjects/${sid}/visits`, {
      body: { visit: 'week_4', date: '2026-03-01', measurements: [measurement], attestations: { other_deterioration: false } },
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { warnings: string[]; record: SubjectRecord }
    expect(body.warnings).toEqual(['2026-03-01 is outside the window of week_4 (2026-02-09 to 2026-02-23)'])
    expect(body.record.visits).toEqual([{ visit: 'week_4', date: '2026-03-01', attestations: { other_deterioration: false } }])
    const record = JSON.parse((await store.subject(sid))!.record) as SubjectRecord
    // the screening measurements are kept, the new one appended
    expect(record.measurements?.at(-1)).toEqual(measurement)
    expect(record.measurements).toHaveLength(3)
  })

  it("a dose change joins the current course of the drug, and the visit's response reads it", async () => {
    const { call, sid, store } = await randomized()
    const before = JSON.parse((await store.subject(sid))!.record) as SubjectRecord
    const course = before.medications!.findIndex(m => m.drug === 'prednisone')
    expect(course).toBeGreaterThanOrEqual(0)
    const res = await call('POST', `/subjects/${sid}/visits`, {
      body: { visit: 'week_4', date: '2026-02-16', dose_changes: [{ drug: 'Prednisone', amount: 7.5, unit: 'mg', frequency: 'daily' }] },
    })
    expect(res.status).toBe(201)
    const record = JSON.parse((await store.subject(sid))!.record) as SubjectRecord
    expect(record.medications).toHaveLength(before.medications!.length)
    expect(record.medications![course]!.doses!.at(-1)).toEqual({ date: '2026-02-16', amount: 7.5, unit: 'mg', frequency: 'daily' })
    const endpoints = JSON.stringify(await (await call('GET', `/subjects/${sid}/endpoints`)).json())
    expect(endpoints).toContain('prednisone 7.5 mg daily = 7.5 mg prednisone-equivalent')
  })

  it('422 for a dose change that cannot apply (stopping a drug not taken); nothing saved', async () => {
    const { call, sid, snapshot } = await randomized()
    const before = await snapshot(sid)
    const res = await call('POST', `/subjects/${sid}/visits`, {
      body: { visit: 'week_4', date: '2026-02-16', dose_changes: [{ drug: 'rituximab', amount: 0, unit: 'mg' }] },
    })
    expect(res.status).toBe(422)
    expect(await res.json()).toMatchObject({ diagnostics: [{ code: 'E_DOSE_NOTHING_TO_STOP', path: 'dose_changes[0].amount' }] })
    expect(await snapshot(sid)).toEqual(before)
  })

  it('the next visit due follows the recorded ones', async () => {
    const { call, sid } = await randomized()
    await call('POST', `/subjects/${sid}/visits`, { body: { visit: 'baseline', date: '2026-01-15' } })
    const list = (await (await call('GET', `/protocols/${P}/subjects`)).json()) as Array<{ next_visit: unknown }>
    expect(list[0]!.next_visit).toEqual({ visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' })
  })

  it('a visit skipped before a later recorded one is missed, not the next visit', async () => {
    // randomized a year after the screening data: nothing in the baseline window serves as baseline
    const s = await setup()
    const sid = await s.register('S-001')
    await s.screen(sid)
    expect((await s.call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2027-01-18' } })).status).toBe(200)
    await s.call('POST', `/subjects/${sid}/visits`, { body: { visit: 'week_4', date: '2027-02-15' } })
    const list = (await (await s.call('GET', `/protocols/${P}/subjects`)).json()) as Array<{ next_visit: { visit: string } | null; missed_visits: string[] }>
    expect(list[0]!.next_visit).toMatchObject({ visit: 'week_8' })
    expect(list[0]!.missed_visits).toEqual(['baseline'])
    expect(((await (await s.call('GET', `/subjects/${sid}/calendar`)).json()) as { baseline_from_data: object }).baseline_from_data).toEqual({})
  })

  it('a baseline visit not recorded but whose window holds the screening data is not missed', async () => {
    const { call, sid } = await randomized()
    await call('POST', `/subjects/${sid}/visits`, { body: { visit: 'week_4', date: '2026-02-16' } })
    const list = (await (await call('GET', `/protocols/${P}/subjects`)).json()) as Array<{ next_visit: { visit: string } | null; missed_visits: string[] }>
    expect(list[0]!.next_visit).toMatchObject({ visit: 'week_8' })
    expect(list[0]!.missed_visits).toEqual([])
    const cal = (await (await call('GET', `/subjects/${sid}/calendar`)).json()) as {
      baseline_from_data: Record<string, string>
      arm_label: string
      interventions: object
    }
    expect(cal.baseline_from_data.baseline! >= '2025-12-22' && cal.baseline_from_data.baseline! <= '2026-01-19').toBe(true)
    expect(cal).toMatchObject({ arm_label: 'IL-2 group', interventions: { il2_sc: 'Interleukin-2' } })
  })

  it('lists a subject registered and not screened yet with 0 screenings, and one screened with their count', async () => {
    const { call, register, screen } = await setup()
    await register('S-001')
    await screen(await register('S-002'))
    const list = (await (await call('GET', `/protocols/${P}/subjects`)).json()) as Array<{ code: string; screenings: number | null }>
    expect(list.map(r => [r.code, r.screenings])).toEqual([
      ['S-001', 0],
      ['S-002', 1],
    ])
  })

  it("a visit's record version is named by the visit's label", async () => {
    const { call, sid } = await randomized()
    await call('POST', `/subjects/${sid}/visits`, { body: { visit: 'week_4', date: '2026-02-16' } })
    const versions = (await (await call('GET', `/subjects/${sid}/record/versions`)).json()) as { versions: Array<{ action: string }> }
    expect(versions.versions.at(-1)!.action).toBe('visit week 4')
  })

  it('422 E_UNKNOWN_VISIT for a visit the protocol lacks; 409 for a visit already recorded', async () => {
    const { call, sid, snapshot } = await randomized()
    const before = await snapshot(sid)
    const unknown = await call('POST', `/subjects/${sid}/visits`, { body: { visit: 'week_12', date: '2026-04-13' } })
    expect(unknown.status).toBe(422)
    expect(await unknown.json()).toMatchObject({ diagnostics: [{ code: 'E_UNKNOWN_VISIT', path: 'visit', found: 'week_12' }] })
    expect(await snapshot(sid)).toEqual(before)
    expect((await call('POST', `/subjects/${sid}/visits`, { body: { visit: 'week_4', date: '2026-02-16' } })).status).toBe(201)
    expect((await call('POST', `/subjects/${sid}/visits`, { body: { visit: 'week_4', date: '2026-02-17' } })).status).toBe(409)
  })

  it('422 with diagnostics for invalid data; subject, log and audit unchanged', async () => {
    const { call, sid, snapshot } = await randomized()
    const before = await snapshot(sid)
    const res = await call('POST', `/subjects/${sid}/visits`, {
      body: { visit: 'week_4', date: '2026-02-16', measurements: [{ concept: 'serum_creatinine', value: 1.1, date: '2026-02-16' }] },
    })
    expect(res.status).toBe(422)
    const problem = (await res.json()) as { diagnostics: Array<{ path: string; code: string }> }
    expect(problem.diagnostics).toMatchObject([{ code: 'E_SCHEMA_REQUIRED', path: 'measurements[2].unit' }])
    expect(await snapshot(sid)).toEqual(before)
  })

  it('400 for a bad date or an unknown field', async () => {
    const { call, sid } = await randomized()
    expect((await call('POST', `/subjects/${sid}/visits`, { body: { visit: 'week_4', date: '2026-02-31' } })).status).toBe(400)
    expect((await call('POST', `/subjects/${sid}/visits`, { body: { visit: 'week_4', date: '2026-02-16', notes: 'x' } })).status).toBe(400)
  })

  it('concurrent visits: no recorded visit is lost', async () => {
    const { call, sid, store } = await randomized()
    const visits = ['baseline', 'week_4', 'week_8']
    const dates = ['2026-01-15', '2026-02-16', '2026-03-16']
    const res = await Promise.all(visits.map((visit, i) => call('POST', `/subjects/${sid}/visits`, { body: { visit, date: dates[i] } })))
    const saved = visits.filter((_, i) => res[i]!.status === 201)
    expect(res.every(r => r.status === 201 || r.status === 409)).toBe(true)
    const record = JSON.parse((await store.subject(sid))!.record) as SubjectRecord
    expect((record.visits ?? []).map(v => v.visit).sort()).toEqual(saved.sort())
  })

  it('adverse event: 201, or 422 with diagnostics and nothing saved', async () => {
    const { call, sid, snapshot } = await randomized()
    const event = { term: 'pneumonia', onset: '2026-02-01', seriousness: { hospitalization: true }, relatedness: 'not_related', ctcae_grade: 3 }
    const ok = await call('POST', `/subjects/${sid}/adverse-events`, { body: event })
    expect(ok.status).toBe(201)
    expect(((await ok.json()) as { record: SubjectRecord }).record.adverse_events).toEqual([event])
    const before = await snapshot(sid)
    const bad = await call('POST', `/subjects/${sid}/adverse-events`, { body: { term: 'rash', onset: '2026-02-01', relatedness: 'maybe', ctcae_grade: 7 } })
    expect(bad.status).toBe(422)
    const problem = (await bad.json()) as { type: string; diagnostics: Array<{ path: string }> }
    expect(problem.type).toMatch(/invalid-subject$/)
    expect(problem.diagnostics.map(d => d.path).sort()).toEqual([
      'adverse_events[1].ctcae_grade',
      'adverse_events[1].relatedness',
      'adverse_events[1].seriousness',
    ])
    expect(await snapshot(sid)).toEqual(before)
  })
})

describe('GET /subjects/:sid/calendar', () => {
  it('409 before randomization', async () => {
    const { call, register } = await setup()
    const sid = await register('S-001')
    expect((await call('GET', `/subjects/${sid}/calendar`)).status).toBe(409)
  })

  it('il2: doses from the randomization date and the planned visits', async () => {
    const { call, register, screen } = await setup()
    const sid = await register('S-001')
    await screen(sid)
    await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })
    // the clinician who doses the subject (a blinded viewer may not: test/server/blinding.test.ts)
    const res = await call('GET', `/subjects/${sid}/calendar`)
    expect(res.status).toBe(200)
    const cal = (await res.json()) as {
      arm: string
      dosing: { administrations: Array<{ date: string }>; totals: unknown[] }
      visits: Array<{ visit: string; due: string }>
    }
    expect(cal.arm).toBe('il2')
    expect(cal.dosing.administrations.slice(0, 2).map(a => a.date)).toEqual(['2026-01-19', '2026-01-21'])
    // 7 doses a cycle, 3 cycles (parameter il2_cycles)
    expect(cal.dosing.totals).toEqual([{ intervention: 'il2_sc', amount: 21_000_000, unit: '[IU]', doses: 21 }])
    expect(cal.visits.map(v => [v.visit, v.due])).toContainEqual(['week_4', '2026-02-16'])
  })

  it('msc: without a weight, the visits and what the dosing needs (no dosing); per kg with one', async () => {
    const { call, register, screen } = await setup()
    const sid = await register('S-001')
    await screen(sid)
    await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'msc', date: '2026-01-19' } })
    const missing = await call('GET', `/subjects/${sid}/calendar`)
    expect(missing.status).toBe(200)
    const none = (await missing.json()) as { dosing: unknown; dosing_problems: string[]; needs_weight: boolean; visits: Array<{ visit: string }> }
    expect(none.dosing).toBeNull()
    expect(none.needs_weight).toBe(true)
    expect(none.dosing_problems).toEqual([expect.stringMatching(/body weight/)])
    expect(none.visits.map(v => v.visit)).toContain('week_4')
    const res = await call('GET', `/subjects/${sid}/calendar?weight=60`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { dosing: { totals: unknown[] } }).dosing.totals).toEqual([
      { intervention: 'uc_msc_iv', amount: 120_000_000, unit: '{cells}', doses: 1 },
    ])
    expect((await call('GET', `/subjects/${sid}/calendar?weight=heavy`)).status).toBe(400)
  })

  it('msc: the latest recorded body weight when none is given', async () => {
    const { call, register, screen } = await setup()
    const base = screeningRecord()
    const measurements = [...(base.measurements as unknown[]), { concept: 'body_weight', value: 62500, unit: 'g', date: '2026-01-04' }]
    const sid = await register('S-001', { ...base, measurements })
    await screen(sid)
    await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'msc', date: '2026-01-19' } })
    const res = await call('GET', `/subjects/${sid}/calendar`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { dosing: { totals: Array<{ amount: number }> } }).dosing.totals[0]!.amount).toBe(125_000_000)
  })

  it('msc: a weight recorded at a visit in lb is converted to kg for the dose', async () => {
    const { call, register, screen } = await setup()
    const sid = await register('S-001')
    await screen(sid)
    await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'msc', date: '2026-01-19' } })
    const visit = await call('POST', `/subjects/${sid}/visits`, {
      body: { visit: 'baseline', date: '2026-01-19', measurements: [{ concept: 'body_weight', value: 132.277, unit: '[lb_av]', date: '2026-01-19' }] },
    })
    expect(visit.status).toBe(201)
    const cal = (await (await call('GET', `/subjects/${sid}/calendar`)).json()) as { dosing: { totals: Array<{ amount: number }> }; needs_weight: boolean }
    expect(cal.needs_weight).toBe(false)
    expect(cal.dosing.totals[0]!.amount / 2_000_000).toBeCloseTo(60, 3) // 132.277 lb = 60.000 kg
  })

  it('il2: a per-kg need is not claimed for an arm dosed per administration', async () => {
    const { call, register, screen } = await setup()
    const sid = await register('S-001')
    await screen(sid)
    await call('POST', `/subjects/${sid}/randomize`, { body: { arm: 'il2', date: '2026-01-19' } })
    const cal = (await (await call('GET', `/subjects/${sid}/calendar`)).json()) as { needs_weight: boolean; dosing_problems: string[] }
    expect([cal.needs_weight, cal.dosing_problems]).toEqual([false, []])
  })
})

describe('protocol calendars', () => {
  it('GET /protocols/:id/schedule: the il2 calendar', async () => {
    const { call } = await setup()
    const res = await call('GET', `/protocols/${P}/schedule?arm=il2&start=2026-01-19`, { as: 'viewer' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { version: number; schedule: { arm: string; administrations: Array<{ date: string; day: number; cycle: number }> } }
    expect(body.version).toBe(1)
    expect(body.schedule.administrations).toHaveLength(21)
    // cycle 2 starts 28 days after cycle 1 (day 29)
    expect(body.schedule.administrations[7]).toMatchObject({ date: '2026-02-16', day: 29, cycle: 2 })
  })

  it.each([
    { q: 'arm=msc&start=2026-01-19', status: 422 }, // per-kg dose, no weight
    { q: 'arm=msc&start=2026-01-19&weight=60', status: 200 },
    { q: 'arm=il2&start=2026-02-30', status: 400 }, // no such date
    { q: 'arm=il2', status: 400 }, // start required
    { q: 'start=2026-01-19', status: 400 }, // arm required
    { q: 'arm=placebo&start=2026-01-19', status: 400 },
    { q: 'arm=msc&start=2026-01-19&weight=0', status: 400 },
    { q: 'arm=il2&start=2026-01-19&version=9', status: 404 },
  ])('schedule?$q -> $status', async ({ q, status }) => {
    const { call } = await setup()
    expect((await call('GET', `/protocols/${P}/schedule?${q}`)).status).toBe(status)
  })

  it('GET /protocols/:id/visits: windows, and which visit a date belongs to', async () => {
    const { call } = await setup()
    const res = await call('GET', `/protocols/${P}/visits?start=2026-01-19&date=2026-02-18`, { as: 'viewer' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { visits: unknown[]; assignment: unknown; problems: string[] }
    expect(body.problems).toEqual([])
    expect(body.visits).toContainEqual({ visit: 'week_4', label: 'week 4', day: 29, due: '2026-02-16', window_start: '2026-02-09', window_end: '2026-02-23' })
    expect(body.assignment).toEqual({ date: '2026-02-18', visit: 'week_4', label: 'week 4', offset_days: 2 })
    const outside = (await (await call('GET', `/protocols/${P}/visits?start=2026-01-19&date=2026-04-01`)).json()) as {
      assignment: { visit: null; reason: string }
    }
    expect(outside.assignment).toMatchObject({ visit: null, reason: expect.stringMatching(/outside every visit window/) as unknown })
    expect((await call('GET', `/protocols/${P}/visits?start=2026-01-19&date=tomorrow`)).status).toBe(400)
    expect((await call('GET', `/protocols/${P}/visits`)).status).toBe(400)
    expect((await call('GET', `/protocols/nope/visits?start=2026-01-19`)).status).toBe(404)
    expect((await call('GET', `/protocols/${P}/visits?start=2026-01-19`, { as: null })).status).toBe(401)
  })
})

describe('screening without a body', () => {
  it('evaluates the record as stored when the body is empty', async () => {
    const { call, register } = await setup()
    const sid = await register('S-001')
    const res = await call('POST', `/subjects/${sid}/screening`, { headers: { 'Content-Type': 'application/json' } })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { overall: string }).overall).toBe('eligible')
  })
})
