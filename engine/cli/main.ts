/**
 * Command line: validate, compile and evaluate protocols.
 *
 *   validate <protocol.yaml>                      located errors, exit 1 if any
 *   compile <protocol.yaml>                       json-rules-engine rules (JSON) on stdout
 *   eligibility <protocol.yaml> <patient.yaml|json> [--json]
 *   eligibility <protocol.yaml> --example <id> [--json]
 *   examples <protocol.yaml>                      run the protocol's example patients
 *
 * The only part of engine/ that does I/O; everything it calls is pure.
 */
import { parseArgs } from 'node:util'
import { compileProtocol, evaluateEligibility, loadPatient, runExamples, examplePatient } from '../index.ts'
import { EXIT, fail, readProtocol, readExamples, readText, type CliError } from './files.ts'
import { formatVerdict, formatExampleOutcomes } from './format-verdict.ts'

const USAGE = `usage:
  validate <protocol.yaml>
  compile <protocol.yaml>
  eligibility <protocol.yaml> (<patient.yaml|json> | --example <id>) [--json]
  examples <protocol.yaml>

exit codes: 0 ok / eligible, 1 invalid input (located errors on stderr), 2 usage,
            3 ineligible, 4 undetermined, 5 an example patient did not get its expected verdict`

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, example: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  })
  const [command, protocolPath, patientPath] = positionals
  if (values.help || !command || !protocolPath) {
    console.log(USAGE)
    return values.help ? EXIT.ok : EXIT.usage
  }
  switch (command) {
    case 'validate': {
      const { doc } = readProtocol(protocolPath)
      const examples = readExamples(protocolPath, doc)
      console.log(`${protocolPath}: valid — ${doc.criteria.length} criteria${examples ? `, ${examples.doc.examples.length} example patients` : ''}`)
      return EXIT.ok
    }
    case 'compile': {
      const { doc } = readProtocol(protocolPath)
      console.log(JSON.stringify(compileProtocol(doc).rules, null, 2))
      return EXIT.ok
    }
    case 'eligibility': {
      const { doc } = readProtocol(protocolPath)
      let patient
      if (values.example) {
        const examples = readExamples(protocolPath, doc)
        if (!examples) return fail(`no examples file next to ${protocolPath}`, EXIT.usage)
        if (!examples.doc.examples.some((e) => e.id === values.example)) {
          return fail(`no example "${values.example}"; examples: ${examples.doc.examples.map((e) => e.id).join(', ')}`, EXIT.usage)
        }
        patient = examplePatient(examples.doc, values.example)
      } else if (patientPath) {
        const text = readText(patientPath)
        const loaded = loadPatient(text, { file: patientPath })
        if (!loaded.value) throw { diagnostics: loaded.diagnostics, sources: { [patientPath]: text } } satisfies CliError
        patient = loaded.value
      } else {
        return fail('eligibility needs a patient file or --example <id>', EXIT.usage)
      }
      const verdict = await evaluateEligibility(compileProtocol(doc), patient)
      console.log(values.json ? JSON.stringify(verdict, null, 2) : formatVerdict(verdict))
      return verdict.overall === 'eligible' ? EXIT.ok : verdict.overall === 'ineligible' ? EXIT.ineligible : EXIT.undetermined
    }
    case 'examples': {
      const { doc } = readProtocol(protocolPath)
      const examples = readExamples(protocolPath, doc)
      if (!examples) return fail(`no examples file next to ${protocolPath}`, EXIT.usage)
      const outcomes = await runExamples(compileProtocol(doc), examples.doc)
      console.log(formatExampleOutcomes(outcomes))
      return outcomes.every((o) => o.passed) ? EXIT.ok : EXIT.exampleFailed
    }
    default:
      return fail(`unknown command "${command}"\n${USAGE}`, EXIT.usage)
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.exitCode = fail(error, EXIT.input)
  },
)
