/**
 * Synthetic trial subjects for demonstrations and tests: randomised to a
 * protocol's arms, followed at its visits, with trajectories that give a mix
 * of complete, partial and no response. Seeded (Mulberry32), never
 * `Math.random`, so a seed always gives the same study. Not real patients.
 *
 * Everything is driven by the protocol's `arms`, `visits`, `reference_dates`
 * and `parameters`; the first visit is taken as the baseline visit.
 */
import type { AdverseEvent, Arm, BilagSystemName, IsoDate, Measurement, ProtocolDocument, SubjectRecord } from '../types.ts'
import { BILAG_SYSTEM_NAMES } from '../types.ts'
import { addDays, formatIsoDate, parseIsoDate } from '../calculators/dates.ts'
import { resolveParameters } from '../compile/resolve.ts'
import { generateSchedule, planVisits } from '../schedule/index.ts'
import { walkCondition, type ConditionVisit } from '../logic/condition-model.ts'

/** What {@link syntheticStudy} makes. */
export interface SyntheticStudyOptions {
  subjects: number
  /** PRNG seed; default 20260119. */
  seed?: number
  /** First possible randomization date; default 2026-01-05. Randomizations spread over `enrollmentDays` from it. */
  randomizationStart?: IsoDate
  /** Days over which subjects are randomised; default 182 (about 6 months). */
  enrollmentDays?: number
  /** Chance that a subject misses one follow-up visit entirely; default 0.1. */
  missedVisitRate?: number
}

const DEFAULTS = { seed: 20260119, randomizationStart: '2026-01-05', enrollmentDays: 182, missedVisitRate: 0.1 } as const

type Latent = 'CR' | 'PR' | 'NR'
type Rng = ReturnType<typeof randomSource>

/** Mulberry32, as in test/bench/synthetic-patients.ts, with a few distributions on top. */
function randomSource(seed: number) {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * next()
  return {
    next,
    uniform,
    int: (lo: number, hi: number) => Math.floor(uniform(lo, hi + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    // Box–Muller; 1 − next() avoids log(0)
    normal: (mean: number, sd: number) => mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  }
}

const round = (x: number, digits: number) => Number(x.toFixed(digits))
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))

/**
 * Latent response class by arm position: the first arm responds slightly
 * better, so the arms differ without either being implausible.
 */
function latentClass(rng: Rng, armIndex: number): Latent {
  const [cr, pr] = armIndex === 0 ? [0.33, 0.32] : [0.22, 0.32]
  const u = rng.next()
  return u < cr ? 'CR' : u < cr + pr ? 'PR' : 'NR'
}

/** Attestations that endpoint logic asks for at each visit (`{ attestation, at }`). */
function visitAttestations(doc: ProtocolDocument): string[] {
  const names = new Set<string>()
  const collect = (v: ConditionVisit): void => {
    if (v.kind === 'attestation' && v.node.at !== undefined) names.add(v.node.attestation)
  }
  for (const e of doc.endpoints ?? []) if (e.type === 'response') walkCondition(e.logic, collect)
  return [...names].sort()
}

/** Reference dates around the anchor (the visits' reference): earlier-listed ones a week apart before it. */
function referenceDates(doc: ProtocolDocument, anchor: string, anchorDay: number): Record<string, IsoDate> {
  const refs = Object.keys(doc.reference_dates)
  const at = refs.indexOf(anchor)
  const out: Record<string, IsoDate> = {}
  refs.forEach((ref, i) => {
    out[ref] = formatIsoDate(addDays(anchorDay, at < 0 ? 0 : (i - at) * 7))
  })
  out[anchor] = formatIsoDate(anchorDay)
  return out
}

/** Arm order in permuted blocks containing each arm twice (blocks of 4 for two arms). */
function allocate(rng: Rng, arms: Arm[], count: number): number[] {
  const out: number[] = []
  while (out.length < count) {
    const block = arms.flatMap((_, i) => [i, i])
    for (let i = block.length - 1; i > 0; i--) {
      const j = rng.int(0, i)
      ;[block[i], block[j]] = [block[j] as number, block[i] as number]
    }
    out.push(...block)
  }
  return out.slice(0, count)
}

