/**
 * NCT05631717 eligibility written by hand, as a programmer would without the
 * engine: plain field reads, day numbers, a name -> classes table, three-valued
 * (true / false / undefined = unknown). The fast path's speed is compared with
 * it in fast.bench.ts. Thresholds as in protocols/nct05631717.yaml (its
 * sources are cited there); the bench reports how often it agrees with the
 * engine, since a hand-written copy is exactly the second source of truth the
 * engine avoids.
 */
import { defaultDictionary, type Overall, type PatientRecord } from '../../engine/index.ts'

type Tri = boolean | undefined
const DAY = 86_400_000
const LOOKBACK_DAYS = 28 // screening_lookback_days
const CREATININE_G_PER_MOL = 113.12 // UPCR mg/mmol -> g/g (protocol note on IN04)

function day(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined
  const t = Date.parse(iso)
  return Number.isNaN(t) ? undefined : Math.floor(t / DAY)
}
const fold = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim()

type Entry = { id: string; classes: readonly string[] }
const lookup = new Map<string, Map<string, Entry>>()
for (const domain of ['drugs', 'conditions', 'procedures', 'vaccines'] as const) {
  const m = new Map<string, Entry>()
  for (const e of defaultDictionary[domain] as ReadonlyArray<{ id: string; name: string; synonyms?: string[]; classes: string[] }>) {
    for (const k of [e.id, e.name, ...(e.synonyms ?? [])]) m.set(fold(k), e)
  }
  lookup.set(domain, m)
}
const memo = new Map<string, Entry | null>()
function entry(domain: string, text: string): Entry | undefined {
  const key = `${domain}|${text}`
  let e = memo.get(key)
  if (e === undefined) memo.set(key, (e = lookup.get(domain)!.get(fold(text)) ?? null))
  return e ?? undefined
}
const inSet = (e: Entry, items: string[], classes: string[]) => items.includes(e.id) || e.classes.some(c => classes.includes(c))

const and = (...xs: Tri[]): Tri => (xs.includes(false) ? false : xs.every(x => x === true) ? true : undefined)
const or = (...xs: Tri[]): Tri => (xs.includes(true) ? true : xs.every(x => x === false) ? false : undefined)

/** Does an interval [start, end] (undefined = not recorded) overlap [from, to]? */
function overlaps(start: number | undefined, end: number | undefined, from: number, to: number): Tri {
  if (start !== undefined && start > to) return false
  if (end !== undefined && end < from) return false
  return start !== undefined && end !== undefined ? true : undefined
}

/** Any entry of a section in a set during [screening − days, screening] (or before `ref`). */
function anyEvent(
  list: Array<Record<string, unknown>> | undefined,
  domain: string,
  field: string,
  items: string[],
  classes: string[],
  from: number | undefined,
  to: number | undefined,
  extra?: (r: Record<string, unknown>) => Tri,
): Tri {
  if (list === undefined) return undefined
  let result: Tri = false
  for (const r of list) {
    const e = entry(domain, r[field] as string)
    let member: Tri = e ? inSet(e, items, classes) : undefined
    if (member === false) continue
    if (r.planned === true) continue
    if (from === undefined || to === undefined) member = undefined
    const start = day((r.start ?? r.onset ?? r.date) as string | undefined)
    const stopped = day((r.stop ?? r.resolved ?? r.date) as string | undefined)
    const end = stopped ?? (r.ongoing ? Infinity : undefined)
    const t = and(member, from === undefined || to === undefined ? undefined : overlaps(start, end, from, to), extra ? extra(r) : true)
    if (t === true) return true
    if (t === undefined) result = undefined
  }
  return result
}

function latestIn<T extends { date: string }>(list: T[] | undefined, from: number, to: number, ok: (x: T) => boolean = () => true): T | undefined {
  let best: T | undefined
  let bestDay = -Infinity
  for (const x of list ?? []) {
    const d = day(x.date)
    if (d === undefined || d < from || d > to || !ok(x)) continue
    if (d >= bestDay) {
      best = x
      bestDay = d
    }
  }
  return best
}

const ACR = [
  'malar_rash',
  'discoid_rash',
  'photosensitivity',
  'oral_ulcers',
  'arthritis',
  'serositis',
  'renal_disorder',
  'neurologic_disorder',
  'hematologic_disorder',
  'immunologic_disorder',
  'antinuclear_antibody',
] as const

