/**
 * The CPU-bound work on protocol and examples text, run in the worker pool
 * (cpu-pool.ts): parse, validate and lint a protocol; check examples against
 * a protocol; run the example patients and subjects. Inputs and outputs are
 * plain data (they cross a thread boundary); a Problem thrown here reaches
 * the client as it would from a route.
 */
import {
  compileProtocol,
  loadExamples,
  loadProtocol,
  locate,
  parseExamplesText,
  runExamples,
  type CompiledProtocol,
  type Diagnostic,
  type ExampleCheck,
  type ExampleOutcome,
  type ExampleRunResult,
  type ExamplesDocument,
  type Loaded,
  type ParsedYaml,
  type ProtocolDocument,
  type SubjectExampleOutcome,
} from '../../engine/index.ts'
import { runSubjectExamples } from '../../engine/study.ts'
import { Problem } from '../errors.ts'
import { loadedVersion } from '../protocol-cache.ts'
import type { ProtocolVersionRow } from '../storage/store.ts'

const errorCount = (diagnostics: Diagnostic[]) => diagnostics.filter(d => d.severity === 'error').length
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** Parse, validate and lint protocol text: the document when it has no error, and every located diagnostic. */
export function validateProtocol(input: { yaml: string; file: string }): Loaded<ProtocolDocument> {
  return loadProtocol(input.yaml, { file: input.file })
}

/**
 * The same check for a draft nothing is saved from (the editor's, on every change): whether it is valid and every
 * located diagnostic, without the document, which would only be copied back across the thread boundary unread.
 */
export function checkProtocolDraft(input: { yaml: string; file: string }): { valid: boolean; diagnostics: Diagnostic[] } {
  const loaded = loadProtocol(input.yaml, { file: input.file })
  return { valid: loaded.value !== undefined, diagnostics: loaded.diagnostics }
}

/** Parse and check examples text against a protocol; errors are a 422 with every located diagnostic. */
function examplesOrThrow(text: string, protocol: ProtocolDocument, file: string): { examples: ExamplesDocument; warnings: Diagnostic[] } {
  const loaded = loadExamples(text, protocol, { file })
  if (!loaded.value) {
    throw new Problem(422, 'invalid-request', `the examples have ${plural(errorCount(loaded.diagnostics), 'error')}`, {
      document: 'examples',
      diagnostics: loaded.diagnostics,
    })
  }
  return { examples: loaded.value, warnings: loaded.diagnostics }
}

/** Examples text checked against a saved protocol version: its warnings, or a 422. */
export function checkExamples(input: { protocol: ProtocolVersionRow; text: string; file: string }): { warnings: Diagnostic[] } {
  return { warnings: examplesOrThrow(input.text, loadedVersion(input.protocol).doc, input.file).warnings }
}

// the shapes the web reads too, in the engine's API types (engine/types/api.ts)
export type { ExampleCheck, ExampleRunResult }

function resultOf(outcome: ExampleOutcome, ex: ExamplesDocument['examples'][number], line: number | undefined): ExampleRunResult {
  const { verdict } = outcome
  const checks: ExampleCheck[] = [{ subject: 'overall', expected: ex.expect.overall, actual: verdict.overall, ok: verdict.overall === ex.expect.overall }]
  for (const [id, expected] of Object.entries(ex.expect.criteria ?? {})) {
    const c = verdict.criteria.find(r => r.id === id)
    const actual = c?.truth ?? 'absent'
    checks.push({ subject: id, ...(c?.title ? { title: c.title } : {}), expected, actual, ok: actual === expected, ...(c ? { reason: c.reason } : {}) })
  }
  return {
    id: outcome.id,
    description: outcome.description,
    ...(line !== undefined ? { line } : {}),
    passed: outcome.passed,
    checks,
    differ: outcome.mismatches.map(m => m.subject),
  }
}

/**
 * The example subjects' run (follow-up endpoints worked out by hand), shaped
 * as the patients' results; a subject's checks are the endpoint results that
 * differ (`endpoint@visit`, expected, actual).
 */
function subjectResults(outcomes: SubjectExampleOutcome[], parsed: ParsedYaml) {
  const results: ExampleRunResult[] = outcomes.map((o, i) => {
    const line = locate(parsed.doc, parsed.lineCounter, ['subjects', i])?.line
    const checks: ExampleCheck[] = o.mismatches.map(m => ({
      subject: m.subject,
      expected: String(m.expected ?? 'none'),
      actual: String(m.actual ?? 'none'),
      ok: false,
    }))
    return { id: o.id, description: o.description, ...(line !== undefined ? { line } : {}), passed: o.passed, checks, differ: o.mismatches.map(m => m.subject) }
  })
  const passed = results.filter(r => r.passed).length
  return { total: results.length, passed, failed: results.length - passed, results }
}

export interface ExamplesRunInput {
  /** The saved version the examples run against, or a draft of it (`draft`, checked first). */
  protocol: ProtocolVersionRow
  draft?: { yaml: string; file: string }
  examples: { text: string; file: string; version: number | null }
}

/** Run the example patients and subjects against a protocol (saved or draft): per example expected vs actual. */
export async function runProtocolExamples(input: ExamplesRunInput) {
  let protocol: ProtocolDocument
  let compiled: CompiledProtocol
  if (input.draft === undefined) {
    ;({ doc: protocol, compiled } = loadedVersion(input.protocol))
  } else {
    const loaded = loadProtocol(input.draft.yaml, { file: input.draft.file })
    if (!loaded.value) {
      throw new Problem(
        422,
        'invalid-protocol',
        `the protocol draft has ${plural(errorCount(loaded.diagnostics), 'error')}; the examples run once it has none`,
        {
          document: 'protocol',
          diagnostics: loaded.diagnostics,
        },
      )
    }
    protocol = loaded.value
    compiled = compileProtocol(protocol)
  }
  const { text, file, version } = input.examples
  const { examples, warnings } = examplesOrThrow(text, protocol, file)
  const outcomes = await runExamples(compiled, examples)
  // positions of each example in the text, so the editor can jump to it
  const parsed = parseExamplesText(text, file)
  const results = outcomes.map((o, i) => resultOf(o, examples.examples[i]!, locate(parsed.doc, parsed.lineCounter, ['examples', i])?.line))
  const passed = results.filter(r => r.passed).length
  const subjects = subjectResults(await runSubjectExamples(compiled, examples), parsed)
  return { total: results.length, passed, failed: results.length - passed, examples_version: version, results, subjects, warnings }
}
