/**
 * `{ param }`-or-number fields of arms and visits, resolved for user input:
 * every problem is reported (where, what, expected, got), nothing throws.
 */
import type { NumberOrParam, ParameterValue } from '../types.ts'
import { isParamRef, resolveNumber } from '../compile/resolve.ts'

/** Resolves a parameter-or-number that must be a whole number ≥ `min`, reporting instead of throwing. */
export function resolveWholeNumber(
  x: NumberOrParam | undefined,
  params: Record<string, ParameterValue>,
  where: string,
  min: number,
  problems: string[],
): number | undefined {
  const v = resolveOrReport(x, params, where, problems)
  if (v === undefined) return undefined
  if (!Number.isInteger(v) || v < min) {
    problems.push(`${where} expected a whole number ≥ ${min}, got ${v}${paramNote(x)}`)
    return undefined
  }
  return v
}

export function resolvePositive(x: NumberOrParam, params: Record<string, ParameterValue>, where: string, problems: string[]): number | undefined {
  const v = resolveOrReport(x, params, where, problems)
  if (v === undefined) return undefined
  if (!Number.isFinite(v) || v <= 0) {
    problems.push(`${where} expected a positive number, got ${v}${paramNote(x)}`)
    return undefined
  }
  return v
}

export function resolveOrReport(x: NumberOrParam | undefined, params: Record<string, ParameterValue>, where: string, problems: string[]): number | undefined {
  if (x === undefined) {
    problems.push(`${where} missing`)
    return undefined
  }
  if (isParamRef(x)) {
    const v = params[x.param]
    if (v === undefined) {
      problems.push(`${where}: unknown parameter "${x.param}"`)
      return undefined
    }
    if (typeof v !== 'number') {
      problems.push(`${where}: parameter "${x.param}" expected a number, got ${typeof v} ${JSON.stringify(v)}`)
      return undefined
    }
  } else if (typeof x !== 'number') {
    problems.push(`${where} expected a number, got ${typeof x} ${JSON.stringify(x)}`)
    return undefined
  }
  return resolveNumber(x, params)
}

function paramNote(x: NumberOrParam | undefined): string {
  return isParamRef(x) ? ` (parameter "${x.param}")` : ''
}
