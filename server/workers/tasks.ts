/**
 * Every task the worker pool runs, by name: the one table both sides read
 * (the worker dispatches on it, the pool types its calls with it).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compileProtocol, loadExamples, loadProtocol, runExamples, validateAgainstSchema } from '../../engine/index.ts'
import { runSubjectExamples } from '../../engine/study.ts'
import { evaluateBatch } from './batch-task.ts'
import { checkExamples, checkProtocolDraft, runProtocolExamples, validateProtocol } from './protocol-tasks.ts'
import { impactOf, importFhir, whatIfOf } from './record-tasks.ts'
import { locateProtocolTitle } from './title-task.ts'

export const TASKS = {
  validateProtocol,
  checkProtocolDraft,
  locateProtocolTitle,
  checkExamples,
  runExamples: runProtocolExamples,
  importFhir,
  evaluateBatch,
  impact: impactOf,
  whatIf: whatIfOf,
  /** Answers at once: a thread that answers has loaded and warmed up (cpu-worker.ts), so the pool is ready. */
  ping: (_input: Record<string, never>) => true,
}

/**
 * Compile the schemas' validators and the engine's lazy tables, so that no request pays for them; with a protocols
 * directory, also run the edit loop once on each protocol there that has examples (about a second of a cold engine's
 * JIT, which the first editor opened after a start would otherwise wait for). A file that does not load is skipped:
 * a warm-up never stops a thread.
 */
export async function warmUp(protocolsDir?: string): Promise<void> {
  validateProtocol({ yaml: 'protocol: {}\n', file: 'warm-up' })
  for (const kind of ['patient', 'subject'] as const) validateAgainstSchema(kind, {}, undefined)
  if (protocolsDir === undefined) return
  let files: string[] = []
  try {
    files = readdirSync(protocolsDir).filter(f => f.endsWith('.examples.yaml'))
  } catch {
    return
  }
  for (const examplesFile of files) {
    try {
      const loaded = loadProtocol(readFileSync(join(protocolsDir, examplesFile.replace(/\.examples\.yaml$/, '.yaml')), 'utf8'))
      const examples = loaded.value && loadExamples(readFileSync(join(protocolsDir, examplesFile), 'utf8'), loaded.value).value
      if (!loaded.value || !examples) continue
      const compiled = compileProtocol(loaded.value)
      await runExamples(compiled, examples)
      await runSubjectExamples(compiled, examples)
    } catch {
      // nothing to warm with this one
    }
  }
}

export type TaskName = keyof typeof TASKS
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0]
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>

/** What a task sends back: its value, or the problem it threw (a Problem does not survive the thread boundary as a class). */
export type TaskReply =
  | { ok: true; value: unknown }
  | { ok: false; problem: { status: number; type: string; detail: string; extra: Record<string, unknown>; headers: Record<string, string> } }
