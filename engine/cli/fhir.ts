/**
 * `fhir <bundle.json> [--protocol p.yaml] [--json]`: import a FHIR R4 Bundle
 * into a patient record, print the record, what it could not recognise (to
 * review) and what could not be mapped, and with a protocol the verdict.
 *
 * The bundle is read with JSON.parse (a 4 MB Synthea bundle in tens of
 * milliseconds; the YAML parser took seconds). Positions are worked out only
 * when something is wrong: a syntax error by jsonc-parser's error-tolerant
 * parse, a path in a bundle that is not a Bundle through the YAML parser,
 * which reads JSON too.
 */
import type { Diagnostic, HistorySection, UnrecognisedEntry } from '../types.ts'
import { FhirBundleError, importFhirBundle } from '../fhir/index.ts'
import { compileProtocol, evaluateEligibility, locate, parseYamlText, type FhirImport } from '../index.ts'
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser'
import { linePosition } from '../parse/text-limits.ts'
import { EXIT, readProtocol, readText, type CliError } from './files.ts'
import { println, type CliIo } from './io.ts'
import { formatVerdict } from './format-verdict.ts'

export const FHIR_USAGE = `  fhir <bundle.json> [--protocol <protocol.yaml>] [--json]
      import a FHIR R4 Bundle: the patient record and what could not be mapped;
      with --protocol, the verdict too (exit codes as eligibility)`

/**
 * @param bundlePath the Bundle's JSON file
 * @param options `protocol` to evaluate against, `json` for machine-readable output
 * @returns the exit code
 */
export async function fhirCommand(bundlePath: string, options: { protocol?: string | undefined; json?: boolean | undefined }, io: CliIo): Promise<number> {
  const text = readText(bundlePath, io)
  const parsed = parseJson(text, bundlePath)
  if (!parsed.ok) throw { diagnostics: [parsed.diagnostic], sources: { [bundlePath]: text } } satisfies CliError
  let result: FhirImport
  try {
    result = importFhirBundle(parsed.value)
  } catch (e) {
    if (!(e instanceof FhirBundleError)) throw e
    const yaml = parseYamlText(text, bundlePath) // errors are rare: only then is the text parsed again for positions
    throw { diagnostics: e.diagnostics.map(d => located(d, yaml, bundlePath)), sources: { [bundlePath]: text } } satisfies CliError
  }
  const protocol = options.protocol ? readProtocol(options.protocol, io).doc : undefined
  const verdict = protocol ? await evaluateEligibility(compileProtocol(protocol), result.record) : undefined
  if (options.json) println(io.stdout, JSON.stringify({ ...result, ...(verdict ? { verdict } : {}) }, null, 2))
  else println(io.stdout, formatImport(result) + (verdict ? `\n\n${formatVerdict(verdict)}` : ''))
  if (!verdict) return EXIT.ok
  return verdict.overall === 'eligible' ? EXIT.ok : verdict.overall === 'ineligible' ? EXIT.ineligible : EXIT.undetermined
}

/**
 * JSON.parse, or a syntax error at its line and column.
 *
 * @example
 * parseJson('{ "a": }', 'b.json') // { ok: false, diagnostic: { code: 'E_JSON_SYNTAX', file: 'b.json', line: 1, column: 8, message: 'not valid JSON: a value expected', ... } }
 */
export function parseJson(text: string, file: string): { ok: true; value: unknown } | { ok: false; diagnostic: Diagnostic } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text // a byte-order mark is not JSON
  try {
    return { ok: true, value: JSON.parse(body) }
  } catch (e) {
    // Node 20's JSON.parse does not say where an unexpected token is: a second, error-tolerant parse (rare) does
    const errors: ParseError[] = []
    parseTree(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
    const first = errors[0]
    // columns as an editor shows them: a byte-order mark takes none
    const { line, column } = linePosition(body, first?.offset ?? 0)
    const why = first ? (PARSE_ERRORS[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error)) : e instanceof Error ? e.message : String(e)
    return {
      ok: false,
      diagnostic: {
        code: 'E_JSON_SYNTAX',
        severity: 'error',
        message: `not valid JSON: ${why}`,
        file,
        line,
        column,
        path: '',
        expected: 'JSON (RFC 8259)',
        found: !first
          ? 'text that is not JSON'
          : first.offset >= body.length
            ? 'the end of the text'
            : JSON.stringify(body.slice(first.offset, first.offset + Math.max(first.length, 1))),
      },
    }
  }
}

