/**
 * Plain-text rendering of a verdict and of example runs, for the terminal.
 */
import type { CriterionResult, Verdict } from '../types.ts'
import type { ExampleOutcome } from '../evaluate/run-examples.ts'

const VERDICT_WORD = { met: 'met', not_met: 'not met', unknown: 'unknown' } as const
const OUTCOME_WORD = { pass: 'ok', fail: 'FAILS', unknown: '?' } as const

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length)
}

function row(c: CriterionResult, idWidth: number): string {
  const kind = c.kind === 'inclusion' ? 'incl' : 'excl'
  const applies = c.applicable === 'not_met' ? ' (not applicable)' : c.applicable === 'unknown' ? ' (applicability unknown)' : ''
  const head = `${pad(c.id, idWidth)}  ${kind}  ${pad(VERDICT_WORD[c.truth], 8)}  ${pad(OUTCOME_WORD[c.outcome], 6)}  ${c.title ?? c.text}${applies}`
  return `${head}\n${' '.repeat(idWidth + 2)}  ${c.reason}`
}

/** The verdict as a table: criterion, verdict, effect on eligibility, reason; then what is still needed. */
export function formatVerdict(v: Verdict): string {
  const idWidth = Math.max(2, ...v.criteria.map(c => c.id.length))
  const lines = [
    `${v.protocol.registry_id} v${v.protocol.version}${v.patient_id ? ` — patient ${v.patient_id}` : ''}: ${v.overall.toUpperCase()}`,
    '',
    `${pad('ID', idWidth)}  kind  ${pad('verdict', 8)}  ${pad('result', 6)}  criterion / reason`,
    ...v.criteria.map(c => row(c, idWidth)),
  ]
  if (v.failing.length > 0) lines.push('', `Fails: ${v.failing.join(', ')}`)
  if (v.missing.length > 0) {
    lines.push('', `Still needed to decide ${v.undecided.join(', ')}:`, ...v.missing.map(m => `  - ${m.description} [${m.key}]`))
  }
  if (v.warnings.length > 0) lines.push('', 'Warnings:', ...v.warnings.map(w => `  - ${w}`))
  return lines.join('\n')
}

export function formatExampleOutcomes(outcomes: ExampleOutcome[]): string {
  const passed = outcomes.filter(o => o.passed).length
  const lines = outcomes.map(o => {
    const mark = o.passed ? 'pass' : 'FAIL'
    const why = o.mismatches.map(m => `\n      ${m.subject}: expected ${m.expected}, got ${m.actual}`).join('')
    return `  ${mark}  ${o.id}: ${o.description} → ${o.verdict.overall}${why}`
  })
  return [...lines, '', `${passed}/${outcomes.length} example patients behave as expected`].join('\n')
}
