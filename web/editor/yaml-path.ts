/**
 * Where the cursor is in a YAML text being typed: the path of the mapping
 * or sequence it is in, and whether a key or a value is being written.
 *
 * Read from indentation and flow brackets rather than from a parser: a text
 * being typed is rarely valid YAML (`    kin` is a half-typed key, not the
 * scalar a parser would make of it), and this must answer on every
 * keystroke without the `yaml` library in the editor chunk. Pure: no
 * CodeMirror, no DOM.
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number

export interface YamlCursorContext {
  /**
   * `key`: a mapping key is being written at `path` (the mapping's path).
   * `value`: the value at `path` (its last segment is the key or index).
   */
  kind: 'key' | 'value'
  path: PathSegment[]
  /** What has been typed of the key or value so far, and where it starts. */
  prefix: string
  from: number
  /** Keys already written in the mapping (kind `key`), to offer only the others. */
  siblings: string[]
  /** Column of the key being written (block style), to indent what a completion inserts. */
  column: number
  /** Inside `{ ... }` or `[ ... ]`: insert `key: ` without line breaks. */
  flow: boolean
  /** The line starts a sequence item here (`- ite|`): a scalar item may be meant, not a key. */
  item: boolean
}

interface Line {
  text: string
  start: number
}

interface LineShape {
  indent: number
  /** Columns of the `- ` markers before the content. */
  dashes: number[]
  /** Column where the content starts (after indentation and dashes). */
  content: number
  /** The key when the content is `key:` (quotes removed). */
  key?: string
  /** What follows `key:` on the line, trimmed. */
  value?: string
  blank: boolean
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],:&*!|>@`%-][^#:]*?|-[^\s#:][^#:]*?)\s*:(?=\s|$)/

function splitLines(text: string): Line[] {
  const lines: Line[] = []
  let start = 0
  for (;;) {
    const end = text.indexOf('\n', start)
    lines.push({ text: text.slice(start, end < 0 ? text.length : end).replace(/\r$/, ''), start })
    if (end < 0) return lines
    start = end + 1
  }
}

const unquote = (key: string) =>
  key.startsWith('"') ? key.slice(1, -1).replace(/\\(.)/g, '$1') : key.startsWith("'") ? key.slice(1, -1).replace(/''/g, "'") : key

/** A comment starts at `#` after a space (or at the line start), outside quotes. */
function stripComment(s: string): string {
  let quote = ''
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!
    if (quote) {
      if (ch === quote) quote = ''
    } else if (ch === '"' || ch === "'") {
      if (i === 0 || /[\s[{,:]/.test(s[i - 1]!)) quote = ch
    } else if (ch === '#' && (i === 0 || /\s/.test(s[i - 1]!))) {
      return s.slice(0, i)
    }
  }
  return s
}

function shapeOf(raw: string): LineShape {
  const text = stripComment(raw).replace(/\s+$/, '')
  const indent = /^ */.exec(text)![0].length
  if (indent === text.length) return { indent, dashes: [], content: indent, blank: true }
  const dashes: number[] = []
  let i = indent
  while (text[i] === '-' && (i + 1 === text.length || text[i + 1] === ' ')) {
    dashes.push(i)
    i++
    while (text[i] === ' ') i++
  }
  const rest = text.slice(i)
  const m = KEY.exec(rest)
  if (!m) return { indent, dashes, content: i, blank: false }
  return { indent, dashes, content: i, key: unquote(m[1]!.trim()), value: rest.slice(m[0].length).trim(), blank: false }
}

/** A block scalar indicator (`|`, `>-`, `|2+`...): the lines under the key are text, not YAML. */
const isBlockScalar = (value: string | undefined) => value !== undefined && /^[|>][0-9+-]*$/.test(value)

/**
 * Path of the node that owns column `column` on line `index`, from the
 * lines above: each less indented `key:` is a parent, each `- ` marker at a
 * smaller column an enclosing sequence item. Undefined inside a block scalar.
 */
function ownerPath(lines: Line[], index: number, column: number, inItem: boolean): PathSegment[] | undefined {
  const path: PathSegment[] = []
  let col = column
  let seq = inItem // `col` is the column of a `- ` marker, not of a key
  for (let i = index - 1; i >= 0 && (col > 0 || seq); i--) {
    const s = shapeOf(lines[i]!.text)
    if (s.blank) continue
    const keyIsParent = s.key !== undefined && (s.content < col || (seq && s.content === col && s.value === '' && !s.dashes.includes(col)))
    if (keyIsParent) {
      if (isBlockScalar(s.value)) return undefined
      path.unshift(s.key!)
      col = s.content
      seq = false
    }
    // `- ` markers left of the column: sequence items that enclose what we have so far
    for (let d = s.dashes.length - 1; d >= 0; d--) {
      const dash = s.dashes[d]!
      if (dash < col) {
        path.unshift(0)
        col = dash
        seq = true
      }
    }
  }
  return path
}

/**
 * Keys written at `column` in the mapping that contains line `index`; when
 * that line starts a sequence item (`startsItem`), the mapping starts there.
 */
function siblingKeys(lines: Line[], index: number, column: number, startsItem: boolean): string[] {
  const keys: string[] = []
  for (let i = index - 1; i >= 0 && !startsItem; i--) {
    const s = shapeOf(lines[i]!.text)
    if (s.blank) continue
    if (s.content === column && s.key !== undefined) keys.unshift(s.key)
    if (s.indent < column || s.dashes.some(d => d < column)) break
  }
  for (let i = index + 1; i < lines.length; i++) {
    const s = shapeOf(lines[i]!.text)
    if (s.blank) continue
    if (s.indent < column || s.dashes.some(d => d < column)) break
    if (s.content === column && s.key !== undefined) keys.push(s.key)
  }
  return keys
}

interface FlowFrame {
  type: 'map' | 'seq'
  key?: string
  afterColon: boolean
  index: number
  keys: string[]
  tokenStart: number
}

/** The context inside a flow collection that starts at `text[0]` (`{` or `[`), `offset` being the offset of `text[0]`. */
function flowContext(text: string, offset: number, base: PathSegment[]): YamlCursorContext | undefined {
  const stack: FlowFrame[] = []
  let quoteStart = -1
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    const top = stack.at(-1)
    if (quoteStart >= 0) {
      if (ch === text[quoteStart]) quoteStart = -1
      continue
    }
    if (ch === '"' || ch === "'") quoteStart = i
    else if (ch === '{' || ch === '[') stack.push({ type: ch === '{' ? 'map' : 'seq', afterColon: false, index: 0, keys: [], tokenStart: i + 1 })
    else if (ch === '}' || ch === ']') {
      stack.pop()
      if (stack.length === 0) return undefined // past the collection
    } else if (!top) return undefined
    else if (ch === ',') {
      if (top.type === 'seq') top.index++
      top.key = undefined
      top.afterColon = false
      top.tokenStart = i + 1
    } else if (ch === ':' && top.type === 'map' && !top.afterColon && (i + 1 === text.length || /[\s,}\]]/.test(text[i + 1]!))) {
      top.key = unquote(text.slice(top.tokenStart, i).trim())
      top.keys.push(top.key)
      top.afterColon = true
      top.tokenStart = i + 1
    }
  }
  const top = stack.at(-1)
  if (!top) return undefined
  const path = [...base]
  for (const f of stack.slice(0, -1)) path.push(f.type === 'seq' ? f.index : (f.key ?? ''))
  const typed = quoteStart >= 0 ? text.slice(quoteStart) : text.slice(top.tokenStart).trimStart()
  const from = offset + text.length - typed.length
  if (top.type === 'map' && !top.afterColon) {
    return { kind: 'key', path, prefix: typed, from, siblings: top.keys, column: 0, flow: true, item: false }
  }
  path.push(top.type === 'seq' ? top.index : top.key!)
  return { kind: 'value', path, prefix: typed, from, siblings: [], column: 0, flow: true, item: false }
}

