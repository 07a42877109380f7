/**
 * A subject's values over time, for charts: UPCR and serum creatinine
 * converted into their concepts' canonical units, SLEDAI-2K (a recorded
 * score, or one scored from all 24 descriptors) and the total systemic
 * glucocorticoid dose in prednisone-equivalent mg/day as steps. Each point
 * has its ISO date and study day; thresholds are read from the protocol's
 * response endpoints. The conversions use the engine's calculators, which the
 * browser does not load.
 */
import { convertQuantity, dosesPerDay, formatIsoDate, parseIsoDate, prednisoneEquivalentMg, scoreSledai2k } from '../../engine/calculators/index.ts'
import {
  resolveEntry,
  resolveLabConcept,
  type Dictionary,
  type IsoDate,
  type MedicationRecord,
  type ParameterValue,
  type ProtocolDocument,
  type SubjectRecord,
} from '../../engine/index.ts'
import type { Api } from '../http/route.ts'
import { arrayOf, bool, int, isoDate, nullable, num, obj, oneOfStrings, str } from '../http/json-schema.ts'
import { etagOf, type LoadedVersion } from '../protocol-cache.ts'

export type SeriesId = 'upcr' | 'serum_creatinine' | 'sledai_2k' | 'glucocorticoid'

export interface SeriesPoint {
  date: IsoDate
  /** Study day (day 1 = the anchor date; the day before is -1, there is no day 0); null without an anchor. */
  day: number | null
  /** In the series' unit; null when it could not be worked out (see `note`). */
  value: number | null
  /** As recorded (e.g. "88 umol/L"), or how the value was computed. */
  note: string
}

export interface SubjectSeries {
  id: SeriesId
  label: string
  /** UCUM unit of `value`. */
  unit: string
  /** A value holds until the next one (a dose). */
  step: boolean
  points: SeriesPoint[]
  /** Values that were left out, and why. */
  problems: string[]
  /** Decision thresholds on this measure from the protocol's response endpoints, in `unit`. */
  thresholds: Array<{ y: number; label: string }>
}

export interface SubjectSeriesView {
  /** The reference date of study day 1: randomization, else screening, else consent; null when none is recorded. */
  anchor: { ref: string; date: IsoDate } | null
  series: SubjectSeries[]
}

/** Reference dates tried for study day 1, in order. */
const ANCHOR_REFS = ['randomization', 'screening', 'consent'] as const

/**
 * Study day of a date counted from an anchor date: day 1 is the anchor,
 * the day before is day -1 (no day 0), as CDISC SDTMIG v3.4 §4.4.4 defines --DY.
 */
export function studyDay(anchor: IsoDate, date: IsoDate): number | null {
  const a = parseIsoDate(anchor)
  const d = parseIsoDate(date)
  if (a === undefined || d === undefined) return null
  return d >= a ? d - a + 1 : d - a
}

function anchorOf(record: SubjectRecord): SubjectSeriesView['anchor'] {
  for (const ref of ANCHOR_REFS) {
    const date = record.dates?.[ref]
    if (date !== undefined && parseIsoDate(date) !== undefined) return { ref, date }
  }
  return null
}

const byDate = (a: SeriesPoint, b: SeriesPoint) => a.date.localeCompare(b.date)

/** Every recorded measurement of a lab concept, converted into the concept's unit. */
function labSeries(record: SubjectRecord, id: 'upcr' | 'serum_creatinine', conceptId: string, anchor: IsoDate | undefined, dict: Dictionary): SubjectSeries {
  const concept = resolveLabConcept(conceptId, dict)!
  const problems: string[] = []
  const points: SeriesPoint[] = []
  for (const m of record.measurements ?? []) {
    if (resolveLabConcept(m.concept ?? m.loinc ?? '', dict)?.id !== concept.id) continue
    if (parseIsoDate(m.date) === undefined) continue
    const c = convertQuantity(m.value, m.unit, concept.unit, concept)
    if (!c.ok) {
      problems.push(`${m.date}: ${m.value} ${m.unit} left out: ${c.reason}`)
      continue
    }
    points.push({ date: m.date, day: anchor ? studyDay(anchor, m.date) : null, value: c.value, note: `${m.value} ${m.unit}` })
  }
  const label = id === 'upcr' ? 'Urine protein/creatinine ratio' : 'Serum creatinine'
  return { id, label, unit: concept.unit, step: false, points: points.sort(byDate), problems, thresholds: [] }
}