const GRADES = ['D', 'C', 'B', 'A'] as const

interface Observation {
  visit: string
  date: IsoDate
  /** Progress towards the subject's week-end state, 0 at baseline, 1 at the last visit. */
  progress: number
}

/**
 * A synthetic study: `subjects` records randomised 1:1 (permuted blocks) to
 * the protocol's arms, each with baseline and per-visit data, dosing,
 * steroid taper, adverse events and occasional missing visits or values.
 *
 * @param doc a validated protocol with `arms` and `visits`
 * @param options how many subjects, seed and dates
 * @returns subject records valid against the `subject` schema
 * @example
 * const subjects = syntheticStudy(doc, { subjects: 40, seed: 1 })
 * subjects.filter((s) => s.arm === doc.arms?.[0]?.id).length // 20
 */
export function syntheticStudy(doc: ProtocolDocument, options: SyntheticStudyOptions): SubjectRecord[] {
  const o = { ...DEFAULTS, ...options }
  const rng = randomSource(o.seed)
  const arms = doc.arms ?? []
  const visits = doc.visits ?? []
  const start = parseIsoDate(o.randomizationStart)
  if (arms.length === 0 || visits.length === 0 || start === undefined || o.subjects <= 0) return []
  const params = resolveParameters(doc)
  const anchor = visits[0]?.ref ?? 'randomization'
  const attestationNames = visitAttestations(doc)
  const days = Array.from({ length: o.subjects }, () => addDays(start, rng.int(0, o.enrollmentDays))).sort((a, b) => a - b)
  const allocation = allocate(rng, arms, o.subjects)
  return days.map((day, i) => subject(rng, { doc, params, anchor, attestationNames, missedVisitRate: o.missedVisitRate }, i, day, allocation[i] ?? 0))
}

interface Context {
  doc: ProtocolDocument
  params: ReturnType<typeof resolveParameters>
  anchor: string
  attestationNames: string[]
  missedVisitRate: number
}

