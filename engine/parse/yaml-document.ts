/**
 * YAML text -> plain value, the `yaml` document (for positions) and located
 * diagnostics. Nothing here knows about protocols: see `engine/schema/` for
 * what the value must look like.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, YAMLParseError } from 'yaml'
import type { Document, Node, Pair, YAMLError, YAMLMap } from 'yaml'
import type { Diagnostic, DiagnosticCode } from '../types.ts'
import type { PathSegment } from './path.ts'
import { MAX_NESTING_DEPTH, checkTextLimits, linePosition } from './text-limits.ts'

export { MAX_NESTING_DEPTH, MAX_YAML_TEXT_LENGTH } from './text-limits.ts'

/** A parsed YAML document. */
export type YamlDocument = Document.Parsed

/** Result of {@link parseYamlText}. */
export interface ParsedYaml {
  /**
   * The plain JS value (objects, arrays, strings, numbers, booleans, null).
   * Best effort when `diagnostics` has syntax errors; `undefined` when a
   * resource limit was hit.
   */
  value: unknown
  doc: YamlDocument
  lineCounter: LineCounter
  diagnostics: Diagnostic[]
}

/** Where the node at a path is written (see {@link locate}), for a text parsed whole or by sections (yaml-sections.ts). */
export type Locator = (path: readonly PathSegment[], options?: { key?: boolean }) => SourceRange | undefined

/** The locator of a parsed document. */
export const locatorOf =
  (parsed: { doc: Document; lineCounter: LineCounter }): Locator =>
  (path, options) =>
    locate(parsed.doc, parsed.lineCounter, path, options)

/** A 1-based range in the source text. */
export interface SourceRange {
  line: number
  column: number
  endLine: number
  endColumn: number
}

/** How every YAML text is parsed (here and by sections, yaml-sections.ts): the core schema, no extra tags. */
export const PARSE_OPTIONS = {
  prettyErrors: false,
  // The library's own duplicate-key check compares each key with every earlier one (quadratic in the keys of a
  // mapping): scanNodes does it with a set instead.
  uniqueKeys: false,
  schema: 'core',
  resolveKnownTags: false,
} as const

/** Alias expansions allowed when converting to JS (billion-laughs guard). */
export const MAX_ALIAS_COUNT = 100

/**
 * Parses YAML text and collects every syntax problem as a located diagnostic.
 *
 * Uses the YAML 1.2 core schema whatever `%YAML` directive the text carries,
 * and does not resolve extra known tags such as `!!timestamp`: a date like
 * `2026-01-10` always stays the string `"2026-01-10"` and `on`/`yes` stay
 * strings.
 *
 * @param text - the YAML source.
 * @param file - file name copied into each diagnostic, for `file:line:col`.
 * @example
 * const { value, diagnostics } = parseYamlText('a: 1\na: 2\n', 'x.yaml')
 * diagnostics[0].code // 'E_YAML_DUPLICATE_KEY'
 */
