/**
 * The rule inspector over HTTP: a protocol version in plain words
 * (GET /protocols/:id/description) and its compiled json-rules-engine rules
 * (GET /protocols/:id/rules). Requests go through web/api.ts (token, ProblemError).
 */
import { json } from '../api.ts'
import type { ProtocolDescription } from '../../engine/index.ts'

export type { CriterionDescription, DescribedNode, ParameterDescription, ProtocolDescription } from '../../engine/index.ts'

/** One json-rules-engine rule as the server sends it (plain JSON). */
export interface CompiledRule {
  name?: string
  priority?: number
  conditions: unknown
  event: { type: string; params?: Record<string, unknown> }
}

/** GET /protocols/:id/rules: eligibility rules and response-endpoint rules of one version. */
export interface CompiledRules {
  version: number
  eligibility: CompiledRule[]
  endpoints: CompiledRule[]
}

const base = (id: string) => `/protocols/${encodeURIComponent(id)}`

/** The latest version (or a given one) in plain words. */
export const getProtocolDescription = (id: string, signal?: AbortSignal): Promise<{ version: number; description: ProtocolDescription }> =>
  json(`${base(id)}/description`, { signal })

/** The compiled rules of a version (the one the description came from, so the two agree). */
export const getCompiledRules = (id: string, version: number, signal?: AbortSignal): Promise<CompiledRules> =>
  json(`${base(id)}/rules?version=${version}`, { signal })

/**
 * The rules compiled from one criterion: its own rule (named by its id), its
 * `applies_if` rule (`IN05:applies_if`) and one rule per `at_least` member
 * (`IN01:logic.at_least.of[0]`), as engine/compile/to-rules.ts names them.
 */
export function rulesOfCriterion(rules: CompiledRule[], criterionId: string): CompiledRule[] {
  return rules.filter(r => r.name === criterionId || r.name?.startsWith(`${criterionId}:`))
}
