/**
 * Observations: lab values by LOINC code through the lab-concept dictionary
 * (units converted by UCUM code, never guessed), pregnancy tests and status
 * through the coded-observation dictionary, and items of this project's record
 * code system (reference dates, attestations, facts, SLEDAI-2K).
 */
import type { CodeableConcept, Observation, ObservationComponent, Quantity } from '@medplum/fhirtypes'
import { convertQuantity } from '../calculators/units.ts'
import { EGFR_RACE_SPECIFIC_LOINC } from '../calculators/egfr-equations.ts'
import { codedObservationByLoinc, answerMeaning, type CodedObservation } from '../dictionary/coded-observations.ts'
import type { LabConcept } from '../dictionary/index.ts'
import type { IsoDate, Measurement } from '../types.ts'
import { RECORD_SYSTEM, SYSTEMS, codings, conceptText, codingText } from './codes.ts'
import type { ImportContext, Where } from './context.ts'
import { describe } from './dates.ts'
import { importRecordItem } from './record-items.ts'

/** Observation statuses whose value is not a result (FHIR R4 observation-status). */
const EXCLUDED_STATUS = new Set(['entered-in-error', 'cancelled', 'registered'])

/** The value[x] fields of an Observation or a component. */
type Valued = Pick<
  Observation,
  | 'valueQuantity'
  | 'valueCodeableConcept'
  | 'valueString'
  | 'valueBoolean'
  | 'valueInteger'
  | 'valueDateTime'
  | 'valueRange'
  | 'valueRatio'
  | 'valuePeriod'
  | 'valueTime'
  | 'valueSampledData'
  | 'dataAbsentReason'
  | 'interpretation'
  | 'referenceRange'
>

export function importObservation(ctx: ImportContext, where: Where, obs: Observation): void {
  if (ctx.otherPatient(where, 'subject', obs.subject)) return
  if (typeof obs.status === 'string' && EXCLUDED_STATUS.has(obs.status)) {
    ctx.miss(where, 'status', 'EXCLUDED_STATUS', `status "${obs.status}": not a result`)
    return
  }
  const record = codings(obs.code).find(c => c.system === RECORD_SYSTEM && c.code)
  if (record) {
    importRecordItem(ctx, where, obs, record.code as string)
    return
  }
  const target = loincTarget(ctx, obs.code)
  if (!target && Array.isArray(obs.component) && obs.component.length > 0 && !hasValue(obs)) {
    // a panel (blood pressure...): its components carry the codes and values
    const date = effectiveDate(ctx, where, obs)
    for (const [i, comp] of obs.component.entries()) importComponent(ctx, where, comp, `component[${i}]`, date)
    return
  }
  if (!target) {
    ctx.miss(where, 'code', 'UNKNOWN_CODE', `no lab concept or coded observation in the dictionary has ${conceptText(obs.code)}`)
    return
  }
  const date = effectiveDate(ctx, where, obs)
  if (!date) return
  if (target.kind === 'lab') importMeasurement(ctx, where, obs, target.concept, target.matched, date, '', target.loinc)
  else importCoded(ctx, where, obs, target.coded, target.matched, date)
}

type Target = { kind: 'lab'; concept: LabConcept; matched: string; loinc: string } | { kind: 'coded'; coded: CodedObservation; matched: string }

function loincTarget(ctx: ImportContext, code: CodeableConcept | undefined): Target | undefined {
  for (const c of codings(code)) {
    if (c.system !== SYSTEMS.loinc || !c.code) continue
    const concept = ctx.dict.labConcepts.find(l => l.loinc.includes(c.code as string))
    if (concept) return { kind: 'lab', concept, matched: codingText(c), loinc: c.code }
    const coded = codedObservationByLoinc(c.code)
    if (coded) return { kind: 'coded', coded, matched: codingText(c) }
  }
  return undefined
}

function hasValue(v: Valued): boolean {
  return Object.keys(v).some(k => k.startsWith('value'))
}

/** The specimen / clinically relevant date: effective[x]; `issued` is when the report was released, not used. */
function effectiveDate(ctx: ImportContext, where: Where, obs: Observation): IsoDate | undefined {
  const period = obs.effectivePeriod
  const { date } = ctx.date(
    where,
    [
      { sub: 'effectiveDateTime', value: obs.effectiveDateTime },
      { sub: 'effectiveInstant', value: obs.effectiveInstant },
      { sub: 'effectivePeriod.start', value: period?.start },
      { sub: 'effectivePeriod.end', value: period?.end },
    ],
    'effective date',
    { required: true, imported: false },
  )
  return date
}