/** jsonc-parser's error codes in words. */
const PARSE_ERRORS: Record<string, string> = {
  InvalidSymbol: 'a character that cannot start a value',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes expected',
  ValueExpected: 'a value expected',
  ColonExpected: 'a colon expected',
  CommaExpected: 'a comma expected',
  CloseBraceExpected: 'a closing brace expected',
  CloseBracketExpected: 'a closing bracket expected',
  EndOfFileExpected: 'nothing expected after the value',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'an unfinished comment',
  UnexpectedEndOfString: 'an unfinished string',
  UnexpectedEndOfNumber: 'an unfinished number',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape',
  InvalidCharacter: 'a control character in a string',
}

/** A diagnostic with the line and column of its path in the JSON text. */
function located(d: Diagnostic, parsed: ReturnType<typeof parseYamlText>, file: string): Diagnostic {
  const path = d.path === '' ? [] : d.path.split('.')
  const range = locate(parsed.doc, parsed.lineCounter, path)
  return { ...d, file, ...(range ? { line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn } : {}) }
}

const SECTIONS: readonly HistorySection[] = ['medications', 'conditions', 'procedures', 'vaccinations']

/**
 * The record as JSON, a count of mapped items (those matched by name only
 * listed), the items kept unrecognised to review, and one line per unmapped item.
 */
export function formatImport({ record, mapped, unmapped }: FhirImport): string {
  const lines = ['Patient record:', JSON.stringify(record, null, 2), '']
  const byName = mapped.filter(m => m.match === 'name')
  lines.push(`Mapped: ${mapped.length} item${mapped.length === 1 ? '' : 's'}${byName.length ? ` (${byName.length} by name only — check them)` : ''}`)
  for (const m of byName) lines.push(`  ${m.path}  ${m.resourceType}${m.id ? `/${m.id}` : ''} → ${m.target}: ${m.note ?? m.matched ?? ''}`)
  const toReview = SECTIONS.flatMap(section => (record.unrecognised?.[section] ?? []).map((entry, i) => ({ section, i, entry })))
  if (toReview.length === 0) {
    lines.push('To review: nothing')
  } else {
    lines.push(`To review (the criteria they could decide stay unknown): ${toReview.length} item${toReview.length === 1 ? '' : 's'}`)
    for (const { section, i, entry } of toReview) lines.push(...reviewLines(section, i, entry))
  }
  if (unmapped.length === 0) {
    lines.push('Not mapped: nothing')
  } else {
    lines.push(`Not mapped: ${unmapped.length} item${unmapped.length === 1 ? '' : 's'}`)
    for (const u of unmapped) {
      lines.push(
        `  ${u.path}  ${u.resourceType}${u.id ? `/${u.id}` : ''}  ${u.reason}${u.imported ? ' (rest imported)' : ''}${u.kept ? ` (kept to review: ${u.kept})` : ''}: ${u.message}`,
      )
    }
  }
  return lines.join('\n')
}

/** One unrecognised entry: where the record keeps it, what it is, when, what it could be, and where the bundle had it. */
function reviewLines(section: HistorySection, i: number, e: UnrecognisedEntry): string[] {
  const dates = [
    e.start && `start ${e.start}`,
    e.stop && `stop ${e.stop}`,
    e.ongoing && 'ongoing',
    e.onset && `onset ${e.onset}`,
    e.resolved && `resolved ${e.resolved}`,
    e.date && `${e.planned ? 'planned ' : ''}${e.date}`,
    !e.date && e.planned && 'planned',
    e.route && `route ${e.route}`,
  ].filter(Boolean)
  const head = [
    `  unrecognised.${section}[${i}]`,
    JSON.stringify(e.text),
    e.codes?.length ? e.codes.join(', ') : 'no code',
    dates.length ? dates.join(', ') : 'no date',
  ].join('  ')
  const could = e.possibly?.length ? e.possibly.join(', ') : `anything in ${section}`
  return [head, `    could be: ${could}; ${e.reason}${e.source ? `  (${e.source})` : ''}`]
}
