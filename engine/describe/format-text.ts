/**
 * A protocol description as plain text (the CLI's `describe`): sections in
 * capitals, logic as an indented bulleted tree.
 */
import type { ParameterValue } from '../types.ts'
import type { DescribedNode } from './describe-logic.ts'
import type { CriterionDescription, ProtocolDescription } from './describe-protocol.ts'

const INDENT = '  '

/**
 * A described clause and its children as indented lines: "• ALL of:" then
 * "  • …". A designer's label comes first in quotes; details follow in
 * parentheses-free lines prefixed with "–"; parameters used are named.
 *
 * @example
 * formatDescribedNode(d.criteria[0].logic, (p) => values[p]).join('\n')
 */
export function formatDescribedNode(node: DescribedNode, parameterValue?: (name: string) => ParameterValue | undefined, depth = 0): string[] {
  const pad = INDENT.repeat(depth)
  const label = node.label !== undefined ? `“${node.label}”: ` : ''
  const lines = [`${pad}• ${label}${node.text}`]
  for (const d of node.details ?? []) lines.push(`${pad}${INDENT}– ${d}`)
  if (node.parameters?.length) {
    const named = node.parameters.map(p => {
      const v = parameterValue?.(p)
      return v === undefined ? p : `${p} = ${String(v)}`
    })
    lines.push(`${pad}${INDENT}– uses parameter${named.length === 1 ? '' : 's'} ${named.join(', ')}`)
  }
  for (const c of node.children ?? []) lines.push(...formatDescribedNode(c, parameterValue, depth + 1))
  return lines
}

function criterionLines(c: CriterionDescription, value: (name: string) => ParameterValue | undefined): string[] {
  const lines = [`${c.id}${c.title ? ` — ${c.title}` : ''}`, `${INDENT}Registry text: "${c.text}"`]
  if (c.applies_if) {
    lines.push(`${INDENT}Applies only if:`)
    lines.push(...formatDescribedNode(c.applies_if, value, 2))
  }
  lines.push(`${INDENT}${c.kind === 'inclusion' ? 'Met when' : 'Excludes when'}:`)
  lines.push(...formatDescribedNode(c.logic, value, 2))
  for (const n of c.notes) lines.push(`${INDENT}Note: ${n}`)
  return lines
}

/**
 * The whole description as text.
 *
 * @example
 * console.log(formatProtocolDescription(describeProtocol(doc)))
 */
export function formatProtocolDescription(d: ProtocolDescription): string {
  const values = new Map(d.parameters.map(p => [p.name, p.value]))
  const value = (name: string) => values.get(name)
  const id = d.identity
  const out: string[] = [
    `${id.registry_id} — ${id.title}`,
    `Encoding version ${id.version}; sponsor ${id.sponsor}; phase ${id.phase}; target enrolment ${id.target_enrollment}${id.sex ? `; sex ${id.sex}` : ''}`,
  ]
  if (id.source) out.push(`Source: ${id.source}`)

  out.push('', 'HOW WINDOWS ARE COUNTED', ...d.conventions.map(c => `${INDENT}${c}`))

  out.push('', 'REFERENCE DATES')
  for (const r of d.reference_dates) {
    out.push(`${INDENT}${r.name} — ${r.label}${r.description ? `: ${r.description}` : ''}`)
    out.push(`${INDENT}${INDENT}used by ${r.used_by.length ? r.used_by.join(', ') : 'nothing'}`)
  }

  if (d.parameters.length) {
    out.push('', 'PARAMETERS')
    for (const p of d.parameters) {
      const options = p.options ? ` (options: ${p.options.map(String).join(', ')})` : ''
      out.push(`${INDENT}${p.name} = ${String(p.value)}${options}${p.open ? ' — OPEN' : ''}`)
      if (p.open_note) out.push(`${INDENT}${INDENT}${p.open_note}`)
      out.push(`${INDENT}${INDENT}${p.rationale}`)
      out.push(`${INDENT}${INDENT}used by ${p.used_by.length ? p.used_by.join(', ') : 'nothing'}`)
    }
  }

  if (d.attestations.length) {
    out.push('', 'INVESTIGATOR ATTESTATIONS')
    for (const a of d.attestations) out.push(`${INDENT}${a.name}: ${a.question}`)
  }

  const inclusion = d.criteria.filter(c => c.kind === 'inclusion')
  const exclusion = d.criteria.filter(c => c.kind === 'exclusion')
  if (inclusion.length) {
    out.push('', 'INCLUSION CRITERIA (every one must be met)')
    for (const c of inclusion) out.push('', ...criterionLines(c, value))
  }
  if (exclusion.length) {
    out.push('', 'EXCLUSION CRITERIA (any one met excludes)')
    for (const c of exclusion) out.push('', ...criterionLines(c, value))
  }

  if (d.arms.length) {
    out.push('', 'ARMS')
    for (const a of d.arms) {
      out.push(`${INDENT}${a.id} — ${a.label}`)
      for (const i of a.interventions) out.push(`${INDENT}${INDENT}${i}`)
    }
  }
  if (d.visits.length) {
    out.push('', 'VISITS')
    for (const v of d.visits) out.push(`${INDENT}${v.label} (${v.id}): ${v.text}`)
  }
  if (d.endpoints.length) {
    out.push('', 'ENDPOINTS')
    for (const e of d.endpoints) {
      out.push(`${INDENT}${e.id} — ${e.title} (${e.kind}${e.time_frame ? `, ${e.time_frame}` : ''})`)
      out.push(`${INDENT}${INDENT}${e.summary}`)
      if (e.logic) out.push(...formatDescribedNode(e.logic, value, 2))
    }
  }
  return out.join('\n')
}
