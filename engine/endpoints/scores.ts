/**
 * Change from baseline of SLEDAI-2K, BILAG-2004 and glucocorticoid dose, and
 * the SLE Responder Index, per visit, each with the values it used.
 */
import type { BilagAssessment, ChangeEndpoint, MissingData, ResponderIndexEndpoint, SubjectEndpointResults, SubjectRecord } from '../types.ts'
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import { selectMeasurement } from '../evaluate/facts/measurement.ts'
import { steroidDoseEvidence } from '../evaluate/facts/steroid-dose.ts'
import { resolveNumber } from '../compile/resolve.ts'
import { visitLabel } from '../compile/labels.ts'
import { parseIsoDate } from '../calculators/dates.ts'
import { roundSignificant } from '../calculators/units.ts'
import { scoreBilag2004, type BilagGrades } from '../calculators/bilag-2004.ts'
import { sriResponse } from '../calculators/sri-4.ts'
import { factContextAt, type SubjectCalendar } from './calendar.ts'

type Value = { value: number; text: string } | { value: undefined; text: string; missing: MissingData[] }

function sledaiAt(compiled: CompiledProtocol, s: SubjectRecord, calendar: SubjectCalendar, visit: string): Value {
  const sel = selectMeasurement(s, 'sledai_2k_score', { kind: 'visit', visit }, 'nearest', '{score}', factContextAt(compiled, calendar, visit))
  if (!sel.ok) return { value: undefined, text: sel.evidence.detail, missing: sel.evidence.missing }
  if (typeof sel.value !== 'number')
    return {
      value: undefined,
      text: `SLEDAI-2K ${sel.text}: not all descriptors recorded`,
      missing: [{ key: `sledai_2k:${visit}`, description: `all 24 SLEDAI-2K descriptors at ${visit}` }],
    }
  return { value: sel.value, text: `SLEDAI-2K ${sel.text}` }
}

/** The BILAG-2004 assessment nearest the visit's nominal day, inside its window. */
function bilagAt(s: SubjectRecord, calendar: SubjectCalendar, visit: string): BilagAssessment | undefined {
  const w = calendar.visitDays.get(visit)
  if (!w) return undefined
  const inWindow = (s.bilag_2004 ?? [])
    .map(a => ({ a, day: parseIsoDate(a.date) }))
    .filter((x): x is { a: BilagAssessment; day: number } => x.day !== undefined && x.day >= w.start && x.day <= w.end)
  if (inWindow.length === 0) return undefined
  return inWindow.reduce((p, q) => (Math.abs(q.day - w.due) < Math.abs(p.day - w.due) ? q : p)).a
}

function bilagScoreAt(s: SubjectRecord, calendar: SubjectCalendar, visit: string, name: string): Value {
  const a = bilagAt(s, calendar, visit)
  const need = { key: `bilag_2004:${visit}`, description: `BILAG-2004 grades of all 9 systems at ${name}` }
  if (!a) return { value: undefined, text: `no BILAG-2004 at ${name}`, missing: [need] }
  const score = scoreBilag2004(a.grades as BilagGrades)
  if (score.missing.length > 0) return { value: undefined, text: `BILAG-2004 on ${a.date}: ${score.missing.join(', ')} not graded`, missing: [need] }
  return { value: score.min, text: `BILAG-2004 ${score.min} on ${a.date}` }
}

function steroidAt(compiled: CompiledProtocol, s: SubjectRecord, calendar: SubjectCalendar, visit: string): Value {
  const ev = steroidDoseEvidence(s, { at: visit }, factContextAt(compiled, calendar, visit))
  if (!ev.known || typeof ev.value !== 'number') return { value: undefined, text: ev.detail, missing: ev.known ? [] : ev.missing }
  return { value: ev.value, text: ev.detail }
}

function measureAt(compiled: CompiledProtocol, s: SubjectRecord, calendar: SubjectCalendar, measure: ChangeEndpoint['measure'], visit: string): Value {
  const name = visitLabel(compiled.document, visit)
  if (measure === 'sledai_2k') return sledaiAt(compiled, s, calendar, visit)
  if (measure === 'bilag_2004') return bilagScoreAt(s, calendar, visit, name)
  return steroidAt(compiled, s, calendar, visit)
}

