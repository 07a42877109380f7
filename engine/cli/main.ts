/**
 * Command line: validate, compile and evaluate protocols.
 *
 *   validate <protocol.yaml>                      located errors, exit 1 if any
 *   compile <protocol.yaml>                       json-rules-engine rules (JSON) on stdout
 *   describe <protocol.yaml> [--json]             the protocol in plain words
 *   screen <protocol.yaml> <records.ndjson|-> [--missing] [--funnel] [--workers N]   fast-path screening: NDJSON in, NDJSON out, funnel
 *   cohort <protocol.yaml> --omop <DuckDB file | folder> [--out <file>]   eligibility as SQL over the OMOP CDM
 *   to-omop <protocol.yaml> <folder> [--records <file.ndjson>]   records as OMOP CDM tables (CSV)
 *   export <protocol.yaml> (--usdm | --fhir [--release R4|R5]) [--out <file>]   CDISC USDM or FHIR JSON
 *   eligibility <protocol.yaml> <patient.yaml|json> [--json]
 *   eligibility <protocol.yaml> --example <id> [--json]
 *   examples <protocol.yaml> [--engine fast|reference]   run the protocol's example patients
 *   schedule <protocol.yaml> --arm <id> --start <date> [--weight <kg>] [--json]
 *   visits <protocol.yaml> --start <date> [--date <date>] [--json]
 *   endpoints <protocol.yaml> (<subject.yaml|json> | --synthetic <n> [--seed <s>]) [--json]
 *   study <protocol.yaml> (<subjects.yaml|json> | --synthetic <n> [--seed <s>]) [--json]
 *
 * The only part of engine/ that does I/O (through the streams it is given, see io.ts;
 * bin.ts runs it as a program); everything it calls is pure.
 */
import { parseArgs } from 'node:util'
import type { PatientRecord, ProtocolDocument, SubjectEndpointResults, SubjectRecord } from '../types.ts'
import { assignVisit, evaluateSubject, generateSchedule, planVisits, summarizeStudy, syntheticStudy } from '../study.ts'
import {
  compileProtocol,
  evaluateEligibility,
  formatDiagnostics,
  examplePatient,
  loadPatient,
  runExamples,
  BACKEND_NAMES,
  DEFAULT_BACKEND,
  isBackendName,
  type CompiledProtocol,
} from '../index.ts'
import { describeProtocol, formatProtocolDescription } from '../describe/index.ts'
import { screenCommand, SCREEN_USAGE } from './screen.ts'
import { cohortCommand, COHORT_USAGE } from './cohort.ts'
import { toOmopCommand, TO_OMOP_USAGE } from './to-omop.ts'
import { exportCommand, EXPORT_USAGE } from './export.ts'
import { fhirCommand, FHIR_USAGE } from './fhir.ts'
import { impactCommand, matchCommand, MATCH_USAGE } from './match.ts'
import { EXIT, fail, readProtocol, readExamples, readSubject, readSubjects, readText, type CliError } from './files.ts'
import { println, type CliIo } from './io.ts'
import { formatVerdict, formatExampleOutcomes } from './format-verdict.ts'
import { formatSchedule, formatStudy, formatSubjectResults, formatVisitPlan } from './format-study.ts'

