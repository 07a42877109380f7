/**
 * `npm run bench`: the trial designer's edit loop, as the editor runs it on
 * every change (server/workers/protocol-tasks.ts): parse, validate and lint
 * the protocol draft, compile it, check the saved examples against it, run
 * every example patient and every example subject. Each keystroke is a new
 * draft, the examples text the saved one, as while editing the protocol.
 * Three kinds of keystroke, from least to most re-run: in the title (read
 * by no example: only its section is parsed again, every result kept), in
 * a criterion's threshold (that criterion parsed and evaluated again for
 * every example patient; the example subjects, which read no criterion,
 * kept) and in the value of a parameter being added (the context every
 * criterion and endpoint reads changed: every example patient and subject
 * run again, the worst case).
 *
 * Prints p50 and p95 per stage and for the whole loop, warm, beside the
 * targets: ≤ 10 ms for the seed protocol, ≤ 50 ms for a synthetic one four
 * times its size (its criteria repeated under new ids).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument, stringify } from 'yaml'
import { compileProtocol, loadExamples, loadProtocol, runExamples, type ProtocolDocument } from '../../engine/index.ts'
import { runSubjectExamples } from '../../engine/study.ts'

const ROUNDS = Number(process.env.BENCH_EDITS ?? 60)
const WARM_UP = 10
const root = join(import.meta.dirname, '..', '..')
const seedText = readFileSync(join(root, 'protocols/nct05631717.yaml'), 'utf8')
const examplesText = readFileSync(join(root, 'protocols/nct05631717.examples.yaml'), 'utf8')

/** A criterion id moved on by `by` (IN04 -> IN24, EX04a -> EX24a): a copy's id of the same form. */
function movedId(id: string, by: number): string {
  const m = /^(IN|EX)(\d+)([a-z]?)$/.exec(id)
  if (!m) throw new Error(`unexpected criterion id ${id}`)
  return `${m[1]}${String(Number(m[2]) + by).padStart(2, '0')}${m[3]}`
}

/** The seed with its criteria four times over (copies under new ids: the same verdicts). */
function fourTimes(text: string): string {
  const doc = parseDocument(text).toJS() as ProtocolDocument & { criteria: Array<{ id: string }> }
  const copies = [1, 2, 3].flatMap(n => doc.criteria.map(c => ({ ...structuredClone(c), id: movedId(c.id, 20 * n) })))
  return stringify({ ...doc, criteria: [...doc.criteria, ...copies] }, { lineWidth: 0 })
}

const STAGES = ['load (parse + validate + lint)', 'compile', 'examples text checked', 'example patients (fast)', 'example subjects (fast)'] as const
type Stage = (typeof STAGES)[number]

/** One keystroke: every stage timed, in ms. */
async function keystroke(text: string): Promise<Record<Stage | 'total', number>> {
  const t = [performance.now()]
  const loaded = loadProtocol(text, { file: 'draft.yaml' })
  if (!loaded.value) throw new Error(`the draft does not load: ${loaded.diagnostics[0]?.message}`)
  t.push(performance.now())
  const compiled = compileProtocol(loaded.value)
  t.push(performance.now())
  const examples = loadExamples(examplesText, loaded.value, { file: 'examples.yaml' })
  if (!examples.value) throw new Error(`the examples do not load: ${examples.diagnostics[0]?.message}`)
  t.push(performance.now())
  const patients = await runExamples(compiled, examples.value)
  t.push(performance.now())
  const subjects = await runSubjectExamples(compiled, examples.value)
  t.push(performance.now())
  const failed = patients.filter(o => !o.passed).length + subjects.filter(o => !o.passed).length
  if (failed) throw new Error(`${failed} examples fail on the draft`)
  const out = Object.fromEntries(STAGES.map((s, i) => [s, t[i + 1]! - t[i]!])) as Record<Stage, number>
  return { ...out, total: t.at(-1)! - t[0]! }
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!

/** A keystroke in the title, which no example reads. */
const titleEdit = (text: string, i: number) => text.replace(/^( {2}title: .*)$/m, `$1${'x'.repeat(i % 7)} ${i}`)

/** IN04's UPCR threshold (> 1.0 g/g) typed to 1.000001, 1.000002…: a criterion edited, the endpoints not (every example still passes). */
const IN04_UPCR = 'concept: urine_protein_creatinine_ratio\n            op: ">"\n            value: 1.0\n'
const criterionEdit = (text: string, i: number) => {
  const edited = text.replace(IN04_UPCR, IN04_UPCR.replace('value: 1.0', `value: ${(1 + (i + 1) * 1e-6).toFixed(6)}`))
  if (edited === text) throw new Error("the bench's IN04 threshold is no longer in the seed")
  return edited
}

/**
 * A keystroke in the value of a parameter being added (1, 12, 123 …): the parameters every criterion and endpoint may
 * read changed, so every example patient and subject runs again (the worst case). A rationale's prose, which nothing
 * evaluated reads, would re-run nothing.
 */
const parameterEdit = (text: string, i: number) => {
  const edited = text.replace('\nparameters:\n', `\nparameters:\n  being_typed: { value: ${i + 1}, rationale: a parameter being added }\n`)
  if (edited === text) throw new Error("the bench's parameters section is no longer in the seed")
  return edited
}

async function measure(label: string, text: string, targetMs: number, edit: (text: string, i: number) => string = titleEdit): Promise<void> {
  const samples: Array<Record<Stage | 'total', number>> = []
  for (let i = 0; i < WARM_UP + ROUNDS; i++) {
    const draft = edit(text, i)
    const s = await keystroke(draft)
    if (i >= WARM_UP) samples.push(s)
  }
  console.log(`${label}: ${(text.length / 1024).toFixed(0)} kB of YAML, ${ROUNDS} edits (after ${WARM_UP} to warm up)`)
  for (const stage of [...STAGES, 'total'] as const) {
    const xs = samples.map(s => s[stage])
    const note = stage === 'total' ? `   (target p50 ≤ ${targetMs} ms: ${quantile(xs, 0.5) <= targetMs ? 'met' : 'missed'})` : ''
    console.log(`  ${stage.padEnd(34)} p50 ${quantile(xs, 0.5).toFixed(1).padStart(7)} ms   p95 ${quantile(xs, 0.95).toFixed(1).padStart(7)} ms${note}`)
  }
}

console.log(`The edit loop (one keystroke in the editor), node ${process.version}`)
await measure('NCT05631717 (the seed), the title edited', seedText, 10)
await measure('NCT05631717 (the seed), a criterion threshold edited', seedText, 10, criterionEdit)
await measure('NCT05631717 (the seed), a parameter edited (every example runs again)', seedText, 10, parameterEdit)
await measure('the seed four times over, the title edited', fourTimes(seedText), 50)
