/**
 * Safety endpoints per subject: treatment-emergent and serious adverse
 * events, CTCAE grade shifts of laboratory values from baseline, and
 * vital-sign changes from baseline.
 */
import type { AdverseEvent, AdverseEventEndpoint, LabShiftEndpoint, MissingData, SubjectEndpointResults, SubjectRecord, VitalSignEndpoint } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { selectMeasurement } from '../evaluate/facts/measurement.ts'
import { resolveNumber } from '../compile/resolve.ts'
import { visitLabel } from '../compile/labels.ts'
import { formatIsoDate, parseIsoDate } from '../calculators/dates.ts'
import { convertQuantity, roundSignificant } from '../calculators/units.ts'
import {
  ANEMIA_UNITS,
  gradeAltAstIncreased,
  gradeAnemia,
  type AnemiaUnit,
  gradeCreatinineIncreased,
  gradeNeutrophilCountDecreased,
  gradePlateletCountDecreased,
  type CtcaeGrade,
} from '../calculators/ctcae-v5.ts'
import { or3 } from '../evaluate/kleene.ts'
import type { Tri } from '../evaluate/operators.ts'
import { factContextAt, type SubjectCalendar } from './calendar.ts'

type SafetyResult = SubjectEndpointResults['safety'][number]

/** ICH E2A: serious when any seriousness criterion holds. */
export function isSerious(ae: AdverseEvent): boolean {
  return Object.values(ae.seriousness).some(v => v === true)
}

function firstDoseDay(s: SubjectRecord): number | undefined {
  const days = (s.administrations ?? []).map(a => parseIsoDate(a.date)).filter((d): d is number => d !== undefined)
  return days.length ? Math.min(...days) : undefined
}

/**
 * Treatment-emergent (SAP convention, ICH E9 context): starts on or after the
 * first dose, or was present before and worsened after it; counted up to the
 * end of the given visit's window.
 */
function adverseEvents(e: AdverseEventEndpoint, s: SubjectRecord, calendar: SubjectCalendar, compiled: CompiledProtocol): SafetyResult {
  const first = firstDoseDay(s)
  const until = calendar.visitDays.get(e.until_visit)?.end
  const missing: MissingData[] = []
  if (!s.adverse_events) missing.push({ key: 'adverse_events', description: 'adverse events (or none)' })
  if (first === undefined) missing.push({ key: 'administrations', description: 'date of the first dose of study treatment' })
  if (until === undefined) missing.push(calendar.problem ?? { key: `visits.${e.until_visit}`, description: `${e.until_visit} on the visit schedule` })
  if (!s.adverse_events || first === undefined || until === undefined)
    return { endpoint: e.id, value: undefined, detail: 'cannot tell which events are treatment-emergent', missing }
  const emergent = s.adverse_events.filter(ae => {
    const onset = parseIsoDate(ae.onset)
    return onset !== undefined && onset <= until && (onset >= first || ae.worsened_after_first_dose === true)
  })
  const counted = e.count === 'serious' ? emergent.filter(isSerious) : emergent
  const what = e.count === 'serious' ? 'serious treatment-emergent' : 'treatment-emergent'
  const list = counted.map(
    ae =>
      `${ae.term} (onset ${ae.onset}${ae.ctcae_grade ? `, grade ${ae.ctcae_grade}` : ''}${isSerious(ae) ? ', serious' : ''}, ${ae.relatedness.replace('_', ' ')})`,
  )
  const window = `first dose ${formatIsoDate(first)} to end of ${visitLabel(compiled.document, e.until_visit)} window ${formatIsoDate(until)}`
  return {
    endpoint: e.id,
    value: counted.length > 0,
    detail: counted.length ? `${counted.length} ${what}: ${list.join('; ')} (${window})` : `no ${what} adverse event (${window})`,
    missing: [],
  }
}

/**
 * How each CTCAE lab term is graded from a measurement and its reference
 * range, in `unit` unless `unitFor` names, from the unit the value was
 * recorded in, another column of the table to grade it in.
 */