function importComponent(ctx: ImportContext, where: Where, comp: ObservationComponent, sub: string, date: IsoDate | undefined): void {
  const target = loincTarget(ctx, comp.code)
  if (target?.kind !== 'lab') {
    ctx.miss(where, `${sub}.code`, 'UNKNOWN_CODE', `no lab concept in the dictionary has ${conceptText(comp.code)}`)
    return
  }
  if (!date) return
  importMeasurement(ctx, where, comp, target.concept, target.matched, date, sub, target.loinc)
}

function importMeasurement(
  ctx: ImportContext,
  where: Where,
  v: Valued,
  concept: LabConcept,
  matched: string,
  date: IsoDate,
  sub: string,
  loinc?: string,
): void {
  const at = (s: string) => (sub ? `${sub}.${s}` : s)
  let value: number
  let unit: string
  if (v.valueQuantity !== undefined) {
    const q = quantity(ctx, where, v.valueQuantity, at('valueQuantity'), concept)
    if (!q) return
    ;({ value, unit } = q)
  } else if (v.valueInteger !== undefined && concept.kind === 'score') {
    value = v.valueInteger
    unit = concept.unit
  } else {
    reportValue(ctx, where, v, sub, `a quantity in a unit convertible to ${concept.unit}`)
    return
  }
  const converted = convertQuantity(value, unit, concept.unit, concept)
  if (!converted.ok) {
    ctx.miss(where, at('valueQuantity.code'), 'UNIT_NOT_CONVERTIBLE', `${concept.name}: ${converted.reason} (the concept's unit is ${concept.unit})`)
    return
  }
  if (concept.id === 'sledai_2k_score') {
    if (!Number.isInteger(converted.value) || converted.value < 0 || converted.value > 105) {
      ctx.miss(where, at('value'), 'UNSUPPORTED_VALUE', `SLEDAI-2K total must be a whole number 0-105, got ${converted.value}`)
      return
    }
    const list = (ctx.record.sledai_2k ??= [])
    ctx.hit(where, `sledai_2k[${list.length}]`, 'code', matched, undefined, sub)
    list.push({ date, score: converted.value })
    return
  }
  const m: Measurement = { concept: concept.id, value, unit, date }
  // an eGFR a lab computed for one race keeps its code: the engine applies it to the patient by the race coefficient
  const forRace = loinc === undefined ? undefined : EGFR_RACE_SPECIFIC_LOINC[loinc]
  if (forRace !== undefined) m.loinc = loinc
  const range = referenceRange(ctx, where, v, unit, concept, sub)
  if (range) m.reference_range = range
  const list = (ctx.record.measurements ??= [])
  const converts = unit === concept.unit ? undefined : `${value} ${unit} = ${converted.value} ${concept.unit}`
  const raceNote = forRace === undefined ? undefined : `computed by the lab for a patient ${forRace ? 'who is Black' : 'who is not Black'}; LOINC kept`
  const note = [converts, raceNote].filter(Boolean).join('; ') || undefined
  ctx.hit(where, `measurements[${list.length}]`, 'code', matched, note, sub)
  list.push(m)
}

/** A quantity's number and UCUM code, or a report of why not. */
function quantity(ctx: ImportContext, where: Where, q: Quantity, sub: string, concept: LabConcept): { value: number; unit: string } | undefined {
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) {
    ctx.miss(where, `${sub}.value`, 'MISSING_VALUE', `${concept.name}: expected a number, got ${describe(q.value)}`)
    return undefined
  }
  if (q.comparator) {
    ctx.miss(where, `${sub}.comparator`, 'UNSUPPORTED_VALUE', `${concept.name}: "${q.comparator}${q.value}" is a bound, not a value`)
    return undefined
  }
  if (q.system !== SYSTEMS.ucum || typeof q.code !== 'string' || q.code.trim() === '') {
    const shown = q.unit ?? q.code
    ctx.miss(
      where,
      sub,
      'UNIT_NOT_UCUM',
      `${concept.name}: the unit ${shown ? `"${shown}" ` : ''}has no UCUM code (system ${SYSTEMS.ucum} with code); units are not guessed`,
    )
    return undefined
  }
  return { value: q.value, unit: q.code }
}