export function parseYamlText(text: string, file?: string): ParsedYaml {
  // Cheap linear checks first: the yaml composer recurses per nesting level
  // and spends seconds on a megabyte of `[[[[...`, so that is refused unparsed.
  const limit = checkTextLimits(text)
  if (limit) {
    const emptyCounter = new LineCounter()
    const empty = parseDocument('', { lineCounter: emptyCounter })
    const { line, column } = linePosition(text, limit.offset)
    const d: Diagnostic = { code: 'E_YAML_LIMIT', severity: 'error', message: limit.message, path: '', line, column }
    return { value: undefined, doc: empty, lineCounter: emptyCounter, diagnostics: [withFile(d, file)] }
  }
  const lineCounter = new LineCounter()
  const diagnostics: Diagnostic[] = []
  let doc: YamlDocument
  try {
    doc = parseDocument(text, { lineCounter, ...PARSE_OPTIONS })
  } catch (error) {
    // Guard for composer paths that let a stack overflow escape.
    if (!(error instanceof RangeError)) throw error
    const emptyCounter = new LineCounter()
    const empty = parseDocument('', { lineCounter: emptyCounter })
    return { value: undefined, doc: empty, lineCounter: emptyCounter, diagnostics: [tooDeepToParse(1, 1, file)] }
  }

  // The composer recurses per nesting level; on pathological input (thousands
  // of `[`) it reports a stack overflow per level, and the rest is noise.
  const overflow = doc.errors.find(e => /call stack/i.test(e.message))
  if (overflow) {
    const start = lineCounter.linePos(overflow.pos[0])
    return { value: undefined, doc, lineCounter, diagnostics: [tooDeepToParse(start.line, start.col, file)] }
  }
  const scan = scanNodes(doc.contents)
  // Duplicate keys merged into the parser's errors in source order, as the
  // library would have reported them.
  const errors: Array<{ error: YAMLError; keyText?: string }> = doc.errors.map(error => ({ error }))
  if (scan.duplicates.length > 0) {
    for (const key of scan.duplicates) {
      const start = key.range?.[0] ?? 0
      const keyText = isScalar(key) ? String(key.value) : text.slice(start, key.range?.[1] ?? start).trim()
      errors.push({ error: new YAMLParseError([start, start + 1], 'DUPLICATE_KEY', 'Map keys must be unique'), keyText })
    }
    errors.sort((a, b) => a.error.pos[0] - b.error.pos[0])
  }
  for (const { error, keyText } of errors) diagnostics.push(yamlErrorToDiagnostic(error, 'error', lineCounter, file, keyText))
  for (const warning of doc.warnings) diagnostics.push(yamlErrorToDiagnostic(warning, 'warning', lineCounter, file))

  if (scan.tooDeep) {
    diagnostics.push(
      withFile(
        {
          code: 'E_YAML_LIMIT',
          severity: 'error',
          message: `nesting deeper than ${MAX_NESTING_DEPTH} levels`,
          path: '',
          ...(rangeOf(scan.tooDeep, lineCounter) ?? {}),
        },
        file,
      ),
    )
    return { value: undefined, doc, lineCounter, diagnostics }
  }

  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    if (!(error instanceof Error)) throw error
    const aliasLimit = /alias/i.test(error.message)
    diagnostics.push(
      withFile(
        {
          code: aliasLimit ? 'E_YAML_LIMIT' : 'E_YAML_SYNTAX',
          severity: 'error',
          message: aliasLimit ? `aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}); write the data out instead of nesting aliases` : error.message,
          path: '',
          ...(scan.firstAlias ? rangeOf(scan.firstAlias, lineCounter) : undefined),
        },
        file,
      ),
    )
    value = undefined
  }
  return { value, doc, lineCounter, diagnostics }
}

/**
 * Finds where the node at `path` is written.
 *
 * When the path does not exist in full (a missing key, an index past the
 * end), points at the deepest ancestor that does, so a missing required key
 * is reported on its parent mapping. With `key: true` the last segment names
 * a key and the key itself is located, e.g. the unknown key of an
 * `additionalProperties` error.
 *
 * @param path - segments as from `pointerToSegments`, e.g. `['criteria', 0, 'logic']`.
 * @returns 1-based line/column of the start and end of the node, or
 *   `undefined` for an empty document.
 * @example
 * const { doc, lineCounter } = parseYamlText('a:\n  b: 1\n')
 * locate(doc, lineCounter, ['a', 'b']) // { line: 2, column: 6, endLine: 2, endColumn: 7 }
 */
export function locate(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[], options: { key?: boolean } = {}): SourceRange | undefined {
  // One walk with a per-mapping key index: `doc.getIn` and `items.find`
  // scan every pair, which made locating n errors in a mapping of n keys
  // quadratic.
  let node: unknown = doc.contents
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as PathSegment
    const current = deref(doc, node)
    const last = i === path.length - 1
    if (isMap(current)) {
      const pair = keyIndex(current).get(String(segment))
      if (!pair) break
      if (last && options.key) {
        node = pair.key
        break
      }
      // `key:` with nothing after it: point at the key.
      node = isNode(pair.value) && pair.value.range ? pair.value : pair.key
    } else if (isSeq(current)) {
      const index = typeof segment === 'number' ? segment : Number(segment)
      const item = Number.isInteger(index) ? current.items[index] : undefined
      if (item === undefined) break
      node = item
    } else {
      break
    }
  }
  return isNode(node) && node.range ? rangeOf(node, lineCounter) : undefined
}