function subject(rng: Rng, ctx: Context, index: number, randDay: number, armIndex: number): SubjectRecord {
  const arm = (ctx.doc.arms ?? [])[armIndex] as Arm
  const dates = referenceDates(ctx.doc, ctx.anchor, randDay)
  const plan = planVisits(ctx.doc.visits ?? [], dates, ctx.params).visits
  const female = rng.chance(0.85)
  const latent = latentClass(rng, armIndex)
  const lastDay = plan.at(-1)?.day ?? 1
  const tauWeeks = rng.uniform(3, 12)
  const g = (studyDay: number) => {
    const t = (studyDay - 1) / 7
    const T = Math.max(1, (lastDay - 1) / 7)
    return (1 - Math.exp(-t / tauWeeks)) / (1 - Math.exp(-T / tauWeeks))
  }

  // which visits happen, and when
  const missed = plan.length > 1 && rng.chance(ctx.missedVisitRate) ? rng.int(1, plan.length - 1) : -1
  const observations: Observation[] = []
  plan.forEach((p, k) => {
    if (k === missed) return
    const due = parseIsoDate(p.due) as number
    const lo = parseIsoDate(p.window_start) as number
    const hi = parseIsoDate(p.window_end) as number
    const d = k === 0 ? clamp(due - rng.int(0, 5), lo, hi) : clamp(due + rng.int(-3, 3), lo, hi)
    observations.push({ visit: p.visit, date: formatIsoDate(d), progress: k === 0 ? 0 : g(p.day) })
  })

  const measurements: Measurement[] = []
  const add = (concept: string, value: number, unit: string, date: IsoDate, reference_range?: Measurement['reference_range']) =>
    measurements.push({ concept, value, unit, date, ...(reference_range ? { reference_range } : {}) })

  // baseline state and the end state each latent class drifts towards
  const weightKg = round(female ? rng.uniform(45, 80) : rng.uniform(55, 92), 1)
  const upcr0 = Math.exp(rng.uniform(Math.log(1.1), Math.log(5)))
  const upcrEnd =
    latent === 'CR' ? rng.uniform(0.12, 0.45) : latent === 'PR' ? Math.max(0.62, upcr0 * (1 - rng.uniform(0.6, 0.85))) : upcr0 * (1 - rng.uniform(-0.3, 0.35))
  const uln = female ? 1.1 : 1.3
  const creatAbnormal = rng.chance(0.35)
  const creat0 = uln * (creatAbnormal ? rng.uniform(1.1, 1.8) : rng.uniform(0.55, 0.9))
  const creatEndRatio = creatAbnormal
    ? { CR: rng.uniform(0.55, 0.72), PR: rng.uniform(0.6, 0.8), NR: rng.uniform(0.9, 1.35) }[latent]
    : latent === 'NR'
      ? rng.uniform(0.95, 1.3)
      : rng.uniform(0.85, 1.05)
  const sledai0 = 2 * rng.int(4, 10)
  const sledaiEnd = Math.max(0, sledai0 - { CR: rng.int(6, 12), PR: rng.int(4, 8), NR: rng.int(-2, 4) }[latent])
  const pga0 = rng.uniform(1.2, 2.6)
  const pgaEnd = { CR: rng.uniform(0.2, 0.8), PR: rng.uniform(0.6, 1.4), NR: pga0 + rng.uniform(-0.4, 0.4) }[latent]
  const vitals0 = { sbp: rng.uniform(110, 140), dbp: rng.uniform(68, 90), hr: rng.uniform(62, 92) }
  const hgbRange = female ? { low: 12, high: 16 } : { low: 13.5, high: 17.5 }
  // anaemic (as LN often is) or clearly normal, so noise alone rarely crosses the lower limit
  const hgb0 = rng.chance(0.35) ? rng.uniform(hgbRange.low - 2.2, hgbRange.low - 0.6) : rng.uniform(hgbRange.low + 0.6, hgbRange.low + 2.5)
  const renal0 = rng.chance(0.6) ? 3 : 2
  const renalEnd = { CR: 0, PR: 1, NR: Math.min(renal0, 2 + rng.int(0, 1)) }[latent]
  const otherGrades: Partial<Record<BilagSystemName, 'A' | 'B' | 'C' | 'D' | 'E'>> = {
    constitutional: rng.pick(['C', 'D', 'E', 'E']),
    mucocutaneous: rng.pick(['B', 'C', 'D', 'E']),
    neuropsychiatric: 'E',
    musculoskeletal: rng.pick(['B', 'C', 'D', 'E', 'E']),
    cardiorespiratory: rng.pick(['D', 'E', 'E', 'E']),
    gastrointestinal: 'E',
    ophthalmic: 'E',
    haematological: rng.pick(['C', 'D', 'E']),
  }
  const responder = latent !== 'NR'

  add('body_weight', weightKg, 'kg', observations[0]?.date ?? (dates[ctx.anchor] as IsoDate))
  const sledai: NonNullable<SubjectRecord['sledai_2k']> = []
  const bilag: NonNullable<SubjectRecord['bilag_2004']> = []
  const visitEntries: NonNullable<SubjectRecord['visits']> = []
  observations.forEach((ob, k) => {
    const p = ob.progress
    const toward = (from: number, to: number) => from + (to - from) * p
    const noise = (sd: number) => Math.exp(rng.normal(0, sd))
    // an occasional single missing value (the sample not sent), never at baseline
    // Both proteinuria measures: endpoints accept either, so with one alone a failed
    // criterion stays unknown (the other might have met it). Now and then (never
    // at baseline) neither is sent, so the visit's response is unknown.
    if (k === 0 || !rng.chance(0.04)) {
      const upcr = toward(upcr0, upcrEnd) * noise(0.1)
      add('urine_protein_creatinine_ratio', round(upcr, 2), 'g/g', ob.date)
      add('urine_protein_24h', round(upcr * rng.uniform(0.85, 1.15), 2), 'g/(24.h)', ob.date)
    }
    add('serum_creatinine', round(creat0 * toward(1, creatEndRatio) * noise(0.04), 2), 'mg/dL', ob.date, { high: uln })
    sledai.push({ date: ob.date, score: Math.max(0, 2 * Math.round(toward(sledai0, sledaiEnd) / 2)) })
    const flare = k > 0 && !responder && rng.chance(0.08)
    add('physician_global_assessment', round(clamp(toward(pga0, pgaEnd) + rng.normal(0, 0.1) + (flare ? 0.5 : 0), 0, 3), 1), '{score}', ob.date)
    const grades = { ...otherGrades }
    grades.renal = GRADES[Math.round(toward(renal0, renalEnd))]
    if (responder && p > 0.5) {
      for (const s of BILAG_SYSTEM_NAMES) if (s !== 'renal' && (grades[s] === 'B' || grades[s] === 'C')) grades[s] = 'D'
    }
    if (flare) grades.mucocutaneous = 'B'
    bilag.push({ date: ob.date, grades })
    add('systolic_blood_pressure', Math.round(vitals0.sbp + rng.normal(0, 5) + (k > 0 && rng.chance(0.03) ? 24 : 0)), 'mm[Hg]', ob.date)
    add('diastolic_blood_pressure', Math.round(vitals0.dbp + rng.normal(0, 4)), 'mm[Hg]', ob.date)
    add('heart_rate', Math.round(vitals0.hr + rng.normal(0, 5)), '/min', ob.date)
    add('body_temperature', round(36.6 + rng.normal(0, 0.2) + (k > 0 && rng.chance(0.02) ? 1.3 : 0), 1), 'Cel', ob.date)
    // transaminases rise together now and then (drug-induced liver injury is the usual worry)
    const liver = k > 0 && rng.chance(0.03) ? rng.uniform(1.3, 2.6) : 1
    add('alt', Math.round(liver * rng.uniform(12, 34)), 'U/L', ob.date, { low: 7, high: 40 })
    add('ast', Math.round(liver * rng.uniform(14, 32)), 'U/L', ob.date, { low: 8, high: 40 })
    add('neutrophils', round(k > 0 && rng.chance(0.03) ? rng.uniform(1.1, 1.9) : rng.uniform(2.4, 6.5), 2), '10*9/L', ob.date, { low: 2, high: 7.5 })
    add('platelets', Math.round(k > 0 && rng.chance(0.02) ? rng.uniform(90, 145) : rng.uniform(165, 340)), '10*9/L', ob.date, { low: 150, high: 400 })
    add('hemoglobin', round(hgb0 + (responder ? 0.8 * p : 0) + rng.normal(0, 0.15), 1), 'g/dL', ob.date, hgbRange)
    const attestations: Record<string, boolean> = {}
    for (const name of ctx.attestationNames) attestations[name] = k > 0 && rng.chance(responder ? 0.02 : 0.08)
    visitEntries.push({ visit: ob.visit, date: ob.date, ...(ctx.attestationNames.length ? { attestations } : {}) })
  })

  const dose0 = rng.pick([20, 25, 30, 40, 50])
  const floor = responder ? rng.pick([5, 7.5, 10]) : rng.pick([7.5, 10, 15, 20])
  const taperFrom = addDays(randDay, 7 * rng.int(0, 4))
  const doses = [{ date: formatIsoDate(addDays(randDay, -rng.int(30, 150))), amount: dose0, unit: 'mg', frequency: 'daily' }]
  for (let dose = dose0 - 5, step = 0; dose >= floor - 2.5 + 1e-9 && step < 20; dose -= 5, step++) {
    doses.push({ date: formatIsoDate(addDays(taperFrom, 14 * step)), amount: Math.max(dose, floor), unit: 'mg', frequency: 'daily' })
  }

  const startRef = arm.interventions[0]?.start.ref ?? ctx.anchor
  const schedule = generateSchedule(arm, { start: dates[startRef] ?? formatIsoDate(randDay), weightKg, params: ctx.params }).schedule
  const administrations = schedule
    ? schedule.administrations.map(a => ({ intervention: a.intervention, date: a.date, amount: Number(a.amount.toPrecision(12)), unit: a.unit }))
    : [{ intervention: arm.interventions[0]?.id ?? arm.id, date: formatIsoDate(randDay) }]

  return {
    id: `SYN-${String(index + 1).padStart(3, '0')}`,
    birth_date: formatIsoDate(addDays(randDay, -Math.floor(365.25 * rng.uniform(18.5, 58)))),
    sex: female ? 'female' : 'male',
    dates,
    informed_consent: { signed: true },
    measurements,
    sledai_2k: sledai,
    medications: [
      { drug: 'prednisone', start: doses[0]!.date, ongoing: true, route: 'oral', doses },
      {
        drug: 'hydroxychloroquine',
        start: formatIsoDate(addDays(randDay, -rng.int(200, 900))),
        ongoing: true,
        doses: [{ date: formatIsoDate(addDays(randDay, -200)), amount: 200, unit: 'mg', frequency: 'twice daily' }],
      },
    ],
    arm: arm.id,
    visits: visitEntries,
    bilag_2004: bilag,
    administrations,
    adverse_events: adverseEvents(rng, arm, randDay, lastDay, responder),
  }
}