/** The first reference range, in the measurement's own unit; dropped (and reported) when it cannot be. */
function referenceRange(ctx: ImportContext, where: Where, v: Valued, unit: string, concept: LabConcept, sub: string): Measurement['reference_range'] {
  const rr = v.referenceRange?.[0]
  if (!rr) return undefined
  const out: { low?: number; high?: number } = {}
  for (const bound of ['low', 'high'] as const) {
    const q = rr[bound]
    if (q?.value === undefined) continue
    const from = q.system === SYSTEMS.ucum && q.code ? q.code : undefined
    const c = from === undefined ? undefined : convertQuantity(q.value, from, unit, concept)
    if (!c?.ok) {
      ctx.miss(
        where,
        `${sub ? `${sub}.` : ''}referenceRange[0].${bound}`,
        from ? 'UNIT_NOT_CONVERTIBLE' : 'UNIT_NOT_UCUM',
        `reference range ${bound} ${q.value} ${q.unit ?? q.code ?? ''} not converted to ${unit}${c && !c.ok ? `: ${c.reason}` : ''}`,
        true,
      )
      continue
    }
    out[bound] = c.value
  }
  return Object.keys(out).length ? out : undefined
}

function reportValue(ctx: ImportContext, where: Where, v: Valued, sub: string, expected: string): void {
  const present = Object.keys(v).find(k => k.startsWith('value'))
  const at = (s: string) => (sub ? `${sub}.${s}` : s)
  if (!present) {
    const why = v.dataAbsentReason ? ` (data absent: ${conceptText(v.dataAbsentReason)})` : ''
    ctx.miss(where, at('value[x]'), 'MISSING_VALUE', `no value${why}; expected ${expected}`)
  } else {
    ctx.miss(where, at(present), 'UNSUPPORTED_VALUE', `${present} cannot be imported; expected ${expected}`)
  }
}

/** Pregnancy tests (negative/positive) and pregnancy status (yes/no). */
function importCoded(ctx: ImportContext, where: Where, obs: Observation, coded: CodedObservation, matched: string, date: IsoDate): void {
  const means = observationAnswer(obs)
  if (coded.target === 'pregnancy_test') {
    if (means !== 'negative' && means !== 'positive') {
      reportAnswer(ctx, where, obs, 'a negative or positive result')
      return
    }
    const repro = (ctx.record.reproductive ??= {})
    const tests = (repro.pregnancy_tests ??= [])
    ctx.hit(where, `reproductive.pregnancy_tests[${tests.length}]`, 'code', matched)
    tests.push({ specimen: coded.specimen ?? 'urine', result: means, date })
    return
  }
  if (means !== 'yes' && means !== 'no') {
    reportAnswer(ctx, where, obs, 'pregnant or not pregnant')
    return
  }
  // a status is a dated finding: the evaluator decides whether it is still current at screening
  ctx.setSingular('pregnancy_status', date, where, 'reproductive.pregnancy_status', () => {
    ;(ctx.record.reproductive ??= {}).pregnancy_status = { pregnant: means === 'yes', date }
    ctx.hit(where, 'reproductive.pregnancy_status', 'code', matched, `dated ${date}: counts as "pregnant now" only when recorded shortly before screening`)
  })
}

function observationAnswer(obs: Observation): string | undefined {
  for (const c of codings(obs.valueCodeableConcept)) {
    const m = c.system && c.code ? answerMeaning(c.system, c.code) : undefined
    if (m) return m
  }
  if (typeof obs.valueBoolean === 'boolean') return obs.valueBoolean ? 'yes' : 'no'
  if (typeof obs.valueString === 'string') {
    const s = obs.valueString.trim().toLowerCase()
    if (s === 'negative' || s === 'positive') return s
  }
  if (!hasValue(obs)) {
    // a result given only as an interpretation (NEG/POS)
    for (const i of obs.interpretation ?? []) {
      for (const c of codings(i)) {
        const m = c.system && c.code ? answerMeaning(c.system, c.code) : undefined
        if (m) return m
      }
    }
  }
  return undefined
}

function reportAnswer(ctx: ImportContext, where: Where, obs: Observation, expected: string): void {
  if (obs.valueCodeableConcept)
    ctx.miss(where, 'valueCodeableConcept', 'UNSUPPORTED_VALUE', `${conceptText(obs.valueCodeableConcept)} is not a known answer; expected ${expected}`)
  else reportValue(ctx, where, obs, '', expected)
}
