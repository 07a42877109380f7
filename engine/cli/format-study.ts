/**
 * Plain-text rendering of the study commands: dosing calendars, visit
 * calendars, one subject's endpoint results and the study summary.
 */
import type { Arm, DosingSchedule, Explanation, MissingData, PlannedVisit, ProtocolDocument, SubjectEndpointResults, VisitAssignment } from '../types.ts'
import type { DifferenceResult, StudySummary, Rate } from '../index.ts'
import { INTERVAL_CONVENTION_WORDS } from '../endpoints/time-to-event.ts'

function table(rows: string[][], indent = ''): string[] {
  const widths: number[] = []
  for (const r of rows) for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length)
  return rows.map(
    r =>
      indent +
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
  )
}

/** `2e6`, `1.25e8`, `62.5`: protocol notation, at most 12 significant digits. */
export function formatAmount(x: number): string {
  const rounded = Number(x.toPrecision(12))
  const abs = Math.abs(rounded)
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return rounded.toExponential().replace('e+', 'e')
  return String(rounded)
}

const pct = (x: number) => (100 * x).toFixed(1)
const signedPct = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${pct(Math.abs(x))}`

/** `x/n (pct%, 95% CI lo–hi%)`, Clopper–Pearson; `x/0 (no subjects)` when n is 0. */
export function formatRate(r: Rate): string {
  if (r.ci.estimate === undefined) return `${r.x}/${r.n} (no subjects)`
  return `${r.x}/${r.n} (${pct(r.ci.estimate)}%, 95% CI ${pct(r.ci.lower)}–${pct(r.ci.upper)}%)`
}

/** A difference in percentage points with its 95 % CI (Newcombe). */
export function formatDifference(d: DifferenceResult | undefined): string {
  if (d === undefined || d.difference === undefined) return 'n/a'
  return `${signedPct(d.difference)} pts (95% CI ${signedPct(d.lower)} to ${signedPct(d.upper)})`
}

const visitName = (doc: ProtocolDocument, id: string) => doc.visits?.find(v => v.id === id)?.label ?? id
const endpointTitle = (doc: ProtocolDocument, id: string) => doc.endpoints?.find(e => e.id === id)?.title ?? id
const armLabel = (doc: ProtocolDocument, id: string | undefined) => doc.arms?.find(a => a.id === id)?.label ?? id ?? '(no arm)'

/** The administration calendar and totals of one arm. */
export function formatSchedule(s: DosingSchedule, arm: Arm): string {
  const rows = [
    ['date', 'day', 'cycle', 'dose', 'amount', 'route', 'vehicle'],
    ...s.administrations.map(a => [
      a.date,
      String(a.day),
      String(a.cycle),
      String(a.dose_in_cycle),
      `${formatAmount(a.amount)} ${a.unit}`,
      a.route,
      a.vehicle ? `${a.vehicle.volume.amount} ${a.vehicle.volume.unit} ${a.vehicle.substance}` : '',
    ]),
  ]
  const bases = [...new Set(s.administrations.map(a => `${a.intervention}: ${a.basis}`))]
  return [
    `${arm.label} (${arm.id}): ${s.administrations.length} administration${s.administrations.length === 1 ? '' : 's'}, day 1 = ${s.start}`,
    '',
    ...table(rows),
    '',
    'Dose basis:',
    ...bases.map(b => `  ${b}`),
    '',
    'Totals:',
    ...s.totals.map(t => `  ${t.intervention}: ${t.doses} dose${t.doses === 1 ? '' : 's'}, total ${formatAmount(t.amount)} ${t.unit}`),
  ].join('\n')
}

/** Due dates and windows; with a date, the visit it belongs to. */
export function formatVisitPlan(plan: PlannedVisit[], start: string, refs: string[], lookup?: { date: string; assignment: VisitAssignment }): string {
  const rows = [['visit', 'label', 'day', 'due', 'window'], ...plan.map(p => [p.visit, p.label, String(p.day), p.due, `${p.window_start} to ${p.window_end}`])]
  const lines = [`Visits, day 1 = ${start} (${refs.join(', ')})`, '', ...table(rows)]
  if (lookup) {
    const a = lookup.assignment
    const offset = (n: number) => (n === 0 ? 'on the due date' : `${Math.abs(n)} day${Math.abs(n) === 1 ? '' : 's'} ${n < 0 ? 'before' : 'after'} the due date`)
    lines.push('', a.visit !== undefined ? `${lookup.date} belongs to ${a.visit} (${a.label}), ${offset(a.offset_days)}` : `${lookup.date} is ${a.reason}`)
  }
  return lines.join('\n')
}

function leaves(e: Explanation): Explanation[] {
  return e.kind === 'leaf' ? [e] : (e.children ?? []).flatMap(leaves)
}

const TRUTH_WORD = { met: 'met', not_met: 'not met', unknown: 'unknown' } as const

function dedupe(missing: MissingData[]): MissingData[] {
  const seen = new Set<string>()
  return missing.filter(m => {
    if (seen.has(m.key)) return false
    seen.add(m.key)
    return true
  })
}

/** One subject's endpoint results: grades per visit, why at the last visit, times, changes, SRI, safety, what is missing. */
export function formatSubjectResults(r: SubjectEndpointResults, doc: ProtocolDocument): string {
  const lines = [`${doc.protocol.registry_id} v${doc.protocol.version} — subject ${r.subject}, arm ${armLabel(doc, r.arm)}${r.arm ? ` (${r.arm})` : ''}`]
  const classificationIds = [...new Set(r.classifications.map(c => c.endpoint))]
  for (const id of classificationIds) {
    const grades = r.classifications.filter(c => c.endpoint === id)
    lines.push('', `${endpointTitle(doc, id)} (${id}):`)
    lines.push(
      ...table(
        grades.map(g => [visitName(doc, g.visit), g.level === 'unknown' && g.at_least ? `unknown (at least ${g.at_least})` : g.level, g.detail]),
        '  ',
      ),
    )
  }
  const lastVisit = r.responses.at(-1)?.visit
  if (lastVisit !== undefined) {
    lines.push('', `Why, at ${visitName(doc, lastVisit)}:`)
    for (const resp of r.responses.filter(x => x.visit === lastVisit)) {
      lines.push(`  ${endpointTitle(doc, resp.endpoint)}: ${TRUTH_WORD[resp.truth]}`)
      for (const leaf of leaves(resp.explanation)) lines.push(`    [${TRUTH_WORD[leaf.truth]}] ${leaf.label}: ${leaf.detail ?? ''}`.trimEnd())
    }
  }
  if (r.times_to_event.length > 0) {
    lines.push('', 'Times to event:')
    for (const t of r.times_to_event)
      lines.push(`  ${endpointTitle(doc, t.endpoint)}: ${t.event || t.censored_at_days !== undefined ? '' : 'unknown — '}${t.detail}`)
  }
  const changeIds = [...new Set(r.changes.map(c => c.endpoint))]
  if (changeIds.length > 0) {
    const visits = [...new Set(r.changes.map(c => c.visit))]
    const fmt = (v: number | undefined) => (v === undefined ? '?' : `${v > 0 ? '+' : ''}${Number(v.toPrecision(6))}`)
    lines.push('', 'Change from baseline:')
    lines.push(
      ...table(
        [
          ['', ...visits.map(v => visitName(doc, v))],
          ...changeIds.map(id => [endpointTitle(doc, id), ...visits.map(v => fmt(r.changes.find(c => c.endpoint === id && c.visit === v)?.value))]),
        ],
        '  ',
      ),
    )
  }
  if (r.responder_index.length > 0) {
    lines.push('', 'SLE responder index:')
    const word = (v: boolean | undefined) => (v === undefined ? 'unknown' : v ? 'responder' : 'non-responder')
    lines.push(
      ...table(
        r.responder_index.map(x => [`${endpointTitle(doc, x.endpoint)}`, visitName(doc, x.visit), word(x.value), x.detail]),
        '  ',
      ),
    )
  }
  if (r.safety.length > 0) {
    lines.push('', 'Safety:')
    for (const s of r.safety) lines.push(`  ${endpointTitle(doc, s.endpoint)}: ${s.value === undefined ? 'unknown' : s.value ? 'yes' : 'no'} — ${s.detail}`)
  }
  const missing = dedupe([
    ...r.classifications.flatMap(c => c.missing),
    ...r.changes.flatMap(c => c.missing),
    ...r.responder_index.flatMap(c => c.missing),
    ...r.safety.flatMap(c => c.missing),
  ])
  lines.push('', missing.length ? 'Still needed:' : 'Nothing missing.', ...missing.map(m => `  - ${m.description} [${m.key}]`))
  return lines.join('\n')
}

/** The study summary: response rates by arm and visit, time to response, safety, changes, SRI. */
export function formatStudy(s: StudySummary, doc: ProtocolDocument): string {
  const arms = s.arms
  const total = arms.reduce((a, x) => a + x.subjects, 0)
  const lines = [`${s.protocol.registry_id} v${s.protocol.version} — ${total} subjects: ${arms.map(a => `${a.label} (${a.arm}) ${a.subjects}`).join(', ')}`]
  const [first, second] = arms
  const diffHead = first && second ? `${first.arm} − ${second.arm}` : 'difference'

  const byEndpoint = [...new Set(s.responses.map(r => r.endpoint))]
  for (const id of byEndpoint) {
    const rs = s.responses.filter(r => r.endpoint === id)
    const missingAs = rs[0]?.missing_as === 'exclude' ? 'unknown grades excluded from n' : 'unknown grades counted as non-response'
    lines.push('', `${endpointTitle(doc, id)} (${id}); ${missingAs}; rates x/n (%, 95% CI Clopper–Pearson), difference Newcombe`)
    const rows = [['visit', 'level', ...arms.map(a => a.label), diffHead]]
    for (const r of rs) {
      for (const level of Object.keys(r.arms[0]?.rates ?? {})) {
        rows.push([
          visitName(doc, r.visit),
          level,
          ...r.arms.map(a => (a.rates[level] ? formatRate(a.rates[level]) : '')),
          formatDifference(r.differences[level]),
        ])
      }
      rows.push(['', 'unknown', ...r.arms.map(a => `${a.unknown}`), ''])
    }
    lines.push(...table(rows, '  '))
  }

  for (const t of s.time_to_event) {
    lines.push(
      '',
      `${endpointTitle(doc, t.endpoint)} (${t.endpoint}), Kaplan–Meier${t.excluded ? `; ${t.excluded} subject(s) without an evaluable time left out` : ''}`,
    )
    lines.push(`  interval-censored events (visits before them not evaluable) counted at the ${INTERVAL_CONVENTION_WORDS[t.interval_censored_as]}`)
    for (const a of t.arms) {
      const steps = a.steps.filter(x => x.events > 0).map(x => `day ${x.time} ${pct(x.incidence)}%`)
      lines.push(
        `  ${armLabel(doc, a.arm)}: ${a.events}/${a.subjects} events (${a.interval_censored} interval-censored), median ${a.median === undefined ? 'not reached' : `${a.median} days`}`,
      )
      lines.push(`    cumulative incidence: ${steps.length ? steps.join(', ') : 'no events'}`)
    }
  }

  if (s.safety.length > 0) {
    lines.push('', 'Safety (subjects with at least one)')
    const rows = [['endpoint', ...arms.map(a => a.label), diffHead]]
    for (const e of s.safety)
      rows.push([
        endpointTitle(doc, e.endpoint),
        ...e.arms.map(a => formatRate(a.rate) + (a.unknown ? `, ${a.unknown} unknown` : '')),
        formatDifference(e.difference),
      ])
    lines.push(...table(rows, '  '))
  }

  const changeIds = [...new Set(s.changes.map(c => c.endpoint))]
  for (const id of changeIds) {
    lines.push('', `${endpointTitle(doc, id)}: change from baseline, mean (SD) [n]`)
    const rows = [['visit', ...arms.map(a => a.label)]]
    const num = (x: number) => `${x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)}`
    for (const c of s.changes.filter(x => x.endpoint === id)) {
      rows.push([
        visitName(doc, c.visit),
        ...c.arms.map(a => (a.mean === undefined ? `– [0]` : `${num(a.mean)} (${a.sd === undefined ? '–' : a.sd.toFixed(1)}) [${a.n}]`)),
      ])
    }
    lines.push(...table(rows, '  '))
  }

  const sriIds = [...new Set(s.responder_index.map(c => c.endpoint))]
  for (const id of sriIds) {
    lines.push('', `${endpointTitle(doc, id)} (${id}): responders among subjects with a decided result`)
    const rows = [['visit', ...arms.map(a => a.label), diffHead]]
    for (const c of s.responder_index.filter(x => x.endpoint === id)) {
      rows.push([visitName(doc, c.visit), ...c.arms.map(a => formatRate(a.rate) + (a.unknown ? `, ${a.unknown} unknown` : '')), formatDifference(c.difference)])
    }
    lines.push(...table(rows, '  '))
  }
  return lines.join('\n')
}