export function evaluateChanges(compiled: CompiledProtocol, s: SubjectRecord, calendar: SubjectCalendar): SubjectEndpointResults['changes'] {
  return (compiled.document.endpoints ?? [])
    .filter((e): e is ChangeEndpoint => e.type === 'change_from_baseline')
    .flatMap(e => {
      const base = measureAt(compiled, s, calendar, e.measure, e.baseline)
      return e.visits.map(visit => {
        const at = measureAt(compiled, s, calendar, e.measure, visit)
        const missing = [...(base.value === undefined ? base.missing : []), ...(at.value === undefined ? at.missing : [])]
        if (base.value === undefined || at.value === undefined)
          return { endpoint: e.id, visit, value: undefined, detail: `${at.text}; baseline: ${base.text}`, missing }
        const change = roundSignificant(at.value - base.value, 10)
        return { endpoint: e.id, visit, value: change, detail: `${at.text} − baseline ${base.text} = ${change > 0 ? '+' : ''}${change}`, missing: [] }
      })
    })
}

function pgaAt(compiled: CompiledProtocol, s: SubjectRecord, calendar: SubjectCalendar, visit: string): Value {
  const sel = selectMeasurement(s, 'physician_global_assessment', { kind: 'visit', visit }, 'nearest', undefined, factContextAt(compiled, calendar, visit))
  if (!sel.ok) return { value: undefined, text: sel.evidence.detail, missing: sel.evidence.missing }
  return typeof sel.value === 'number' ? { value: sel.value, text: `PGA ${sel.text}` } : { value: undefined, text: 'PGA not exact', missing: [] }
}

export function evaluateResponderIndex(compiled: CompiledProtocol, s: SubjectRecord, calendar: SubjectCalendar): SubjectEndpointResults['responder_index'] {
  const params = compiled.parameters
  return (compiled.document.endpoints ?? [])
    .filter((e): e is ResponderIndexEndpoint => e.type === 'sle_responder_index')
    .flatMap(e => {
      const reduction = resolveNumber(e.reduction, params)
      const pgaLimit = resolveNumber(e.pga_worsening_limit, params)
      const base = {
        sledai: sledaiAt(compiled, s, calendar, e.baseline),
        pga: pgaAt(compiled, s, calendar, e.baseline),
        bilag: bilagAt(s, calendar, e.baseline),
      }
      return e.visits.map(visit => {
        const at = { sledai: sledaiAt(compiled, s, calendar, visit), pga: pgaAt(compiled, s, calendar, visit), bilag: bilagAt(s, calendar, visit) }
        const r = sriResponse(
          {
            ...(base.sledai.value !== undefined ? { sledaiBaseline: base.sledai.value } : {}),
            ...(at.sledai.value !== undefined ? { sledaiVisit: at.sledai.value } : {}),
            ...(base.bilag ? { bilagBaseline: base.bilag.grades as BilagGrades } : {}),
            ...(at.bilag ? { bilagVisit: at.bilag.grades as BilagGrades } : {}),
            ...(base.pga.value !== undefined ? { pgaBaseline: base.pga.value } : {}),
            ...(at.pga.value !== undefined ? { pgaVisit: at.pga.value } : {}),
          },
          { reduction, pgaWorseningLimit: pgaLimit },
        )
        const c = r.components
        const detail = [
          `SLEDAI-2K reduction ${c.sledai.reduction ?? '?'} (needs ≥ ${reduction}): ${c.sledai.met ?? 'unknown'}`,
          `new BILAG A: ${c.bilag.newA.join(', ') || 'none'}, new B: ${c.bilag.newB.join(', ') || 'none'}${c.bilag.unknown.length ? `, unknown: ${c.bilag.unknown.join(', ')}` : ''}: ${c.bilag.met ?? 'unknown'}`,
          `PGA change ${c.pga.change ?? '?'} (fails at ≥ +${pgaLimit}): ${c.pga.met ?? 'unknown'}`,
        ].join('; ')
        const missing: MissingData[] = [
          ...(c.sledai.met === undefined
            ? [...(base.sledai.value === undefined ? base.sledai.missing : []), ...(at.sledai.value === undefined ? at.sledai.missing : [])]
            : []),
          ...(c.pga.met === undefined
            ? [...(base.pga.value === undefined ? base.pga.missing : []), ...(at.pga.value === undefined ? at.pga.missing : [])]
            : []),
          ...(c.bilag.met === undefined
            ? [{ key: `bilag_2004:${visit}`, description: `BILAG-2004 grades at baseline and ${visitLabel(compiled.document, visit)}` }]
            : []),
        ]
        return { endpoint: e.id, visit, value: r.responder, detail, missing: r.responder === undefined ? missing : [] }
      })
    })
}