const USAGE = `usage:
  validate <protocol.yaml>
  compile <protocol.yaml>
  describe <protocol.yaml> [--json]
      the protocol in plain words: reference dates, parameters, each criterion's logic as a tree, arms, visits, endpoints
  eligibility <protocol.yaml> (<patient.yaml|json> | --example <id>) [--json]
  examples <protocol.yaml> [--engine fast|reference]
      the example patients on the fast backend, or on json-rules-engine (reference): the same verdicts
  schedule <protocol.yaml> --arm <id> --start <YYYY-MM-DD> [--weight <kg>] [--json]
      dosing calendar of an arm from day 1 (--weight for per-kg doses)
  visits <protocol.yaml> --start <YYYY-MM-DD> [--date <YYYY-MM-DD>] [--json]
      visit due dates and windows; with --date, the visit that date belongs to
  endpoints <protocol.yaml> (<subject.yaml|json> | --synthetic <n> [--seed <s>]) [--json]
      one subject's endpoint results (with --synthetic, the first synthetic subject)
  study <protocol.yaml> (<subjects.yaml|json> | --synthetic <n> [--seed <s>]) [--json]
      every subject's endpoints summarised per arm (synthetic subjects are not real patients)
${FHIR_USAGE}

${SCREEN_USAGE}
${COHORT_USAGE}
${TO_OMOP_USAGE}
${EXPORT_USAGE}
${MATCH_USAGE}

exit codes: 0 ok / eligible, 1 invalid input (located errors on stderr), 2 usage,
            3 ineligible, 4 undetermined, 5 an example patient did not get its expected verdict`