function sledaiSeries(record: SubjectRecord, anchor: IsoDate | undefined, dict: Dictionary): SubjectSeries {
  const points: SeriesPoint[] = []
  const problems: string[] = []
  const day = (date: IsoDate) => (anchor ? studyDay(anchor, date) : null)
  for (const a of record.sledai_2k ?? []) {
    if (parseIsoDate(a.date) === undefined) continue
    if (a.score !== undefined) {
      points.push({ date: a.date, day: day(a.date), value: a.score, note: `score ${a.score} as recorded` })
      continue
    }
    const s = scoreSledai2k(a.descriptors ?? {})
    if (s.missing.length === 0) points.push({ date: a.date, day: day(a.date), value: s.min, note: 'scored from the 24 descriptors' })
    else problems.push(`${a.date}: ${s.missing.length} descriptor(s) not recorded, so the score is only known to be ${s.min} to ${s.max}`)
  }
  // a score recorded as a measurement (concept sledai_2k_score) counts too
  for (const m of record.measurements ?? []) {
    if (resolveLabConcept(m.concept ?? m.loinc ?? '', dict)?.id !== 'sledai_2k_score' || parseIsoDate(m.date) === undefined) continue
    points.push({ date: m.date, day: day(m.date), value: m.value, note: `score ${m.value} as a measurement` })
  }
  return { id: 'sledai_2k', label: 'SLEDAI-2K', unit: '{score}', step: false, points: points.sort(byDate), problems, thresholds: [] }
}

type DailyDose = { ok: true; mg: number; text: string } | { ok: false; why: string } | undefined

/** The daily dose (mg) of one medication on a day from its dose history; undefined when not taken that day. */
function dailyDoseOn(m: MedicationRecord, day: number): DailyDose {
  const start = m.start === undefined ? undefined : parseIsoDate(m.start)
  const stop = m.stop === undefined ? undefined : parseIsoDate(m.stop)
  if ((start !== undefined && start > day) || (stop !== undefined && stop < day)) return undefined
  // as the steroid_dose fact: without a stop date or "ongoing" it is not known whether it was still taken
  if (stop === undefined && !m.ongoing) return { ok: false, why: `${m.drug}: neither a stop date nor "ongoing" recorded` }
  const current = (m.doses ?? [])
    .filter(d => (parseIsoDate(d.date) ?? Infinity) <= day)
    .sort((a, b) => a.date.localeCompare(b.date))
    .at(-1)
  if (!current) return { ok: false, why: `${m.drug}: no dose recorded on or before ${formatIsoDate(day)}` }
  const mg = current.unit === 'mg' ? { ok: true as const, value: current.amount } : convertQuantity(current.amount, current.unit, 'mg')
  if (!mg.ok) return { ok: false, why: `${m.drug}: dose unit ${current.unit} is not a mass` }
  // the frequency table the steroid_dose fact uses, so the chart and the endpoint agree
  const perDay = dosesPerDay(current.frequency)
  if (perDay === undefined) return { ok: false, why: `${m.drug}: dosing frequency "${current.frequency ?? 'not recorded'}" not recognised` }
  return { ok: true, mg: mg.value * perDay, text: `${m.drug} ${current.amount} ${current.unit} ${current.frequency}` }
}

/**
 * Total systemic glucocorticoid dose (prednisone-equivalent mg/day, the
 * engine's equivalence table) at every date it may change: each dose
 * change, start, and the day after each stop, and on the record's latest
 * dated entry (so the last dose is drawn up to it). From the anchor's 90 days
 * before on, so a long history does not squeeze the study period.
 */
