/**
 * A whole protocol in plain words: identity, reference dates, parameters,
 * attestations, every criterion's logic as a tree, arms, visits, endpoints.
 * Plain data (JSON-serialisable), so the server can send it and the CLI and
 * the web UI can show it the same way.
 */
import type { CriterionKind, ParameterValue, ProtocolDocument, ProtocolIdentity } from '../types.ts'
import { describeContext, describeLogic, type DescribedNode, type DescribeOptions } from './describe-logic.ts'
import { describeArm, describeEndpoint, describeVisit, type ArmDescription, type EndpointDescription, type VisitDescription } from './describe-study.ts'
import { newUsage, useParameter, useRef } from './words.ts'

export interface ReferenceDateDescription {
  name: string
  label: string
  /** What the date is anchored to, as the protocol says. */
  description?: string
  /** Which criteria, visits, arms and endpoints count from it (`IN02`, `visit week_4`...). */
  used_by: string[]
}

export interface ParameterDescription {
  name: string
  value: ParameterValue
  options?: ParameterValue[]
  rationale: string
  open: boolean
  /** For an open parameter: that the registry leaves it unsettled, in words. */
  open_note?: string
  used_by: string[]
}

export interface CriterionDescription {
  id: string
  kind: CriterionKind
  title?: string
  /** The registry text, verbatim. */
  text: string
  notes: string[]
  /** When the criterion applies at all (absent: to everyone). */
  applies_if?: DescribedNode
  logic: DescribedNode
  /** Parameters and reference dates the criterion uses (its `applies_if` included). */
  parameters: string[]
  reference_dates: string[]
}

export interface ProtocolDescription {
  identity: ProtocolIdentity
  /** How windows and study days are counted: said once rather than in every clause. */
  conventions: string[]
  reference_dates: ReferenceDateDescription[]
  parameters: ParameterDescription[]
  attestations: Array<{ name: string; question: string }>
  criteria: CriterionDescription[]
  arms: ArmDescription[]
  visits: VisitDescription[]
  endpoints: EndpointDescription[]
}

export const OPEN_PARAMETER_NOTE = 'Open: the registry text does not settle this; the value is an assumption until the sponsor confirms it.'

export const DESCRIPTION_CONVENTIONS = [
  '"within N weeks before X" runs from N weeks before the X date up to and including the X date; both ends count.',
  '"on the X date" is that day only; "current at X" means ongoing on that day.',
  '"at any time (history)" means at any time up to the evaluation.',
  'Study days count from a reference date, which is day 1.',
  'A clause whose data is missing is unknown, not false: the verdict is then undetermined rather than ineligible.',
]

/**
 * Describe a validated protocol in plain words.
 *
 * @param doc - a protocol that passed validation (from {@link loadProtocol})
 * @param options - the dictionaries for lab-concept names (default: the shipped ones)
 * @example
 * const d = describeProtocol(doc)
 * d.criteria.find((c) => c.id === 'IN04')?.logic.children?.[0]?.text
 * // 'Urine protein/creatinine ratio > 1 g/g, latest within 28 days before screening'
 */
export function describeProtocol(doc: ProtocolDocument, options: DescribeOptions = {}): ProtocolDescription {
  const ctx = describeContext(doc, options)
  const paramUsers = new Map<string, string[]>()
  const refUsers = new Map<string, string[]>()
  const note = (map: Map<string, string[]>, names: string[], user: string) => {
    for (const n of names) {
      const list = map.get(n) ?? []
      if (!list.includes(user)) list.push(user)
      map.set(n, list)
    }
  }
  /** Describe one part with its own usage, then credit `user` with it. */
  const part = <T>(user: string, fn: () => T): T => {
    const outer = ctx.usage
    ctx.usage = newUsage()
    const value = fn()
    note(paramUsers, ctx.usage.parameters, user)
    note(refUsers, ctx.usage.refs, user)
    for (const p of ctx.usage.parameters) useParameter(outer, p)
    for (const r of ctx.usage.refs) useRef(outer, r)
    ctx.usage = outer
    return value
  }

  const criteria = doc.criteria.map(c =>
    part(c.id, (): CriterionDescription => {
      const appliesIf = c.applies_if ? describeLogic(c.applies_if, 'applies_if', ctx) : undefined
      const logic = describeLogic(c.logic, 'logic', ctx)
      const out: CriterionDescription = {
        id: c.id,
        kind: c.kind,
        text: c.text,
        notes: c.notes ?? [],
        logic,
        parameters: [...ctx.usage.parameters],
        reference_dates: [...ctx.usage.refs],
      }
      if (c.title !== undefined) out.title = c.title
      if (appliesIf) out.applies_if = appliesIf
      return out
    }),
  )
  const arms = (doc.arms ?? []).map(a => part(`arm ${a.id}`, () => describeArm(a, ctx)))
  const visits = (doc.visits ?? []).map(v => part(`visit ${v.id}`, () => describeVisit(v, ctx)))
  const endpoints = (doc.endpoints ?? []).map(e => part(`endpoint ${e.id}`, () => describeEndpoint(e, ctx)))

  const reference_dates = Object.entries(doc.reference_dates).map(([name, r]): ReferenceDateDescription => {
    const out: ReferenceDateDescription = { name, label: r.label, used_by: refUsers.get(name) ?? [] }
    if (r.description !== undefined) out.description = r.description
    return out
  })
  const parameters = Object.entries(doc.parameters ?? {}).map(([name, p]): ParameterDescription => {
    const out: ParameterDescription = { name, value: p.value, rationale: p.rationale, open: p.open === true, used_by: paramUsers.get(name) ?? [] }
    if (p.options) out.options = p.options
    if (p.open) out.open_note = OPEN_PARAMETER_NOTE
    return out
  })
  const attestations = Object.entries(doc.attestations ?? {}).map(([name, a]) => ({ name, question: a.question }))
  return { identity: doc.protocol, conventions: DESCRIPTION_CONVENTIONS, reference_dates, parameters, attestations, criteria, arms, visits, endpoints }
}
