/**
 * eGFR by the protocol's equation. Per day, in order of preference:
 * (a) an eGFR the lab reported by that equation;
 * (b) one the engine computes by it from serum creatinine (age, sex and, for
 *     an equation with a race coefficient, whether the patient is Black: when
 *     the record does not say, both values, as bounds the comparison decides
 *     only when both agree);
 * (c) an eGFR reported by another equation, compared as it is, the
 *     explanation naming both equations.
 * Equations are never mixed silently: every value says which one it is by.
 */
import type { EgfrEquation, MissingData, PatientRecord } from '../../types.ts'
import type { LabConcept } from '../../dictionary/index.ts'
import { resolveLabConcept } from '../../dictionary/index.ts'
import { ageOn } from '../../calculators/dates.ts'
import { convertQuantity } from '../../calculators/units.ts'
import { EGFR_EQUATION_INFO, EGFR_EQUATIONS, EGFR_RACE_SPECIFIC_LOINC } from '../../calculators/egfr-equations.ts'
import type { FactContext } from './context.ts'
import { fromMeasurements, show, type Candidate, type Derived } from './measurement-values.ts'

/** The dictionary concept holding values reported by an equation (its name heads the explanations); undefined when the dictionary lacks it. */
export function egfrConcept(equation: EgfrEquation, ctx: FactContext): LabConcept | undefined {
  return resolveLabConcept(EGFR_EQUATION_INFO[equation].concept, ctx.dictionary)
}

/** What to enter so that an equation with a race coefficient gives one value. */
export function raceMissing(equation: EgfrEquation): MissingData {
  return { key: 'black_race', description: `whether the patient is Black (the ${EGFR_EQUATION_INFO[equation].label} eGFR equation has a race coefficient)` }
}

/**
 * Every eGFR value of the record by `equation` (a, b, c above), one source per
 * day; undefined when the record has neither measurements nor creatinine.
 */
export function egfrValues(p: PatientRecord, equation: EgfrEquation, ctx: FactContext): Derived | undefined {
  const own = egfrConcept(equation, ctx)
  const reported = own ? fromMeasurements(p, own, ctx)?.map(c => forThisPatient(c, equation, p.black_race)) : undefined
  if (reported === undefined && !p.measurements) return undefined
  const taken = new Set((reported ?? []).map(c => c.day))
  const computed = computeFromCreatinine(p, equation, taken, ctx)
  for (const c of computed.candidates) taken.add(c.day)
  const candidates = [...(reported ?? []), ...computed.candidates]
  // (c) another equation's report, on days with no value by the protocol's equation; the CKD-EPI family first
  for (const other of EGFR_EQUATIONS) {
    if (other === equation) continue
    const concept = egfrConcept(other, ctx)
    const values = (concept ? fromMeasurements(p, concept, ctx) : undefined) ?? []
    const fresh = values.filter(c => !taken.has(c.day))
    for (const c of fresh) {
      const mine = forThisPatient(c, other, p.black_race)
      candidates.push({
        ...mine,
        entered: `eGFR ${mine.entered} by ${EGFR_EQUATION_INFO[other].label}; the protocol specifies ${EGFR_EQUATION_INFO[equation].label}`,
      })
    }
    for (const c of fresh) taken.add(c.day)
  }
  return { candidates, ...(computed.blocked ? { blocked: computed.blocked } : {}) }
}

/**
 * A reported value the lab computed for one race (its LOINC code says which,
 * EGFR_RACE_SPECIFIC_LOINC) applies to this patient through the equation's
 * race coefficient: as it is when the patient's race is that one, scaled by
 * the coefficient when it is the other, and both values (bounds) when the
 * record does not say. Any other value is returned as it is.
 */