function glucocorticoidSeries(record: SubjectRecord, anchor: IsoDate | undefined, dict: Dictionary): SubjectSeries {
  const steroids = (record.medications ?? []).flatMap(m => {
    const entry = resolveEntry('drugs', m.drug, dict)
    return entry?.classes.includes('glucocorticoid') ? [{ m, id: entry.id }] : []
  })
  const from = anchor ? parseIsoDate(anchor)! - 90 : -Infinity
  const days = new Set<number>()
  for (const { m } of steroids) {
    for (const d of [m.start, ...(m.doses ?? []).map(x => x.date)]) {
      const n = d === undefined ? undefined : parseIsoDate(d)
      if (n !== undefined) days.add(Math.max(n, from))
    }
    const stop = m.stop === undefined ? undefined : parseIsoDate(m.stop)
    if (stop !== undefined && stop + 1 >= from) days.add(stop + 1)
  }
  // the dose holds until the next change: carry it to the record's latest dated entry, so the last step has a length
  const latest = Math.max(
    ...[...(record.visits ?? []), ...(record.measurements ?? []), ...(record.sledai_2k ?? [])].map(x => parseIsoDate(x.date) ?? -Infinity),
  )
  if (days.size > 0 && latest > Math.max(...days)) days.add(latest)
  const points: SeriesPoint[] = []
  const problems: string[] = []
  for (const day of [...days].filter(Number.isFinite).sort((a, b) => a - b)) {
    const date = formatIsoDate(day)
    let total = 0
    const parts: string[] = []
    const why: string[] = []
    for (const { m, id } of steroids) {
      const dose = dailyDoseOn(m, day)
      if (!dose) continue
      if (!dose.ok) {
        why.push(dose.why)
        continue
      }
      const eq = prednisoneEquivalentMg(id, dose.mg)
      if (eq === undefined) why.push(`${m.drug}: no prednisone equivalence`)
      else {
        total += eq
        parts.push(`${dose.text} = ${Number(eq.toPrecision(4))} mg`)
      }
    }
    if (why.length) problems.push(`${date}: ${why.join('; ')}`)
    points.push({
      date,
      day: anchor ? studyDay(anchor, date) : null,
      value: why.length ? null : Number(total.toPrecision(10)),
      note: why.length ? why.join('; ') : parts.join(' + ') || 'no glucocorticoid',
    })
  }
  return { id: 'glucocorticoid', label: 'Glucocorticoid dose (prednisone-equivalent)', unit: 'mg/d', step: true, points, problems, thresholds: [] }
}

/** Comparison operators as people write them. */
const OP_WORDS: Record<string, string> = { '<=': '≤', '>=': '≥', '<': '<', '>': '>', '==': '=' }

type Leaf = { concept?: string; op?: string; value?: unknown; unit?: string; window?: { visit?: string } }

/**
 * Thresholds at the visit (`window: { visit: current }`, `steroid_dose: { at: current }`)
 * in the protocol's response endpoints, e.g. complete response's "UPCR < 0.5 g/g",
 * converted into each series' unit; a value given as a parameter is read from it.
 */