/**
 * The completion context at `offset` in `text`, or undefined where nothing
 * can be completed (a comment, a block scalar, after a closed flow collection).
 * Never throws, whatever the text.
 *
 * @example
 * yamlContextAt('criteria:\n  - id: IN01\n    ki', 27)
 * // -> { kind: 'key', path: ['criteria', 0], prefix: 'ki', siblings: ['id'], ... }
 */
export function yamlContextAt(text: string, offset: number): YamlCursorContext | undefined {
  const at = Math.max(0, Math.min(offset, text.length))
  const lines = splitLines(text)
  let index = lines.length - 1
  while (index > 0 && lines[index]!.start > at) index--
  const line = lines[index]!
  const before = line.text.slice(0, at - line.start)
  if (stripComment(before) !== before) return undefined
  if (/^\s*(#|---|\.\.\.|%)/.test(before)) return undefined

  // the current line up to the cursor: indentation, `- ` markers, then a key or a value
  const indent = /^ */.exec(before)![0].length
  const dashes: number[] = []
  let i = indent
  while (before[i] === '-' && before[i + 1] === ' ') {
    dashes.push(i)
    i += 2
    while (before[i] === ' ') i++
  }
  if (before.slice(i) === '-') return undefined // a `-` just typed: not yet an item
  const contentCol = i
  const rest = before.slice(i)
  const ownerCol = dashes.length ? dashes[0]! : contentCol
  const owner = ownerPath(lines, index, ownerCol, dashes.length > 0)
  if (!owner) return undefined
  const mapPath: PathSegment[] = [...owner, ...dashes.map(() => 0)]

  const m = KEY.exec(rest)
  if (m) {
    const key = unquote(m[1]!.trim())
    const valueText = rest.slice(m[0].length)
    const lead = /^\s*/.exec(valueText)![0].length
    const value = valueText.slice(lead)
    const valueOffset = line.start + contentCol + m[0].length + lead
    if (value.startsWith('{') || value.startsWith('[')) return flowContext(value, valueOffset, [...mapPath, key])
    if (isBlockScalar(value.split(/\s/)[0])) return undefined
    return { kind: 'value', path: [...mapPath, key], prefix: value, from: valueOffset, siblings: [], column: contentCol, flow: false, item: false }
  }
  if (rest.startsWith('{') || rest.startsWith('[')) return flowContext(rest, line.start + contentCol, mapPath)
  if (/[:#]/.test(rest) && !/^["']/.test(rest)) return undefined
  const siblings = siblingKeys(lines, index, contentCol, dashes.length > 0).filter(k => k !== rest)
  return { kind: 'key', path: mapPath, prefix: rest, from: line.start + contentCol, siblings, column: contentCol, flow: false, item: dashes.length > 0 }
}
