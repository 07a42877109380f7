/**
 * `fhir <bundle.json> [--protocol p.yaml] [--json]`: import a FHIR R4 Bundle
 * into a patient record, print the record and what could not be mapped, and
 * with a protocol the verdict.
 */
import type { Diagnostic } from '../types.ts'
import { FhirBundleError, compileProtocol, evaluateEligibility, importFhirBundle, locate, parseYamlText, type FhirImport } from '../index.ts'
import { EXIT, readProtocol, readText, type CliError } from './files.ts'
import { formatVerdict } from './format-verdict.ts'

export const FHIR_USAGE = `  fhir <bundle.json> [--protocol <protocol.yaml>] [--json]
      import a FHIR R4 Bundle: the patient record and what could not be mapped;
      with --protocol, the verdict too (exit codes as eligibility)`

/**
 * @param bundlePath the Bundle's JSON file
 * @param options `protocol` to evaluate against, `json` for machine-readable output
 * @returns the exit code
 */
export async function fhirCommand(bundlePath: string, options: { protocol?: string | undefined; json?: boolean | undefined }): Promise<number> {
  const text = readText(bundlePath)
  const parsed = parseYamlText(text, bundlePath)
  if (parsed.diagnostics.some((d) => d.severity === 'error')) throw { diagnostics: parsed.diagnostics, sources: { [bundlePath]: text } } satisfies CliError
  let result: FhirImport
  try {
    result = importFhirBundle(parsed.value)
  } catch (e) {
    if (!(e instanceof FhirBundleError)) throw e
    throw { diagnostics: e.diagnostics.map((d) => located(d, parsed, bundlePath)), sources: { [bundlePath]: text } } satisfies CliError
  }
  const protocol = options.protocol ? readProtocol(options.protocol).doc : undefined
  const verdict = protocol ? await evaluateEligibility(compileProtocol(protocol), result.record) : undefined
  if (options.json) console.log(JSON.stringify({ ...result, ...(verdict ? { verdict } : {}) }, null, 2))
  else console.log(formatImport(result) + (verdict ? `\n\n${formatVerdict(verdict)}` : ''))
  if (!verdict) return EXIT.ok
  return verdict.overall === 'eligible' ? EXIT.ok : verdict.overall === 'ineligible' ? EXIT.ineligible : EXIT.undetermined
}

/** A diagnostic with the line and column of its path in the JSON text. */
function located(d: Diagnostic, parsed: ReturnType<typeof parseYamlText>, file: string): Diagnostic {
  const path = d.path === '' ? [] : d.path.split('.')
  const range = locate(parsed.doc, parsed.lineCounter, path)
  return { ...d, file, ...(range ? { line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn } : {}) }
}

/** The record as JSON, then one line per unmapped item and a count of mapped ones. */
export function formatImport({ record, mapped, unmapped }: FhirImport): string {
  const lines = ['Patient record:', JSON.stringify(record, null, 2), '']
  const byName = mapped.filter((m) => m.match === 'name')
  lines.push(`Mapped: ${mapped.length} item${mapped.length === 1 ? '' : 's'}${byName.length ? ` (${byName.length} by name only — check them)` : ''}`)
  for (const m of byName) lines.push(`  ${m.path}  ${m.resourceType}${m.id ? `/${m.id}` : ''} → ${m.target}: ${m.note ?? m.matched ?? ''}`)
  if (unmapped.length === 0) {
    lines.push('Not mapped: nothing')
  } else {
    lines.push(`Not mapped: ${unmapped.length} item${unmapped.length === 1 ? '' : 's'}`)
    for (const u of unmapped) {
      lines.push(`  ${u.path}  ${u.resourceType}${u.id ? `/${u.id}` : ''}  ${u.reason}${u.imported ? ' (rest imported)' : ''}: ${u.message}`)
    }
  }
  return lines.join('\n')
}