export function endpointThresholds(
  doc: ProtocolDocument,
  params: Record<string, ParameterValue>,
  dict: Dictionary,
): Record<SeriesId, Array<{ y: number; label: string }>> {
  const out: Record<SeriesId, Array<{ y: number; label: string }>> = { upcr: [], serum_creatinine: [], sledai_2k: [], glucocorticoid: [] }
  const number = (v: unknown): number | undefined => {
    if (typeof v === 'number') return v
    if (v && typeof v === 'object' && 'param' in v) {
      const p = params[(v as { param: string }).param]
      return typeof p === 'number' ? p : undefined
    }
    return undefined
  }
  const add = (id: SeriesId, y: number, label: string) => {
    if (!out[id].some(t => t.y === y && t.label === label)) out[id].push({ y, label })
  }
  const walk = (node: unknown, title: string): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, title)
      return
    }
    if (!node || typeof node !== 'object') return
    const o = node as Record<string, unknown>
    const m = o.measurement as Leaf | undefined
    if (m?.concept && m.window?.visit === 'current' && m.op) {
      const concept = resolveLabConcept(m.concept, dict)
      const id: SeriesId | undefined =
        concept?.id === 'urine_protein_creatinine_ratio'
          ? 'upcr'
          : concept?.id === 'serum_creatinine'
            ? 'serum_creatinine'
            : concept?.id === 'sledai_2k_score'
              ? 'sledai_2k'
              : undefined
      const v = number(m.value)
      if (id && concept && v !== undefined) {
        const c = m.unit ? convertQuantity(v, m.unit, concept.unit, concept) : { ok: true as const, value: v }
        if (c.ok) add(id, c.value, `${title}: ${OP_WORDS[m.op] ?? m.op} ${v}${m.unit ? ` ${m.unit}` : ''}`)
      }
    }
    const s = o.steroid_dose as (Leaf & { at?: string }) | undefined
    if (s?.at === 'current' && s.op) {
      const v = number(s.value)
      if (v !== undefined) add('glucocorticoid', v, `${title}: ${OP_WORDS[s.op] ?? s.op} ${v} mg/day`)
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'measurement' && k !== 'steroid_dose') walk(v, title)
  }
  for (const e of doc.endpoints ?? []) if (e.type === 'response') walk((e as { logic?: unknown }).logic, e.title ?? e.id)
  return out
}

/**
 * The four series of a subject's record, with the protocol's thresholds.
 *
 * @example subjectSeries(record, doc, params, dict).series.find((s) => s.id === 'upcr')?.points
 */
export function subjectSeries(record: SubjectRecord, doc: ProtocolDocument, params: Record<string, ParameterValue>, dict: Dictionary): SubjectSeriesView {
  const anchor = anchorOf(record)
  const at = anchor?.date
  const thresholds = endpointThresholds(doc, params, dict)
  const series = [
    labSeries(record, 'upcr', 'urine_protein_creatinine_ratio', at, dict),
    labSeries(record, 'serum_creatinine', 'serum_creatinine', at, dict),
    sledaiSeries(record, at, dict),
    glucocorticoidSeries(record, at, dict),
  ].map(s => ({ ...s, thresholds: thresholds[s.id] }))
  return { anchor, series }
}

const SERIES_VIEW = obj({
  version: int(),
  anchor: nullable(obj({ ref: str(), date: isoDate() })),
  series: arrayOf(
    obj({
      id: oneOfStrings(['upcr', 'serum_creatinine', 'sledai_2k', 'glucocorticoid']),
      label: str(),
      unit: str('UCUM unit of value'),
      step: bool('a value holds until the next one (a dose)'),
      points: arrayOf(obj({ date: isoDate(), day: nullable(int('study day')), value: nullable(num()), note: str() })),
      problems: arrayOf(str()),
      thresholds: arrayOf(obj({ y: num(), label: str() })),
    }),
  ),
})

/**
 * GET /subjects/:sid/series. `load` finds the subject (404 when unknown) and
 * the latest version of its protocol, as the other subject routes do.
 */
export function subjectSeriesRoute(api: Api, load: (sid: string) => Promise<{ record: SubjectRecord; loaded: LoadedVersion }>): void {
  api.route(
    {
      method: 'get',
      path: '/subjects/:sid/series',
      summary: "A subject's UPCR, serum creatinine, SLEDAI-2K and glucocorticoid dose over time, in canonical units with study days, for charts",
      tag: 'subjects',
      permission: 'read',
      responses: {
        200: {
          description: '{ version, anchor, series: [{ id, label, unit, step, points: [{ date, day, value, note }], problems, thresholds }] }',
          schema: SERIES_VIEW,
        },
        404: { description: 'No such subject' },
      },
    },
    async c => {
      const sid = c.req.param('sid')!
      const { record, loaded } = await load(sid)
      const view = subjectSeries(record, loaded.doc, loaded.compiled.parameters, loaded.compiled.dictionary)
      await api.store.recordRead('subject', sid, c.get('actor'), 'series') // patient data: audited as the other subject reads
      c.header('ETag', etagOf(loaded.row))
      return c.json({ version: loaded.row.version, ...view })
    },
  )
}