function yamlErrorToDiagnostic(
  error: YAMLError,
  severity: Diagnostic['severity'],
  lineCounter: LineCounter,
  file: string | undefined,
  duplicateKey?: string,
): Diagnostic {
  const start = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0])
  const end = error.linePos?.[1] ?? lineCounter.linePos(Math.max(error.pos[1], error.pos[0]))
  const duplicate = error.code === 'DUPLICATE_KEY'
  const code: DiagnosticCode = duplicate ? 'E_YAML_DUPLICATE_KEY' : 'E_YAML_SYNTAX'
  const keyText = duplicateKey ?? ''
  const message = duplicate
    ? `duplicate key ${JSON.stringify(keyText)}: a key may appear only once in a mapping`
    : (error.message.split('\n')[0] ?? error.message)
  return withFile(
    {
      code,
      severity,
      message,
      path: '',
      line: start.line,
      column: start.col,
      endLine: end.line,
      endColumn: end.col,
      ...(duplicate ? { found: keyText } : {}),
    },
    file,
  )
}

export interface Scan {
  tooDeep?: Node
  firstAlias?: Node
  /** Keys written a second (third...) time in the same mapping. */
  duplicates: Node[]
}

/**
 * Iterative, so that the guard itself cannot overflow the stack. Also finds
 * duplicate keys, one set per mapping (scalar keys compared by value, as the
 * yaml library does).
 */
export function scanNodes(root: unknown): Scan {
  const scan: Scan = { duplicates: [] }
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }]
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number }
    if (isAlias(node)) {
      scan.firstAlias ??= node
    } else if (isMap(node) || isSeq(node)) {
      const d = depth + 1
      if (d > MAX_NESTING_DEPTH) {
        scan.tooDeep = node
        return scan
      }
      if (isMap(node)) {
        const seen = new Set<unknown>()
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue
          if (seen.has(pair.key.value)) scan.duplicates.push(pair.key)
          else seen.add(pair.key.value)
        }
      }
      // Pushed last-first so that nodes are visited in document order.
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item: unknown = node.items[i]
        if (isPair(item)) {
          stack.push({ node: item.value, depth: d }, { node: item.key, depth: d })
        } else {
          stack.push({ node: item, depth: d })
        }
      }
    }
  }
  return scan
}

/** Each mapping's scalar keys (as strings, first occurrence wins), built once per mapping. */
const KEY_INDEXES = new WeakMap<YAMLMap, { size: number; pairs: Map<string, Pair> }>()

function keyIndex(map: YAMLMap): Map<string, Pair> {
  const cached = KEY_INDEXES.get(map)
  if (cached && cached.size === map.items.length) return cached.pairs
  const pairs = new Map<string, Pair>()
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue
    const key = String(pair.key.value)
    if (!pairs.has(key)) pairs.set(key, pair)
  }
  KEY_INDEXES.set(map, { size: map.items.length, pairs })
  return pairs
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node
}

function isNode(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value)
}

function rangeOf(node: Node, lineCounter: LineCounter): SourceRange | undefined {
  if (!node.range) return undefined
  const start = lineCounter.linePos(node.range[0])
  const end = lineCounter.linePos(Math.max(node.range[1], node.range[0]))
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col }
}

function tooDeepToParse(line: number, column: number, file: string | undefined): Diagnostic {
  const message = `nesting is too deep to parse (limit ${MAX_NESTING_DEPTH} levels)`
  return withFile({ code: 'E_YAML_LIMIT', severity: 'error', message, path: '', line, column }, file)
}

function withFile(d: Diagnostic, file: string | undefined): Diagnostic {
  return file === undefined ? d : { file, ...d }
}