type LabTerm = {
  concept: string
  unit: string
  unitFor?: (recorded: string) => string
  grade: (v: number, range: { low?: number; high?: number }, unit: string, baseline?: number) => CtcaeGrade | undefined
}

/** ALT and AST are graded alike (CTCAE v5.0): against the ULN, or against the baseline when the baseline was above it. */
const gradeTransaminase: LabTerm['grade'] = (v, r, _u, b) =>
  r.high
    ? gradeAltAstIncreased(
        b !== undefined && b > r.high ? { value: v, uln: r.high, baseline: b, baselineAbnormal: true } : { value: v, uln: r.high, baselineAbnormal: false },
      )
    : undefined

const LAB_TERMS: Record<LabShiftEndpoint['labs'][number], LabTerm> = {
  creatinine_increased: {
    concept: 'serum_creatinine',
    unit: 'mg/dL',
    grade: (v, r, _u, b) => (r.high ? gradeCreatinineIncreased({ value: v, uln: r.high, ...(b !== undefined ? { baseline: b } : {}) }) : undefined),
  },
  alt_increased: {
    concept: 'alt',
    unit: 'U/L',
    grade: gradeTransaminase,
  },
  ast_increased: {
    concept: 'ast',
    unit: 'U/L',
    grade: gradeTransaminase,
  },
  neutrophil_count_decreased: {
    concept: 'neutrophils',
    unit: '10*9/L',
    grade: (v, r) => (r.low ? gradeNeutrophilCountDecreased({ value10e9PerL: v, lln: r.low }) : undefined),
  },
  platelet_count_decreased: {
    concept: 'platelets',
    unit: '10*9/L',
    grade: (v, r) => (r.low ? gradePlateletCountDecreased({ value10e9PerL: v, lln: r.low }) : undefined),
  },
  anemia: {
    concept: 'hemoglobin',
    unit: 'g/dL',
    unitFor: anemiaColumn,
    grade: (v, r, u) => (r.low ? gradeAnemia({ hemoglobin: v, unit: u as AnemiaUnit, lln: r.low }) : undefined),
  },
}

/**
 * The CTCAE v5.0 "Anemia" column a haemoglobin is graded in: that of its
 * own unit (g/dL, mmol/L or g/L, spelt in any UCUM form of the same unit);
 * any other amount-of-substance unit in mmol/L, converted without the molar
 * mass; anything else in g/dL.
 */
function anemiaColumn(recorded: string): AnemiaUnit {
  const exact = ANEMIA_UNITS.find(u => {
    const r = convertQuantity(1, recorded, u)
    return r.ok && r.value === 1
  })
  if (exact) return exact
  return convertQuantity(1, recorded, 'mmol/L').ok ? 'mmol/L' : 'g/dL'
}

function labAt(compiled: CompiledProtocol, s: SubjectRecord, calendar: SubjectCalendar, term: LabTerm, visit: string) {
  const ctx = factContextAt(compiled, calendar, visit)
  let unit = term.unit
  let sel = selectMeasurement(s, term.concept, { kind: 'visit', visit }, 'nearest', unit, ctx)
  if (sel.ok && term.unitFor) {
    const column = term.unitFor(sel.chosen.unit)
    if (column !== unit) {
      unit = column
      sel = selectMeasurement(s, term.concept, { kind: 'visit', visit }, 'nearest', unit, ctx)
    }
  }
  if (!sel.ok || typeof sel.value !== 'number') return undefined
  // the reference range is in the record's unit: scale it by the value's conversion factor
  const { chosen } = sel
  const factor = typeof chosen.value === 'number' && chosen.value !== 0 ? sel.value / chosen.value : 1
  const range = {
    ...(chosen.lower !== undefined ? { low: chosen.lower * factor } : {}),
    ...(chosen.upper !== undefined ? { high: chosen.upper * factor } : {}),
  }
  return { value: sel.value, range, unit, text: sel.text }
}

