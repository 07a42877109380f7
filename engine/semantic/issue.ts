/**
 * A semantic problem before it is located in the source: the path of the
 * node at fault, turned into line and column by the loader.
 */
import type { DiagnosticCode, Severity } from '../types.ts'
import type { PathSegment } from '../parse/path.ts'

export interface SemanticIssue {
  code: DiagnosticCode
  severity: Severity
  path: PathSegment[]
  message: string
  expected?: string
  found?: string
}

export function issue(
  code: DiagnosticCode,
  path: PathSegment[],
  message: string,
  expected?: string,
  found?: string,
  severity: Severity = 'error',
): SemanticIssue {
  return {
    code,
    severity,
    path,
    message,
    ...(expected !== undefined ? { expected } : {}),
    ...(found !== undefined ? { found } : {}),
  }
}
