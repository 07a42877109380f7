/**
 * YAML text -> plain value, the `yaml` document (for positions) and located
 * diagnostics. Nothing here knows about protocols: see `engine/schema/` for
 * what the value must look like.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, YAMLParseError } from 'yaml'
import type { Document, Node, Pair, YAMLError, YAMLMap } from 'yaml'
import type { Diagnostic, DiagnosticCode } from '../types.ts'
import type { PathSegment } from './path.ts'

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

/** A 1-based range in the source text. */
export interface SourceRange {
  line: number
  column: number
  endLine: number
  endColumn: number
}

/** Deepest collection nesting accepted; real protocols stay far below. */
export const MAX_NESTING_DEPTH = 64
/** Alias expansions allowed when converting to JS (billion-laughs guard). */
export const MAX_ALIAS_COUNT = 100
/**
 * Longest text parsed, in characters: the largest shipped file (an examples
 * file) is ~120 KB and the server takes 1 MiB bodies; beyond this a parse
 * alone takes seconds.
 */
export const MAX_YAML_TEXT_LENGTH = 4 * 1024 * 1024

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
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      // The library's own duplicate-key check compares each key with every
      // earlier one (quadratic in the keys of a mapping): scanNodes does it
      // with a set instead.
      uniqueKeys: false,
      schema: 'core',
      resolveKnownTags: false,
    })
  } catch (error) {
    // Guard for composer paths that let a stack overflow escape.
    if (!(error instanceof RangeError)) throw error
    const emptyCounter = new LineCounter()
    const empty = parseDocument('', { lineCounter: emptyCounter })
    return { value: undefined, doc: empty, lineCounter: emptyCounter, diagnostics: [tooDeepToParse(1, 1, file)] }
  }

  // The composer recurses per nesting level; on pathological input (thousands
  // of `[`) it reports a stack overflow per level, and the rest is noise.
  const overflow = doc.errors.find((e) => /call stack/i.test(e.message))
  if (overflow) {
    const start = lineCounter.linePos(overflow.pos[0])
    return { value: undefined, doc, lineCounter, diagnostics: [tooDeepToParse(start.line, start.col, file)] }
  }
  const scan = scanNodes(doc.contents)
  // Duplicate keys merged into the parser's errors in source order, as the
  // library would have reported them.
  const errors: Array<{ error: YAMLError; keyText?: string }> = doc.errors.map((error) => ({ error }))
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
          message: aliasLimit
            ? `aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}); write the data out instead of nesting aliases`
            : error.message,
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
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  options: { key?: boolean } = {},
): SourceRange | undefined {
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

interface Scan {
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
function scanNodes(root: unknown): Scan {
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

interface TextLimit {
  offset: number
  message: string
}

/**
 * Size and nesting checks in one linear pass over the text, before any
 * parsing. The nesting depth is estimated from open flow brackets (`[`, `{`
 * where a value starts, outside quotes and comments) plus block indentation
 * levels and compact `- - -` entries. It errs low on odd layouts; the exact
 * check on the parsed tree (scanNodes) stays as the backstop.
 */
function checkTextLimits(text: string): TextLimit | undefined {
  if (text.length > MAX_YAML_TEXT_LENGTH) {
    return {
      offset: MAX_YAML_TEXT_LENGTH,
      message: `the text is ${text.length} characters long; the limit is ${MAX_YAML_TEXT_LENGTH}`,
    }
  }
  const offset = findExcessiveNesting(text, MAX_NESTING_DEPTH)
  return offset === undefined ? undefined : { offset, message: `nesting deeper than ${MAX_NESTING_DEPTH} levels` }
}

const SPACE = 32
const TAB = 9
const LF = 10
const CR = 13

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === CR || Number.isNaN(code)
}

/** Offset of the first character found deeper than `limit` levels, if any. */
function findExcessiveNesting(text: string, limit: number): number | undefined {
  // Indentation levels alone are exact for block mappings; a level opened by
  // `[`, `{` or `- ` may be one too many (a root `[`, the scalar after `- `).
  const loose = limit + 1
  const n = text.length
  const indents: number[] = []
  let flow = 0
  let valueStart = true
  let blockScalarIndent = -1
  let i = 0
  while (i < n) {
    // Start of a line.
    let column = 0
    let lineIndent = 0
    while (i < n && text.charCodeAt(i) === SPACE) {
      i++
      column++
    }
    if (i >= n) break
    lineIndent = column
    const first = text.charCodeAt(i)
    if (first === LF || first === CR) {
      i++
      continue
    }
    if (blockScalarIndent >= 0) {
      if (column > blockScalarIndent) {
        i = endOfLine(text, i)
        continue
      }
      blockScalarIndent = -1
    }
    if (flow === 0) {
      if (column === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && isBlank(text.charCodeAt(i + 3))) {
        indents.length = 0
        i += 3
      } else if (first !== 35 /* # */) {
        while (indents.length > 0 && (indents[indents.length - 1] as number) >= column) indents.pop()
        indents.push(column)
        // Compact nested sequences: `- - - x`.
        while (text.charCodeAt(i) === 45 /* - */ && isBlank(text.charCodeAt(i + 1))) {
          i++
          column++
          while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) {
            i++
            column++
          }
          indents.push(column)
          if (indents.length > loose) return i
        }
        if (indents.length > limit) return i
      }
      valueStart = true
    }
    // Rest of the line.
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === LF) {
        i++
        break
      }
      if (c === SPACE || c === TAB || c === CR) {
        i++
        continue
      }
      if (c === 35 /* # */ && (i === 0 || isBlank(text.charCodeAt(i - 1)))) {
        i = endOfLine(text, i)
        continue
      }
      if (valueStart && (c === 34 /* " */ || c === 39) /* ' */) {
        i = endOfQuoted(text, i)
        valueStart = false
        continue
      }
      if (c === 91 /* [ */ || c === 123 /* { */) {
        if (valueStart || flow > 0) {
          flow++
          if (flow + indents.length > loose) return i
          valueStart = true
        }
        i++
        continue
      }
      if ((c === 93 /* ] */ || c === 125) /* } */ && flow > 0) {
        flow--
        valueStart = false
        i++
        continue
      }
      if (c === 44 /* , */ && flow > 0) {
        valueStart = true
        i++
        continue
      }
      if (c === 58 /* : */ && (flow > 0 || isBlank(text.charCodeAt(i + 1)))) {
        valueStart = true
        i++
        continue
      }
      if (valueStart && (c === 38 /* & */ || c === 33) /* ! */) {
        // An anchor or tag before the value: the value still starts after it.
        while (i < n && !isBlank(text.charCodeAt(i))) i++
        continue
      }
      if (valueStart && flow === 0 && (c === 124 /* | */ || c === 62) /* > */) {
        blockScalarIndent = lineIndent
        i = endOfLine(text, i)
        continue
      }
      if (valueStart && c === 63 /* ? */ && isBlank(text.charCodeAt(i + 1))) {
        i++
        continue
      }
      valueStart = false
      i++
    }
  }
  return undefined
}

function endOfLine(text: string, i: number): number {
  const at = text.indexOf('\n', i)
  return at < 0 ? text.length : at
}

/** Offset just after the quoted scalar starting at `i`. */
function endOfQuoted(text: string, i: number): number {
  const quote = text[i]
  let j = i + 1
  while (j < text.length) {
    const c = text[j]
    if (quote === '"' && c === '\\') j += 2
    else if (c === quote) {
      if (quote === "'" && text[j + 1] === "'") j += 2
      else return j + 1
    } else j++
  }
  return text.length
}

/** 1-based line and column of `offset`, counted without parsing. */
function linePosition(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++
    lineStart = at + 1
  }
  return { line, column: offset - lineStart + 1 }
}

function withFile(d: Diagnostic, file: string | undefined): Diagnostic {
  return file === undefined ? d : { file, ...d }
}