const AE_TERMS: Array<{ term: string; grade: [1 | 2 | 3, 1 | 2 | 3]; serious: number; weight: number }> = [
  { term: 'Upper respiratory tract infection', grade: [1, 2], serious: 0, weight: 5 },
  { term: 'Headache', grade: [1, 1], serious: 0, weight: 3 },
  { term: 'Nausea', grade: [1, 2], serious: 0, weight: 2 },
  { term: 'Fatigue', grade: [1, 1], serious: 0, weight: 2 },
  { term: 'Urinary tract infection', grade: [2, 2], serious: 0.1, weight: 2 },
  { term: 'Herpes zoster', grade: [2, 3], serious: 0.2, weight: 1 },
  { term: 'Pneumonia', grade: [3, 3], serious: 1, weight: 1 },
  { term: 'Lupus nephritis flare', grade: [2, 3], serious: 0.5, weight: 1 },
]

/** 0–3 events after the first dose; some serious; a local reaction for injected or infused products. */
function adverseEvents(rng: Rng, arm: Arm, randDay: number, lastDay: number, responder: boolean): AdverseEvent[] {
  const local = arm.interventions.some(iv => iv.route === 'subcutaneous')
    ? 'Injection site reaction'
    : arm.interventions.some(iv => iv.route === 'intravenous')
      ? 'Infusion-related reaction'
      : undefined
  const pool = [...AE_TERMS, ...(local ? [{ term: local, grade: [1, 2] as [1, 2], serious: 0, weight: 4 }] : [])]
  const total = pool.reduce((a, t) => a + t.weight, 0)
  const count = rng.pick([0, 0, 1, 1, 1, 2, 2, 3])
  const out: AdverseEvent[] = []
  for (let i = 0; i < count; i++) {
    let u = rng.uniform(0, total)
    const t = pool.find(x => (u -= x.weight) < 0) ?? pool[0]!
    if (t.term === 'Lupus nephritis flare' && responder && rng.chance(0.7)) continue
    const onset = t.term === local ? randDay + rng.int(0, 3) : randDay + rng.int(1, lastDay - 1)
    const ongoing = rng.chance(0.15)
    out.push({
      term: t.term,
      onset: formatIsoDate(onset),
      ...(ongoing ? { ongoing: true } : { end: formatIsoDate(onset + rng.int(2, 21)) }),
      seriousness: rng.chance(t.serious) ? { hospitalization: true } : {},
      relatedness: t.term === local ? 'related' : rng.pick(['possibly_related', 'unlikely_related', 'not_related', 'not_related']),
      ctcae_grade: rng.int(t.grade[0], t.grade[1]) as 1 | 2 | 3,
    })
  }
  // now and then a condition present before the first dose that worsened after it
  if (rng.chance(0.08)) {
    out.push({
      term: 'Arthralgia',
      onset: formatIsoDate(randDay - rng.int(5, 30)),
      ongoing: true,
      seriousness: {},
      relatedness: 'not_related',
      ctcae_grade: 2,
      worsened_after_first_dose: true,
    })
  }
  return out.sort((a, b) => a.onset.localeCompare(b.onset))
}
