// @vitest-environment happy-dom
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TpFhirImport } from '../../web/components/tp-fhir-import.ts'
import { importFhirBundle } from '../../engine/fhir/index.ts'
import { text } from './dom.ts'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/fhir', name), 'utf8')
const calls: Array<{ method: string; path: string; type: string | null; body: unknown }> = []

/** fetch answering POST /fhir/patient with the engine's own import (as the server does), or `answer`. */
function stubFetch(answer?: { status: number; body: unknown }) {
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const body = init.body ? JSON.parse(String(init.body)) : undefined
    calls.push({ method: init.method ?? 'GET', path: input, type: new Headers(init.headers).get('Content-Type'), body })
    const r = answer ?? { status: 200, body: importFhirBundle(body) }
    return new Response(JSON.stringify(r.body), {
      status: r.status,
      headers: { 'Content-Type': r.status >= 400 ? 'application/problem+json' : 'application/json' },
    })
  })
}

async function mount(): Promise<TpFhirImport> {
  document.body.innerHTML = ''
  const el = document.createElement('tp-fhir-import')
  document.body.append(el)
  await el.updateComplete
  return el
}
const $ = (el: TpFhirImport, sel: string) => el.shadowRoot!.querySelector(sel)

async function paste(el: TpFhirImport, value: string) {
  const area = $(el, 'textarea') as HTMLTextAreaElement
  area.value = value
  area.dispatchEvent(new Event('input'))
  await el.updateComplete
  ;($(el, 'form') as HTMLFormElement).requestSubmit()
}