/**
 * Run the command line with these arguments (without `node` and the script) on these streams.
 * Never throws: a problem is printed on `io.stderr` and becomes the exit code.
 *
 * @example
 * const code = await main(['validate', 'protocols/my-trial.yaml'], { stdout: process.stdout, stderr: process.stderr })
 * @returns the exit code (see USAGE)
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io)
  } catch (error) {
    return fail(io, error, EXIT.input)
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      funnel: { type: 'boolean' },
      workers: { type: 'string' },
      missing: { type: 'boolean' },
      example: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      arm: { type: 'string' },
      start: { type: 'string' },
      weight: { type: 'string' },
      date: { type: 'string' },
      synthetic: { type: 'string' },
      seed: { type: 'string' },
      protocol: { type: 'string' },
      protocols: { type: 'string' },
      engine: { type: 'string' },
      omop: { type: 'string' },
      records: { type: 'string' },
      out: { type: 'string' },
      usdm: { type: 'boolean' },
      fhir: { type: 'boolean' },
      release: { type: 'string' },
    },
  })
  const [command, protocolPath, patientPath] = positionals
  if (values.help || !command || !protocolPath) {
    println(io.stdout, USAGE)
    return values.help ? EXIT.ok : EXIT.usage
  }
  switch (command) {
    case 'fhir':
      return fhirCommand(protocolPath, values, io)
    case 'match':
      return matchCommand(protocolPath, values, io)
    case 'impact':
      return impactCommand(positionals.slice(1), values, io)
    case 'validate': {
      const { doc, text, warnings } = readProtocol(protocolPath, io)
      const examples = readExamples(protocolPath, doc, io)
      // the linter's warnings: what the registry text leaves open; they do not make the protocol invalid
      if (warnings.length > 0) println(io.stderr, `${formatDiagnostics(warnings, { [protocolPath]: text })}\n`)
      const parts = [
        `${doc.criteria.length} criteria`,
        ...(doc.endpoints?.length ? [`${doc.arms?.length ?? 0} arms, ${doc.visits?.length ?? 0} visits, ${doc.endpoints.length} endpoints`] : []),
        ...(examples ? [`${examples.doc.examples.length} example patients`] : []),
        ...(examples?.doc.subjects?.length ? [`${examples.doc.subjects.length} example subjects`] : []),
        ...(warnings.length ? [`${warnings.length} warning${warnings.length === 1 ? '' : 's'}`] : []),
      ]
      println(io.stdout, `${protocolPath}: valid — ${parts.join(', ')}`)
      return EXIT.ok
    }
    case 'compile': {
      const { doc } = readProtocol(protocolPath, io)
      println(io.stdout, JSON.stringify(compileProtocol(doc).rules, null, 2))
      return EXIT.ok
    }
    case 'screen':
      return screenCommand(protocolPath, patientPath, values, io)
    case 'cohort':
      return cohortCommand(protocolPath, values, io)
    case 'to-omop':
      return toOmopCommand(protocolPath, patientPath, values, io)
    case 'export':
      return exportCommand(protocolPath, values, io)
    case 'describe': {
      const { doc } = readProtocol(protocolPath, io)
      const description = describeProtocol(doc)
      println(io.stdout, values.json ? JSON.stringify(description, null, 2) : formatProtocolDescription(description))
      return EXIT.ok
    }
    case 'eligibility': {
      const { doc } = readProtocol(protocolPath, io)
      let patient: PatientRecord
      if (values.example) {
        const examples = readExamples(protocolPath, doc, io)
        if (!examples) return fail(io, `no examples file next to ${protocolPath}`, EXIT.usage)
        if (!examples.doc.examples.some(e => e.id === values.example)) {
          return fail(io, `no example "${values.example}"; examples: ${examples.doc.examples.map(e => e.id).join(', ')}`, EXIT.usage)
        }
        patient = examplePatient(examples.doc, values.example)
      } else if (patientPath) {
        const text = readText(patientPath, io)
        const loaded = loadPatient(text, { file: patientPath })
        if (!loaded.value) throw { diagnostics: loaded.diagnostics, sources: { [patientPath]: text } } satisfies CliError
        patient = loaded.value
      } else {
        return fail(io, 'eligibility needs a patient file or --example <id>', EXIT.usage)
      }
      const verdict = await evaluateEligibility(compileProtocol(doc), patient)
      println(io.stdout, values.json ? JSON.stringify(verdict, null, 2) : formatVerdict(verdict))
      return verdict.overall === 'eligible' ? EXIT.ok : verdict.overall === 'ineligible' ? EXIT.ineligible : EXIT.undetermined
    }
    case 'examples': {
      const { doc } = readProtocol(protocolPath, io)
      const examples = readExamples(protocolPath, doc, io)
      if (!examples) return fail(io, `no examples file next to ${protocolPath}`, EXIT.usage)
      const backend = values.engine ?? DEFAULT_BACKEND
      if (!isBackendName(backend)) return fail(io, `--engine expected ${BACKEND_NAMES.join(' or ')}, got "${backend}"`, EXIT.usage)
      const outcomes = await runExamples(compileProtocol(doc), examples.doc, { backend })
      println(io.stdout, formatExampleOutcomes(outcomes))
      return outcomes.every(o => o.passed) ? EXIT.ok : EXIT.exampleFailed
    }
    case 'schedule': {
      const { doc } = readProtocol(protocolPath, io)
      const arms = doc.arms ?? []
      if (!values.arm) return fail(io, `schedule needs --arm <id>; arms: ${arms.map(a => a.id).join(', ') || 'none'}`, EXIT.usage)
      const arm = arms.find(a => a.id === values.arm)
      if (!arm) return fail(io, `no arm "${values.arm}"; arms: ${arms.map(a => a.id).join(', ') || 'none'}`, EXIT.usage)
      if (!values.start) return fail(io, 'schedule needs --start <YYYY-MM-DD> (study day 1)', EXIT.usage)
      let weightKg: number | undefined
      if (values.weight !== undefined) {
        weightKg = Number(values.weight)
        if (values.weight.trim() === '' || !Number.isFinite(weightKg)) return fail(io, `--weight expected a number of kg, got "${values.weight}"`, EXIT.usage)
      }
      const result = generateSchedule(arm, { start: values.start, ...(weightKg !== undefined ? { weightKg } : {}), params: parameterValues(doc) })
      if (!result.schedule) return fail(io, result.problems.join('\n'), EXIT.input)
      println(io.stdout, values.json ? JSON.stringify(result.schedule, null, 2) : formatSchedule(result.schedule, arm))
      return EXIT.ok
    }
    case 'visits': {
      const { doc } = readProtocol(protocolPath, io)
      if (!values.start) return fail(io, 'visits needs --start <YYYY-MM-DD> (the date the visits count from, day 1)', EXIT.usage)
      const refs = [...new Set((doc.visits ?? []).map(v => v.ref))]
      const plan = planVisits(doc.visits ?? [], Object.fromEntries(refs.map(r => [r, values.start as string])), parameterValues(doc))
      if (plan.problems.length > 0) return fail(io, plan.problems.join('\n'), EXIT.input)
      const lookup = values.date === undefined ? undefined : { date: values.date, assignment: assignVisit(plan.visits, values.date) }
      if (lookup && lookup.assignment.visit === undefined && lookup.assignment.reason.startsWith('not a date'))
        return fail(io, `--date: ${lookup.assignment.reason}`, EXIT.input)
      if (values.json) println(io.stdout, JSON.stringify({ start: values.start, visits: plan.visits, ...(lookup ? { lookup } : {}) }, null, 2))
      else println(io.stdout, formatVisitPlan(plan.visits, values.start, refs, lookup))
      return EXIT.ok
    }
    case 'endpoints': {
      const { doc } = readProtocol(protocolPath, io)
      let subject: SubjectRecord | undefined
      if (values.synthetic !== undefined) {
        const options = syntheticOptions(values.synthetic, values.seed)
        if (typeof options === 'string') return fail(io, options, EXIT.usage)
        subject = syntheticStudy(doc, options)[0]
        if (!subject) return fail(io, 'the protocol has no arms or visits to make synthetic subjects for', EXIT.input)
      } else if (patientPath) {
        subject = readSubject(patientPath, io)
      } else {
        return fail(io, 'endpoints needs a subject file or --synthetic <n>', EXIT.usage)
      }
      const results = await evaluateSubject(compileProtocol(doc), subject)
      println(io.stdout, values.json ? JSON.stringify(results, null, 2) : formatSubjectResults(results, doc))
      return EXIT.ok
    }
    case 'study': {
      const { doc } = readProtocol(protocolPath, io)
      let subjects: SubjectRecord[]
      if (values.synthetic !== undefined) {
        const options = syntheticOptions(values.synthetic, values.seed)
        if (typeof options === 'string') return fail(io, options, EXIT.usage)
        subjects = syntheticStudy(doc, options)
      } else if (patientPath) {
        subjects = readSubjects(patientPath, io)
      } else {
        return fail(io, 'study needs a subjects file or --synthetic <n>', EXIT.usage)
      }
      const compiled = compileProtocol(doc)
      const summary = summarizeStudy(compiled, await evaluateAll(compiled, subjects))
      println(io.stdout, values.json ? JSON.stringify(summary, null, 2) : formatStudy(summary, doc))
      return EXIT.ok
    }
    default:
      return fail(io, `unknown command "${command}"\n${USAGE}`, EXIT.usage)
  }
}

/** Parameter values by name, for the schedule and visit planners. */
function parameterValues(doc: ProtocolDocument) {
  return Object.fromEntries(Object.entries(doc.parameters ?? {}).map(([name, p]) => [name, p.value]))
}

/** `--synthetic <n> [--seed <s>]` as options, or what is wrong with them. */
function syntheticOptions(count: string, seed: string | undefined): { subjects: number; seed?: number } | string {
  const n = Number(count)
  if (!Number.isInteger(n) || n < 1) return `--synthetic expected a whole number of subjects ≥ 1, got "${count}"`
  if (seed === undefined) return { subjects: n }
  const s = Number(seed)
  if (!Number.isInteger(s)) return `--seed expected a whole number, got "${seed}"`
  return { subjects: n, seed: s }
}

/**
 * One subject at a time: the engine pair behind evaluateSubject is shared per
 * compiled protocol, and json-rules-engine keeps its run status on the engine,
 * so overlapping runs cut each other short (rules skipped, read as not met).
 */
async function evaluateAll(compiled: CompiledProtocol, subjects: SubjectRecord[]): Promise<SubjectEndpointResults[]> {
  const out: SubjectEndpointResults[] = []
  for (const s of subjects) out.push(await evaluateSubject(compiled, s))
  return out
}
