/**
 * Cheap checks of a YAML text before it is parsed: its size, and its nesting
 * depth estimated in one linear pass. A hostile text (a megabyte of `[[[…`)
 * is refused in milliseconds instead of parsed for seconds.
 */

/** Deepest collection nesting accepted; real protocols stay far below. */
export const MAX_NESTING_DEPTH = 64
/**
 * Longest text parsed, in characters: the largest shipped file (an examples
 * file) is ~120 KB and the server takes 1 MiB bodies; beyond this a parse
 * alone takes seconds.
 */
export const MAX_YAML_TEXT_LENGTH = 4 * 1024 * 1024

export interface TextLimit {
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
export function checkTextLimits(text: string): TextLimit | undefined {
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
/** The 1-based line and column of an offset in a text. */
export function linePosition(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++
    lineStart = at + 1
  }
  return { line, column: offset - lineStart + 1 }
}