describe('tp-fhir-import', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-fhir-import.ts')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    calls.length = 0
  })

  it('labels every control; the import button waits for a bundle', async () => {
    const el = await mount()
    expect(text($(el, 'summary'))).toBe('Load from FHIR')
    for (const id of ['fhir-file', 'fhir-bundle']) expect($(el, `label[for="${id}"]`), id).not.toBeNull()
    expect(($(el, 'button[type="submit"]') as HTMLButtonElement).disabled).toBe(true)
  })

  it('posts the bundle, fires fhir-record with the record and lists what was not mapped', async () => {
    stubFetch()
    const el = await mount()
    const got: unknown[] = []
    document.body.addEventListener('fhir-record', e => got.push((e as CustomEvent).detail.record))
    await paste(el, fixture('complete.json'))
    await vi.waitFor(() => expect(got).toHaveLength(1))
    expect(calls).toEqual([expect.objectContaining({ method: 'POST', path: '/fhir/patient', type: 'application/json' })])
    expect(got[0]).toMatchObject({ id: 'SYN-FHIR-1', birth_date: '1990-05-01', sex: 'female' })
    await el.updateComplete
    expect(text($(el, '[role="status"]'))).toMatch(/^Imported \d+ items into the form \(patient SYN-FHIR-1\); 2 not mapped \(listed below\)\.$/)
    // whole resources the record has no place for are counted per type, not listed one by one
    expect(text($(el, 'p.unused'))).toBe('2 resources the patient record has no place for: AllergyIntolerance ×1, Encounter ×1.')
    expect(el.shadowRoot!.querySelectorAll('ul.unmapped li')).toHaveLength(0)
    // matched by name: listed for checking, with a symbol, not only a colour
    expect([...el.shadowRoot!.querySelectorAll('ul.by-name li')].map(text)).toEqual([
      expect.stringMatching(/^⚠ MedicationStatement\/prednisone "predniSONE 10 MG Oral Tablet" → medications\[2\]/),
      expect.stringMatching(/^⚠ Procedure\/kidney-biopsy "Kidney biopsy" → procedures\[0\]/),
    ])
  })

  it('the same problem with the same code is one line with a count (a vital sign in every encounter)', async () => {
    stubFetch()
    const el = await mount()
    const height = (i: number) => ({
      resource: {
        resourceType: 'Observation',
        id: `h${i}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8302-2', display: 'Body Height' }] },
        effectiveDateTime: '2025-01-01',
        valueQuantity: { value: 170, system: 'http://unitsofmeasure.org', code: 'cm' },
      },
    })
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p', birthDate: '1990-01-01', gender: 'female' } },
        height(1),
        height(2),
        height(3),
        { resource: { resourceType: 'Encounter', id: 'e' } },
      ],
    }
    await paste(el, JSON.stringify(bundle))
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll('ul.unmapped li').length).toBe(1))
    expect(text($(el, 'ul.unmapped li'))).toMatch(
      /^✗ Observation ×3 entry\[1\]\.resource\.code, entry\[2\]\.resource\.code, … Code not in the dictionary \(UNKNOWN_CODE\): .*8302-2 "Body Height"/,
    )
    expect(text($(el, 'p.unused'))).toBe('1 resource the patient record has no place for: Encounter ×1.')
  })

  it('says which parts were imported without an element', async () => {
    stubFetch()
    const el = await mount()
    await paste(el, fixture('missing-dates.json'))
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll('ul.unmapped li').length).toBeGreaterThan(0))
    const items = [...el.shadowRoot!.querySelectorAll('ul.unmapped li')].map(text)
    expect(items).toContainEqual(expect.stringMatching(/^✗ Condition\/sle-no-onset .*No usable date \(MISSING_DATE\) — the rest of the resource was imported/))
    expect(items).toContainEqual(expect.stringMatching(/^✗ Observation\/upcr-month-only .*Date is not a calendar day \(IMPRECISE_DATE\): /))
  })

  it('invalid JSON is reported without a request; no event', async () => {
    stubFetch()
    const el = await mount()
    const got: unknown[] = []
    el.addEventListener('fhir-record', e => got.push(e))
    await paste(el, '{ "resourceType": "Bundle", ')
    await el.updateComplete
    await vi.waitFor(() => expect(text($(el, 'tp-problem')?.shadowRoot)).toContain('not valid JSON'))
    expect(calls).toHaveLength(0)
    expect(got).toHaveLength(0)
  })

  it('a 422 (not a Bundle) shows the server detail and its located diagnostic; no event', async () => {
    stubFetch({
      status: 422,
      body: {
        type: 'https://ln-trial-rules.dev/problems/invalid-request',
        title: 'The request is not valid',
        status: 422,
        detail: 'the body is not a FHIR R4 Bundle',
        diagnostics: [{ code: 'E_SCHEMA_ENUM', severity: 'error', path: 'resourceType', message: 'expected a FHIR Bundle, got a Patient resource' }],
      },
    })
    const el = await mount()
    const got: unknown[] = []
    el.addEventListener('fhir-record', e => got.push(e))
    await paste(el, fixture('not-a-bundle.json'))
    await vi.waitFor(() => expect(text($(el, 'tp-problem')?.shadowRoot)).toContain('the body is not a FHIR R4 Bundle'))
    expect(text($(el, 'tp-problem')?.shadowRoot)).toContain('got a Patient resource')
    expect(got).toHaveLength(0)
    expect(el.shadowRoot!.querySelector('ul.unmapped')).toBeNull()
  })

  it('lists what was kept unrecognised as "To review", apart from what was not mapped, its text escaped', async () => {
    const record = {
      id: 'P-REVIEW',
      medications: [],
      unrecognised: {
        medications: [
          {
            text: '10 ML rituximab 10 MG/ML Injection [Rituxan] <img src=x onerror="window.pwned=1">',
            codes: ['http://www.nlm.nih.gov/research/umls/rxnorm|1657864'],
            possibly: ['rituximab', 'b_cell_depletion'],
            reason: 'not in the drug dictionary',
            source: 'entry[4].resource',
            start: '2026-10-05',
            stop: '2026-10-05',
          },
        ],
        conditions: [{ text: 'Neoplasm of uncertain behaviour', reason: 'code not in the dictionary', onset: '2024-02-01' }],
      },
    }
    const unmapped = [
      {
        path: 'entry[4].resource',
        resourceType: 'MedicationRequest',
        id: 'rtx',
        reason: 'UNKNOWN_CODE',
        message: 'RxNorm 1657864 is not in the dictionary',
        imported: false,
        kept: 'unrecognised.medications[0]',
      },
      {
        path: 'entry[5].resource',
        resourceType: 'Condition',
        id: 'neo',
        reason: 'UNKNOWN_CODE',
        message: 'SNOMED 1234 is not in the dictionary',
        imported: false,
        kept: 'unrecognised.conditions[0]',
      },
      {
        path: 'entry[6].resource',
        resourceType: 'Encounter',
        id: 'visit',
        reason: 'UNSUPPORTED_RESOURCE',
        message: 'Encounter is not used by the patient record',
        imported: false,
      },
    ]
    stubFetch({ status: 200, body: { record, mapped: [], unmapped } })
    const el = await mount()
    const got: unknown[] = []
    el.addEventListener('fhir-record', e => got.push((e as CustomEvent).detail.record))
    await paste(el, fixture('complete.json'))
    await vi.waitFor(() => expect(got).toHaveLength(1))
    await el.updateComplete
    expect(got[0]).toMatchObject({ unrecognised: record.unrecognised }) // handed on whole, for the evaluation
    expect(text($(el, '[role="status"]'))).toBe('Imported 0 items into the form (patient P-REVIEW); 2 to review, 1 not mapped (listed below).')

    const section = $(el, 'section.to-review')!
    expect(text(section.querySelector('h3'))).toBe('⚠ To review (2)')
    expect(text(section.querySelector('p'))).toBe('Imported but not recognised: the criteria these could decide stay unknown until someone reviews them.')
    const items = [...section.querySelectorAll('li')]
    expect(items.map(li => li.getAttribute('data-key'))).toEqual(['unrecognised.medications[0]', 'unrecognised.conditions[0]'])
    expect(text(items[0])).toBe(
      'Medication “10 ML rituximab 10 MG/ML Injection [Rituxan] <img src=x onerror="window.pwned=1">” http://www.nlm.nih.gov/research/umls/rxnorm|1657864 · 2026-10-05 to 2026-10-05 ' +
        'Could be rituximab, b_cell_depletion — not in the drug dictionary (UNKNOWN_CODE) (bundle entry[4].resource)',
    )
    expect(text(items[1])).toBe(
      'Condition “Neoplasm of uncertain behaviour” · from 2024-02-01 Could be any condition — code not in the dictionary (UNKNOWN_CODE)',
    )
    expect(section.querySelector('img')).toBeNull() // text, never markup

    // "not mapped" keeps only what was not kept
    expect(text($(el, 'p.unused'))).toBe('1 resource the patient record has no place for: Encounter ×1.')
    expect(el.shadowRoot!.querySelectorAll('ul.unmapped li')).toHaveLength(0)
  })

  it('no "To review" section when nothing was kept', async () => {
    stubFetch()
    const el = await mount()
    await paste(el, fixture('complete.json'))
    await vi.waitFor(() => expect($(el, 'p.unused')).not.toBeNull())
    expect($(el, 'section.to-review')).toBeNull()
  })
})