function labShifts(e: LabShiftEndpoint, s: SubjectRecord, calendar: SubjectCalendar, compiled: CompiledProtocol): SafetyResult {
  const minIncrease = resolveNumber(e.min_grade_increase, compiled.parameters)
  const found: string[] = []
  const open: string[] = []
  const tris: Tri[] = []
  for (const lab of e.labs) {
    const term = LAB_TERMS[lab]
    const base = labAt(compiled, s, calendar, term, e.baseline)
    const baseGrade = base ? term.grade(base.value, base.range, base.unit) : undefined
    for (const visit of e.visits) {
      const at = labAt(compiled, s, calendar, term, visit)
      const grade = at ? term.grade(at.value, at.range, at.unit, base?.unit === at.unit ? base.value : undefined) : undefined
      if (grade === undefined || baseGrade === undefined) {
        open.push(`${lab} at ${visit}`)
        tris.push(undefined)
        continue
      }
      const shifted = grade - baseGrade >= minIncrease
      tris.push(shifted)
      if (shifted) found.push(`${lab}: grade ${baseGrade} → ${grade} at ${visitLabel(compiled.document, visit)} (${at!.text})`)
    }
  }
  const value = or3(...tris)
  const detail = found.length ? found.join('; ') : open.length ? `no shift found; not gradable: ${open.join(', ')}` : 'no CTCAE grade increase from baseline'
  const missing = value === undefined ? [{ key: 'measurements', description: `lab values with reference ranges: ${open.join(', ')}` }] : []
  return { endpoint: e.id, value, detail, missing }
}

function vitalSigns(e: VitalSignEndpoint, s: SubjectRecord, calendar: SubjectCalendar, compiled: CompiledProtocol): SafetyResult {
  const found: string[] = []
  const open: string[] = []
  const tris: Tri[] = []
  for (const rule of e.rules) {
    const threshold = resolveNumber(rule.by_at_least, compiled.parameters)
    const ctx = (visit: string) => factContextAt(compiled, calendar, visit)
    const base = selectMeasurement(s, rule.concept, { kind: 'visit', visit: e.baseline }, 'nearest', rule.unit, ctx(e.baseline))
    for (const visit of e.visits) {
      const at = selectMeasurement(s, rule.concept, { kind: 'visit', visit }, 'nearest', rule.unit, ctx(visit))
      if (!base.ok || !at.ok || typeof base.value !== 'number' || typeof at.value !== 'number') {
        open.push(`${rule.label} at ${visit}`)
        tris.push(undefined)
        continue
      }
      const delta = roundSignificant(at.value - base.value, 10)
      const hit = rule.change === 'increase' ? delta >= threshold : rule.change === 'decrease' ? -delta >= threshold : Math.abs(delta) >= threshold
      tris.push(hit)
      if (hit) found.push(`${rule.label}: ${delta > 0 ? '+' : ''}${delta} ${rule.unit} at ${visitLabel(compiled.document, visit)} (${at.text} vs ${base.text})`)
    }
  }
  const value = or3(...tris)
  const detail = found.length
    ? found.join('; ')
    : open.length
      ? `no significant change found; not measured: ${open.join(', ')}`
      : 'no significant change from baseline'
  return { endpoint: e.id, value, detail, missing: value === undefined ? [{ key: 'measurements', description: `vital signs: ${open.join(', ')}` }] : [] }
}

export function evaluateSafety(compiled: CompiledProtocol, s: SubjectRecord, calendar: SubjectCalendar): SafetyResult[] {
  return (compiled.document.endpoints ?? []).flatMap((e): SafetyResult[] => {
    if (e.type === 'adverse_events') return [adverseEvents(e, s, calendar, compiled)]
    if (e.type === 'lab_shifts') return [labShifts(e, s, calendar, compiled)]
    if (e.type === 'vital_sign_changes') return [vitalSigns(e, s, calendar, compiled)]
    return []
  })
}