function forThisPatient(c: Candidate, equation: EgfrEquation, black: boolean | undefined): Candidate {
  const reportedFor = c.loinc === undefined ? undefined : EGFR_RACE_SPECIFIC_LOINC[c.loinc]
  const factor = EGFR_EQUATION_INFO[equation].blackFactor
  if (reportedFor === undefined || factor === undefined || typeof c.value !== 'number') return c
  const asReported = `${c.entered}, reported for a patient ${reportedFor ? 'who is Black' : 'who is not Black'} (LOINC ${c.loinc})`
  const notBlack = reportedFor ? c.value / factor : c.value
  const isBlack = reportedFor ? c.value : c.value * factor
  if (black === reportedFor) return { ...c, entered: asReported }
  if (black !== undefined)
    return {
      ...c,
      value: black ? isBlack : notBlack,
      entered: `${asReported}: ${show(black ? isBlack : notBlack)} for this patient by the race coefficient ${factor}`,
    }
  return {
    ...c,
    value: { min: notBlack, max: isBlack },
    entered: `${asReported}: ${show(notBlack)} if not Black, ${show(isBlack)} if Black (race not recorded)`,
    byRace: true,
    narrow: [raceMissing(equation)],
  }
}

/**
 * (b): eGFR by `equation` from each serum creatinine dated on a day not in
 * `skip`. The age is the completed years on the sample date; each equation
 * is for adults only, so younger patients' values are not computed.
 */
function computeFromCreatinine(p: PatientRecord, equation: EgfrEquation, skip: ReadonlySet<number>, ctx: FactContext): Derived {
  const info = EGFR_EQUATION_INFO[equation]
  const creatinine = resolveLabConcept('serum_creatinine', ctx.dictionary)
  const unit = egfrConcept(equation, ctx)?.unit ?? 'mL/min/{1.73_m2}'
  const todo = (creatinine ? (fromMeasurements(p, creatinine, ctx) ?? []) : []).filter(c => !skip.has(c.day))
  if (!creatinine || todo.length === 0) return { candidates: [] }
  const missing: MissingData[] = []
  const why = `to compute eGFR from creatinine by ${info.label}`
  if (p.birth_date === undefined) missing.push({ key: 'birth_date', description: `date of birth (${why})` })
  if (p.sex === undefined) missing.push({ key: 'sex', description: `sex (${why})` })
  if (missing.length > 0) {
    return {
      candidates: [],
      blocked: {
        detail: `eGFR cannot be computed from the ${todo.length} creatinine value(s) without ${missing.map(m => m.key.replace('_', ' ')).join(' and ')}`,
        missing,
      },
    }
  }
  const sex = p.sex as 'female' | 'male'
  const candidates: Candidate[] = []
  for (const c of todo) {
    const age = ageOn(p.birth_date as string, c.date)
    if (!age || age.years < info.minAge || typeof c.value !== 'number') continue
    const mg = c.unit === 'mg/dL' ? { ok: true as const, value: c.value } : convertQuantity(c.value, c.unit, 'mg/dL', creatinine)
    if (!mg.ok || mg.value <= 0) continue
    const input = { creatinineMgDl: mg.value, ageYears: age.years, sex }
    const from = `computed by ${info.label} from creatinine ${c.entered}, age ${age.years}, ${sex}`
    const base = { day: c.day, date: c.date, unit }
    if (!info.raceCoefficient) {
      candidates.push({ ...base, value: info.compute({ ...input, black: false }), entered: from })
    } else if (p.black_race !== undefined) {
      candidates.push({ ...base, value: info.compute({ ...input, black: p.black_race }), entered: `${from}, ${p.black_race ? 'Black' : 'not Black'}` })
    } else {
      // race not recorded: both values; the race coefficient exceeds 1, so not Black is the lower bound
      const notBlack = info.compute({ ...input, black: false })
      const black = info.compute({ ...input, black: true })
      candidates.push({
        ...base,
        value: { min: notBlack, max: black },
        entered: `${from}: ${show(notBlack)} if not Black, ${show(black)} if Black (race not recorded)`,
        byRace: true,
        narrow: [raceMissing(equation)],
      })
    }
  }
  return { candidates }
}
