// @vitest-environment happy-dom
/**
 * Form ergonomics (issue 17): dates typed as YYYY-MM-DD, "All No" for a
 * criterion's group of questions, the shortcuts ("Use the screening date for
 * every empty date", "No entries in any of these histories", a consent date
 * answering "signed"), a stable id per field and the form's
 * words for "Still needed", the union form of several protocols, and the
 * record carried to another screen without patient data in the URL.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { compileProtocol, evaluateEligibility, loadProtocol, type PatientRecord, type ProtocolDocument } from '../../engine/index.ts'
import labConcepts from '../../engine/dictionary/lab-concepts.json' with { type: 'json' }
import { isCalendarDay, isoDateProblem, normaliseIsoDate } from '../../web/components/tp-iso-date.ts'
import type { TpPatientForm } from '../../web/components/tp-patient-form.ts'
import { noGroups } from '../../web/patient-form/controls.ts'
import { cap, fieldId, fieldLabel } from '../../web/patient-form/field-keys.ts'
import { deriveFields } from '../../web/patient-form/fields.ts'
import { stashRecord, takeRecord } from '../../web/patient-form/handoff.ts'
import { mergeFields } from '../../web/patient-form/merge.ts'
import { buildRecord, emptyState } from '../../web/patient-form/record.ts'
import type { LabConceptInfo } from '../../web/patient-form/units.ts'

const text = (name: string) => readFileSync(join(import.meta.dirname, `../../protocols/${name}.yaml`), 'utf8')
const docOf = (name: string) => parse(text(name)) as ProtocolDocument
const fieldsOf = (name: string) => deriveFields(docOf(name), labConcepts as LabConceptInfo[])
const fields = fieldsOf('nct05631717')

describe('dates typed as YYYY-MM-DD', () => {
  it('takes a real calendar day only', () => {
    expect(isCalendarDay('2026-01-05')).toBe(true)
    expect(isCalendarDay('2024-02-29')).toBe(true)
    expect(isCalendarDay('2026-02-29')).toBe(false)
    expect(isCalendarDay('2026-13-01')).toBe(false)
    expect(isCalendarDay('05/01/2026')).toBe(false)
  })
  it('completes digits and one-digit months and days', () => {
    expect(normaliseIsoDate('20260105')).toBe('2026-01-05')
    expect(normaliseIsoDate(' 2026-1-5 ')).toBe('2026-01-05')
    expect(normaliseIsoDate('5/1/2026')).toBe('5/1/2026')
  })
  it('says what is wrong, and that an unfinished date is still being typed', () => {
    expect(isoDateProblem('')).toBeUndefined()
    expect(isoDateProblem('2026-01-05')).toBeUndefined()
    expect(isoDateProblem('2026-0')).toMatchObject({ partial: true })
    expect(isoDateProblem('2026-02-30')).toEqual({ partial: false, message: '2026-02-30 is not a day of the calendar: check the month and the day.' })
    expect(isoDateProblem('5/1/2026')).toMatchObject({ partial: false, message: expect.stringContaining('type it as YYYY-MM-DD') })
  })
  it('leaves a date that is not a calendar day out of the record, in every section', () => {
    const s = emptyState()
    s.birth_date = '1990-02-30'
    s.dates = { consent: '2026-01-05', screening: '2026-01' }
    s.medications = { none: false, items: [{ drug: 'prednisone', start: '2025-13-01' }] }
    expect(buildRecord(s)).toEqual({ dates: { consent: '2026-01-05' }, medications: [{ drug: 'prednisone' }] })
  })
})

describe('All No groups', () => {
  it('groups the questions a criterion asks together: the six organ-disease attestations of EX03, pregnant and lactating of EX08', () => {
    const groups = noGroups(fields.attestations)
    expect([...groups.keys()]).toEqual(['EX03'])
    expect(groups.get('EX03')!.map(a => a.name)).toEqual([
      'severe_uncontrolled_cardiovascular_disease',
      'severe_uncontrolled_nervous_system_disease',
      'severe_uncontrolled_lung_disease',
      'severe_uncontrolled_liver_disease',
      'severe_uncontrolled_endocrine_disease',
      'severe_uncontrolled_gastrointestinal_disease',
    ])
    expect(
      noGroups(fields.facts)
        .get('EX08')!
        .map(f => f.name),
    ).toEqual(['pregnant', 'lactating'])
  })
})

describe('field ids and labels for "Still needed"', () => {
  it('derives one id per key', () => {
    expect(fieldId('acr_1997.malar_rash')).toBe('f-acr_1997-malar_rash')
    expect(fieldId('measurement:urine_protein_creatinine_ratio')).toBe('f-measurement-urine_protein_creatinine_ratio')
  })
  it("reads each key the engine names as missing in the form's words, for every key of an empty record", async () => {
    const { value } = loadProtocol(text('nct05631717'), { file: 'nct05631717.yaml' })
    const verdict = await evaluateEligibility(compileProtocol(value!), {})
    const labels = Object.fromEntries(verdict.missing.map(m => [m.key, fieldLabel(m.key, fields)]))
    expect(Object.entries(labels).filter(([, l]) => l === undefined)).toEqual([]) // the form collects everything it is asked for
    expect(labels['acr_1997.malar_rash']).toBe('Malar rash (ACR 1997)')
    expect(labels['dates.consent']).toBe('Informed consent date')
    expect(labels.informed_consent_signed).toBe('Informed consent signed')
    expect(labels.medications).toBe('Medications (every entry, or none)')
    expect(labels['attestations.willing_to_comply']).toMatch(/^Does the patient agree to comply/)
    expect(fieldLabel('measurement:urine_protein_creatinine_ratio', fields)).toBe('Urine protein/creatinine ratio')
    expect(fieldLabel('pregnancy_test:serum', fields)).toBe('Serum pregnancy test')
    // no field, no label: the engine's words are shown instead
    expect(fieldLabel('kidney_biopsies', fields)).toBeUndefined()
    expect(fieldLabel('measurement:serum_creatinine:reference_range', fields)).toBeUndefined()
  })
})

async function mount(f = fields) {
  document.body.innerHTML = ''
  const el = document.createElement('tp-patient-form') as TpPatientForm
  el.fields = f
  const records: PatientRecord[] = []
  el.addEventListener('patient-changed', e => records.push((e as CustomEvent<{ record: PatientRecord }>).detail.record))
  document.body.append(el)
  await el.updateComplete
  return { el, root: el.shadowRoot!, records }
}

describe('tp-patient-form: All No and focusField', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-patient-form.ts')
  })

  it('"All No" answers No to every unanswered question of the group, keeps answers given, says so, and is undone by changing any one', async () => {
    const { el, root, records } = await mount()
    root.querySelector<HTMLInputElement>('input[name="att-severe_uncontrolled_lung_disease"][value="yes"]')!.dispatchEvent(new Event('change'))
    await el.updateComplete
    root.querySelector<HTMLButtonElement>('button[data-all-no="EX03"]')!.click()
    await el.updateComplete
    expect(records.at(-1)!.attestations).toEqual({
      severe_uncontrolled_cardiovascular_disease: false,
      severe_uncontrolled_nervous_system_disease: false,
      severe_uncontrolled_lung_disease: true,
      severe_uncontrolled_liver_disease: false,
      severe_uncontrolled_endocrine_disease: false,
      severe_uncontrolled_gastrointestinal_disease: false,
    })
    // the questions of other criteria are not touched
    expect(records.at(-1)!.attestations!.willing_to_comply).toBeUndefined()
    expect(root.querySelector('[data-testid="form-said"]')!.textContent).toBe('5 unanswered questions of EX03 set to No; change any answer to undo it.')
    expect(root.querySelector<HTMLInputElement>('input[name="att-severe_uncontrolled_liver_disease"][value="no"]')!.checked).toBe(true)
    root.querySelector<HTMLInputElement>('input[name="att-severe_uncontrolled_liver_disease"][value="unknown"]')!.dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(records.at(-1)!.attestations!.severe_uncontrolled_liver_disease).toBeUndefined()
  })

  it('gives every field of a missing key its id, and focuses it', async () => {
    const { el, root } = await mount()
    for (const key of [
      'birth_date',
      'dates.screening',
      'acr_1997.malar_rash',
      'attestations.willing_to_comply',
      'measurement:urine_protein_creatinine_ratio',
      'measurement:sledai_2k_score',
      'pregnancy_test:urine',
      'medications',
      'pregnant',
    ])
      expect(root.querySelector(`#${fieldId(key)}`), key).not.toBeNull()
    expect(el.focusField('acr_1997.malar_rash')).toBe(true)
    expect(root.activeElement).toBe(root.querySelector('input[name="acr-malar_rash"][value="unknown"]'))
    expect(el.focusField('dates.screening')).toBe(true)
    expect(root.activeElement?.id).toBe('f-dates-screening')
    expect(el.focusField('kidney_biopsies')).toBe(false)
  })

  it('types dates in one text field, says when one is not a calendar day, and records it once it is', async () => {
    const { el, root, records } = await mount()
    const birth = root.querySelector<HTMLInputElement>('#f-birth_date')!
    expect([birth.type, birth.inputMode, birth.placeholder]).toEqual(['text', 'numeric', 'YYYY-MM-DD'])
    birth.value = '1990-02-30'
    birth.dispatchEvent(new Event('input'))
    await el.updateComplete
    expect(birth.getAttribute('aria-invalid')).toBe('true')
    expect(root.querySelector(`#${birth.getAttribute('aria-describedby')}`)!.textContent).toContain('1990-02-30 is not a day of the calendar')
    expect(records.at(-1)!.birth_date).toBeUndefined()
    birth.value = '19900501'
    birth.dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(birth.value).toBe('1990-05-01')
    expect(birth.getAttribute('aria-invalid')).toBe('false')
    expect(records.at(-1)!.birth_date).toBe('1990-05-01')
  })
})

describe('the union form of several protocols', () => {
  const other = fieldsOf('nct01639339')
  const merged = mergeFields([
    { label: 'NCT05631717', fields },
    { label: 'NCT01639339', fields: other },
  ])
  it('asks a field two protocols share once, naming the criteria of both', () => {
    expect(merged.birthDate!.usedBy).toEqual([
      ...fields.birthDate!.usedBy.map(id => `NCT05631717:${id}`),
      ...other.birthDate!.usedBy.map(id => `NCT01639339:${id}`),
    ])
    expect(merged.referenceDates.map(d => d.name)).toEqual([...new Set([...fields.referenceDates, ...other.referenceDates].map(d => d.name))])
  })
  it('adds what only the other protocol asks, after what the first asks', () => {
    const names = merged.attestations.map(a => a.name)
    expect(names.slice(0, fields.attestations.length)).toEqual(fields.attestations.map(a => a.name))
    for (const a of other.attestations) expect(names).toContain(a.name)
    expect(new Set(names).size).toBe(names.length)
    expect(merged.measurements.map(m => m.concept)).toEqual([...new Set([...fields.measurements, ...other.measurements].map(m => m.concept))])
  })
  it("leaves the protocols' own fields unchanged", () => {
    expect(fields.birthDate!.usedBy).toEqual(['IN02'])
  })
})

describe('carrying a record to another screen', () => {
  it('keeps it under a one-time id in session storage, never in the link', () => {
    const record = { birth_date: '1990-05-01', sex: 'female' as const }
    const id = stashRecord(record)
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(JSON.stringify(id)).not.toContain('1990')
    expect(takeRecord(id)).toEqual(record)
    expect(takeRecord(id)).toBeUndefined() // taken once
    expect(takeRecord('not-an-id')).toBeUndefined()
  })
})

describe('tp-patient-form: shortcuts', () => {
  beforeAll(async () => {
    await import('../../web/components/tp-patient-form.ts')
  })

  /** Type into a date (or any) input as a user does: input events, then change. */
  async function type(el: TpPatientForm, input: HTMLInputElement, text: string) {
    input.value = text
    input.dispatchEvent(new Event('input'))
    input.dispatchEvent(new Event('change'))
    await el.updateComplete
  }
  const button = (root: ShadowRoot, name: string) => [...root.querySelectorAll('button')].find(b => b.textContent!.trim() === name)
  const dateOf = (root: ShadowRoot, id: string) => root.querySelector<HTMLInputElement>(`#${id}`)!.value
  const signedTo = (root: ShadowRoot, t: string) => root.querySelector<HTMLInputElement>(`input[name="fact-informed_consent_signed"][value="${t}"]`)!
  const UPCR = 'f-measurement-urine_protein_creatinine_ratio-date'

  it('"Use the screening date for every empty date" is enabled by a screening date and fills only the empty dates of the visit, visibly', async () => {
    const { el, root, records } = await mount()
    const fill = button(root, 'Use the screening date for every empty date')!
    expect(fill.disabled).toBe(true)
    expect(root.querySelector('[data-testid="dates-filled"]')!.getAttribute('role')).toBe('status')
    await type(el, root.querySelector<HTMLInputElement>('#preg-urine-date')!, '2026-01-02') // already typed: kept
    await type(el, root.querySelector<HTMLInputElement>('#f-dates-screening')!, '2026-01-05')
    expect(fill.disabled).toBe(false)
    fill.click()
    await el.updateComplete
    expect(dateOf(root, 'f-dates-consent')).toBe('2026-01-05')
    expect(dateOf(root, 'preg-serum-date')).toBe('2026-01-05')
    expect(dateOf(root, 'sledai-date')).toBe('2026-01-05')
    expect(dateOf(root, UPCR)).toBe('2026-01-05')
    expect(dateOf(root, 'preg-urine-date')).toBe('2026-01-02')
    expect(dateOf(root, 'f-birth_date')).toBe('') // not a date of the visit
    expect(root.querySelector('[data-testid="dates-filled"]')!.textContent).toBe(
      `${fields.measurements.length + 2} empty dates set to 2026-01-05 (Informed consent date, Serum pregnancy test, ${fields.measurements.map(m => (m.input === 'sledai' ? 'SLEDAI-2K' : cap(m.name))).join(', ')}); type over any of them to change it.`,
    )
    // a date alone records no test or measurement: only the consent date (and what it implies) enters the record
    const r = records.at(-1)!
    expect(r.dates).toEqual({ consent: '2026-01-05', screening: '2026-01-05' })
    expect([r.measurements, r.sledai_2k, r.reproductive]).toEqual([undefined, undefined, undefined])
    expect(r.informed_consent).toEqual({ signed: true })
  })

  it('fills nothing when no date is empty, and its undo clears only the dates still holding the filled day', async () => {
    const { el, root } = await mount()
    await type(el, root.querySelector<HTMLInputElement>('#f-dates-screening')!, '2026-01-05')
    button(root, 'Use the screening date for every empty date')!.click()
    await el.updateComplete
    await type(el, root.querySelector<HTMLInputElement>(`#${UPCR}`)!, '2026-01-04') // typed over its filled value
    button(root, 'Use the screening date for every empty date')!.click()
    await el.updateComplete
    expect(root.querySelector('[data-testid="dates-filled"]')!.textContent).toBe('No date was empty: nothing filled.')
    expect(button(root, 'Clear the filled dates')).toBeUndefined() // the second fill filled nothing to clear

    const { el: el2, root: root2, records: records2 } = await mount()
    await type(el2, root2.querySelector<HTMLInputElement>('#f-dates-screening')!, '2026-01-05')
    button(root2, 'Use the screening date for every empty date')!.click()
    await el2.updateComplete
    await type(el2, root2.querySelector<HTMLInputElement>(`#${UPCR}`)!, '2026-01-04')
    button(root2, 'Clear the filled dates')!.click()
    await el2.updateComplete
    expect(dateOf(root2, 'f-dates-consent')).toBe('')
    expect(dateOf(root2, 'preg-serum-date')).toBe('')
    expect(dateOf(root2, UPCR)).toBe('2026-01-04')
    expect(dateOf(root2, 'f-dates-screening')).toBe('2026-01-05')
    expect(root2.querySelector('[data-testid="dates-filled"]')!.textContent).toBe(`${fields.measurements.length + 2} filled dates cleared.`)
    // the consent date is gone, and the "signed" it implied with it
    expect(records2.at(-1)!.dates).toEqual({ screening: '2026-01-05' })
    expect(records2.at(-1)!.informed_consent).toBeUndefined()
  })

  it('a consent date answers an unanswered "signed" Yes with a note; removing the date removes that answer only', async () => {
    const { el, root, records } = await mount()
    const consent = root.querySelector<HTMLInputElement>('#f-dates-consent')!
    await type(el, consent, '2026-01-05')
    expect(signedTo(root, 'yes').checked).toBe(true)
    expect(root.querySelector('#f-informed_consent_signed legend')!.textContent).toContain('(a consent date was entered)')
    expect(records.at(-1)!.informed_consent).toEqual({ signed: true })
    await type(el, consent, '')
    expect(signedTo(root, 'unknown').checked).toBe(true)
    expect(records.at(-1)!.informed_consent).toBeUndefined()
    // an unfinished date implies nothing
    await type(el, consent, '2026-01')
    expect(records.at(-1)!.informed_consent).toBeUndefined()

    // an answer the user gave is theirs: kept when a date is entered or removed
    signedTo(root, 'no').dispatchEvent(new Event('change'))
    await el.updateComplete
    await type(el, consent, '2026-01-05')
    expect(records.at(-1)!.informed_consent).toEqual({ signed: false })
    signedTo(root, 'yes').dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(root.querySelector('#f-informed_consent_signed legend')!.textContent).not.toContain('a consent date was entered')
    await type(el, consent, '')
    expect(records.at(-1)!.informed_consent).toEqual({ signed: true })
  })

  it('a record loaded with a consent date and no "signed" answer stays unanswered when something else changes', async () => {
    const { el, root, records } = await mount()
    el.state = { ...emptyState(), dates: { consent: '2026-01-05' } }
    await el.updateComplete
    await type(el, root.querySelector<HTMLInputElement>('#f-birth_date')!, '1990-05-01')
    expect(records.at(-1)!.informed_consent).toBeUndefined()
    expect(signedTo(root, 'unknown').checked).toBe(true)
  })

  it('an implied "signed" the user confirms becomes theirs: removing the date keeps it', async () => {
    const { el, root, records } = await mount()
    const consent = root.querySelector<HTMLInputElement>('#f-dates-consent')!
    await type(el, consent, '2026-01-05')
    signedTo(root, 'no').dispatchEvent(new Event('change'))
    await el.updateComplete
    signedTo(root, 'yes').dispatchEvent(new Event('change'))
    await el.updateComplete
    await type(el, consent, '')
    expect(records.at(-1)!.informed_consent).toEqual({ signed: true })
  })

  it('"No entries in any of these histories" records every history as none; unticking it, any section, or adding an entry undoes it', async () => {
    const { el, root, records } = await mount()
    const all = () => root.querySelector<HTMLInputElement>('[data-testid="no-histories"]')!
    const none = (sec: string) => root.querySelector<HTMLInputElement>(`section[data-section="${sec}"] input[type="checkbox"]`)!
    const sections = ['medications', 'conditions', 'procedures', 'vaccinations'] as const
    expect(all().checked).toBe(false)
    none('procedures').checked = true
    none('procedures').dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(all().checked).toBe(false) // one section is not all
    all().checked = true
    all().dispatchEvent(new Event('change'))
    await el.updateComplete
    for (const sec of sections) expect(records.at(-1)![sec], sec).toEqual([])
    expect(sections.map(sec => none(sec).checked)).toEqual([true, true, true, true])
    expect(all().checked).toBe(true)
    // unticking one section unticks it
    none('conditions').checked = false
    none('conditions').dispatchEvent(new Event('change'))
    await el.updateComplete
    expect(all().checked).toBe(false)
    expect(records.at(-1)!.conditions).toBeUndefined()
    expect(records.at(-1)!.medications).toEqual([])
    // ticked again, then unticked: every history back to not recorded
    all().checked = true
    all().dispatchEvent(new Event('change'))
    await el.updateComplete
    all().checked = false
    all().dispatchEvent(new Event('change'))
    await el.updateComplete
    for (const sec of sections) expect(records.at(-1)![sec], sec).toBeUndefined()
    // an entry makes "no entries" untrue: unticked and disabled
    all().checked = true
    all().dispatchEvent(new Event('change'))
    await el.updateComplete
    button(root, 'Add medication')!.click()
    await el.updateComplete
    await type(el, root.querySelector<HTMLInputElement>('#medications-0-drug')!, 'prednisone')
    expect([all().checked, all().disabled]).toEqual([false, true])
    expect(records.at(-1)!.medications).toEqual([{ drug: 'prednisone' }])
    expect(records.at(-1)!.vaccinations).toEqual([])
  })
})