/** NCT05631717 overall eligibility, by hand. */
export function handWrittenNct05631717(p: PatientRecord): Overall {
  const screening = day(p.dates?.screening)
  const consent = day(p.dates?.consent)
  const randomization = day(p.dates?.randomization)
  const from = screening === undefined ? undefined : screening - LOOKBACK_DAYS
  const r = p.reproductive ?? {}
  const female = p.sex === undefined ? undefined : p.sex === 'female'

  // IN01: ≥ 4 of 11 ACR 1997 items
  let met = 0
  let open = 0
  for (const k of ACR) {
    const v = p.acr_1997?.[k]
    if (v === true) met++
    else if (v === undefined) open++
  }
  const in01: Tri = met >= 4 ? true : met + open < 4 ? false : undefined
  // IN02: age > 18 (exact) and ≤ 65 (completed years) at consent
  let in02: Tri
  const birth = p.birth_date
  if (birth && p.dates?.consent && consent !== undefined) {
    const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number]
    const [cy, cm, cd] = p.dates.consent.split('-').map(Number) as [number, number, number]
    const years = cy - by - (cm < bm || (cm === bm && cd < bd) ? 1 : 0)
    const onBirthday = cm === bm && cd === bd
    in02 = (onBirthday ? years : years + 0.5) > 18 && years <= 65
  }
  // IN03: latest SLEDAI-2K ≥ 6 within the lookback
  let in03: Tri
  if (screening !== undefined && from !== undefined) {
    const s = latestIn(p.sledai_2k, from, screening)
    in03 = s?.score === undefined ? undefined : s.score >= 6
  }
  // IN04: UPCR > 1.0 g/g or 24-h protein > 1.0 g
  let in04: Tri
  if (screening !== undefined && from !== undefined) {
    const upcr = latestIn(p.measurements, from, screening, m => m.concept === 'urine_protein_creatinine_ratio')
    const h24 = latestIn(p.measurements, from, screening, m => m.concept === 'urine_protein_24h')
    const gPerG =
      upcr === undefined
        ? undefined
        : upcr.unit === 'g/g'
          ? upcr.value
          : upcr.unit === 'mg/g'
            ? upcr.value / 1000
            : upcr.unit === 'mg/mmol'
              ? upcr.value / CREATININE_G_PER_MOL
              : undefined
    const g24 = h24 === undefined ? undefined : h24.unit === 'g/(24.h)' ? h24.value : h24.unit === 'mg/(24.h)' ? h24.value / 1000 : undefined
    in04 = or(gPerG === undefined ? undefined : gPerG > 1, g24 === undefined ? undefined : g24 > 1)
  }
  // IN05: fertile patients agree to contraception (applies to men too: contraception_criterion_applies_to_men)
  const fertile = r.childbearing_potential
  const in05 = or(fertile === undefined ? undefined : !fertile, r.contraception_agreed === undefined ? undefined : r.contraception_agreed)
  // IN06: negative urine and serum pregnancy tests (female, childbearing potential)
  let in06: Tri = or(female === undefined ? undefined : !female, fertile === undefined ? undefined : !fertile)
  if (in06 !== true && screening !== undefined && from !== undefined) {
    const u = latestIn(r.pregnancy_tests, from, screening, t => t.specimen === 'urine')
    const s = latestIn(r.pregnancy_tests, from, screening, t => t.specimen === 'serum')
    in06 = or(in06, and(u ? u.result === 'negative' : undefined, s ? s.result === 'negative' : undefined))
  }
  // IN07: consent signed and willing to comply
  const in07 = and(p.informed_consent?.signed, p.attestations?.willing_to_comply)

  const window = (weeks: number, ref: number | undefined): [number | undefined, number | undefined] => [ref === undefined ? undefined : ref - weeks * 7, ref]
  const meds = p.medications as unknown as Array<Record<string, unknown>> | undefined
  const [f24, t24] = window(24, screening)
  const ex01a = anyEvent(meds, 'drugs', 'drug', ['rituximab'], ['b_cell_depleting'], f24, t24)
  const [f12, t12] = window(12, screening)
  const unstable = [
    'mycophenolate_mofetil',
    'mycophenolic_acid',
    'cyclophosphamide',
    'ciclosporin',
    'tacrolimus',
    'tripterygium_wilfordii',
    'leflunomide',
    'azathioprine',
    'iguratimod',
  ]
  const ex01b = anyEvent(meds, 'drugs', 'drug', unstable, ['conventional_immunosuppressant'], f12, t12, m => {
    const inWin = (s: unknown) => {
      const d = day(s as string | undefined)
      return d !== undefined && f12 !== undefined && t12 !== undefined && d >= f12 && d <= t12
    }
    if (inWin(m.start) || inWin(m.stop)) return true
    const doses = m.doses as Array<{ date: string; amount: number; unit: string; frequency?: string }> | undefined
    if (!doses) return undefined
    const sorted = [...doses].sort((a, b) => a.date.localeCompare(b.date))
    return sorted.some(
      (d, i) => i > 0 && (d.amount !== sorted[i - 1]!.amount || d.unit !== sorted[i - 1]!.unit || d.frequency !== sorted[i - 1]!.frequency) && inWin(d.date),
    )
  })
  const [f4, t4] = window(4, screening)
  const ex01c = anyEvent(
    meds,
    'drugs',
    'drug',
    ['etanercept', 'infliximab', 'adalimumab', 'golimumab', 'belimumab', 'tocilizumab'],
    ['biologic_immunomodulator', 'jak_inhibitor', 'small_molecule_targeted'],
    f4,
    t4,
  )
  const procs = p.procedures as unknown as Array<Record<string, unknown>> | undefined
  const ex02 = anyEvent(procs, 'procedures', 'concept', ['plasmapheresis', 'immunoadsorption'], ['plasma_exchange_or_immunoadsorption'], f12, t12)
  const att = p.attestations ?? {}
  const ex03 = or(...['cardiovascular', 'nervous_system', 'lung', 'liver', 'endocrine', 'gastrointestinal'].map(o => att[`severe_uncontrolled_${o}_disease`]))
  const conds = p.conditions as unknown as Array<Record<string, unknown>> | undefined
  const infection = (extra: (r: Record<string, unknown>) => Tri, weeks: number, ref: number | undefined, items: string[] = [], classes = ['infection']) => {
    const [f, t] = window(weeks, ref)
    return anyEvent(conds, 'conditions', 'concept', items, classes, f, t, c => {
      const e = entry('conditions', c.concept as string)
      if (e && (e.id === 'onychomycosis' || e.classes.includes('onychomycosis'))) return false
      return extra(c)
    })
  }
  const field = (c: Record<string, unknown>, k: string, want: unknown): Tri => (c[k] === undefined ? undefined : c[k] === want)
  const ex04 = or(
    infection(c => field(c, 'severity', 'severe'), 4, randomization),
    infection(c => field(c, 'recurrent', true), 4, randomization),
    infection(
      () => true,
      4,
      randomization,
      ['tuberculosis', 'atypical_mycobacterial_infection', 'hepatitis_b', 'hepatitis_c', 'hiv_infection', 'herpes_zoster'],
      [],
    ),
    infection(c => and(field(c, 'hospitalized', true), field(c, 'iv_antibiotics', true)), 4, screening),
    infection(c => field(c, 'treated', true), 2, screening),
  )
  const major = (c: Record<string, unknown>) => field(c, 'major', true)
  const planned = (
    list: Array<Record<string, unknown>> | undefined,
    domain: string,
    key: string,
    classes: string[],
    extra: (r: Record<string, unknown>) => Tri,
    except?: string,
  ): Tri => {
    if (list === undefined) return undefined
    let res: Tri = false
    for (const x of list) {
      if (x.planned !== true) continue
      const e = entry(domain, x[key] as string)
      const t = and(e ? inSet(e, [], classes) && !(except && e.classes.includes(except)) : undefined, extra(x))
      if (t === true) return true
      if (t === undefined) res = undefined
    }
    return res
  }
  const ex05 = or(
    anyEvent(procs, 'procedures', 'concept', [], ['surgery'], f12, t12, major),
    and(planned(procs, 'procedures', 'concept', ['surgery'], major), att.surgery_unacceptable_risk),
  )
  const vax = p.vaccinations as unknown as Array<Record<string, unknown>> | undefined
  const [fv, tv] = window(12, randomization)
  const notZoster = (v: Record<string, unknown>) => !entry('vaccines', v.vaccine as string)?.classes.includes('zoster_vaccine')
  const ex06 = or(
    anyEvent(vax, 'vaccines', 'vaccine', [], ['live_vaccine'], fv, tv, notZoster),
    planned(vax, 'vaccines', 'vaccine', ['live_vaccine'], () => true, 'zoster_vaccine'),
  )
  let ex07: Tri = conds === undefined ? undefined : false
  for (const c of conds ?? []) {
    const e = entry('conditions', c.concept as string)
    if (!e) {
      ex07 = ex07 === true ? true : undefined
      continue
    }
    if (!e.classes.includes('malignancy')) continue
    if (e.id === 'basal_cell_carcinoma_skin') {
      if (c.outcome === undefined) ex07 = ex07 === true ? true : undefined
      else if (!['excised', 'cured'].includes(c.outcome as string)) ex07 = true
      continue
    }
    ex07 = true
  }
  const ex08 = and(female, or(r.pregnant, r.lactating))

  const inclusion = [in01, in02, in03, in04, in05, in06, in07]
  const exclusion = [ex01a, ex01b, ex01c, ex02, ex03, ex04, ex05, ex06, ex07, ex08]
  if (inclusion.includes(false) || exclusion.includes(true)) return 'ineligible'
  return inclusion.every(x => x === true) && exclusion.every(x => x === false) ? 'eligible' : 'undetermined'
}
