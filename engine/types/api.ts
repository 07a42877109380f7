/**
 * Shapes of the HTTP API that the server produces and the web reads, given
 * one home here because the web may import types from the engine's index
 * only (test/web/boundaries.test.ts): the token roles and what running a
 * protocol's examples answers. No engine function computes them.
 */

/** A token's role (server/auth.ts grants each its permissions). */
export type Role = 'admin' | 'designer' | 'clinician' | 'viewer'

/** One expectation of an example (its overall verdict or one criterion) beside what the engine answered. */
export interface ExampleCheck {
  /** `overall` or a criterion id. */
  subject: string
  /** The criterion's short title, for people. */
  title?: string
  expected: string
  actual: string
  ok: boolean
  /** The engine's one-line reason for a criterion's answer. */
  reason?: string
}

/** What POST /protocols/:id/examples/run answers for each example. */
export interface ExampleRunResult {
  id: string
  description: string
  /** 1-based line of the example in the examples text, when found. */
  line?: number
  passed: boolean
  checks: ExampleCheck[]
  /** The subjects (overall or criterion ids) whose answer differs from the expectation. */
  differ: string[]
}
