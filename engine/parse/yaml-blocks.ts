/**
 * A block of YAML text parsed on its own, kept by its text (yaml-sections.ts
 * cuts a protocol into blocks): one top-level key's section, parsed whole or,
 * when its value is a block sequence or mapping laid out plainly, as its
 * items one by one, so that typing in one criterion re-parses that criterion
 * only. Lines are counted from the block's first line.
 */
import { LineCounter, parseDocument } from 'yaml'
import type { Document } from 'yaml'
import type { PathSegment } from './path.ts'
import { ContentCache } from '../load/content-cache.ts'
import { checkTextLimits } from './text-limits.ts'
import { locate, PARSE_OPTIONS, scanNodes, type SourceRange } from './yaml-document.ts'

/** A parsed block: its plain value (fresh on each call) and where a path is written in it. */
export interface Block {
  value(): unknown
  locate(path: readonly PathSegment[], options?: { key?: boolean }): SourceRange | undefined
}

/** A top-level `key:` written plainly: a letter or `_`, then letters, digits, `_`, `-` or `.`. */
export const PLAIN_KEY = /^([A-Za-z_][\w.-]*):(?:[ \t]|\r?$)/

/** The plain key the line starting at `at` opens with (after its indentation), if it does. */
export function keyAt(text: string, at: number): string | undefined {
  while (text.charCodeAt(at) === 32) at++
  const eol = text.indexOf('\n', at)
  return PLAIN_KEY.exec(text.slice(at, Math.min(eol === -1 ? text.length : eol, at + 200)))?.[1]
}

/** Blocks parsed lately, by text: a protocol's sections and their items, for a few drafts. */
const parsedBlocks = new ContentCache<Block | null>(1024)
/** Sections parsed lately (split into items or whole), by text: each keystroke looks every section up here first. */
const parsedSections = new ContentCache<Block | null>(64)

/** Keeps track of what a call parsed afresh (rather than found kept). */
export interface ParseLog {
  fresh: number
}

/** `text` parsed as parseYamlText would parse it, or `null` if it has a problem or an alias (the caller then parses the whole text). */
export function parsedBlock(text: string, log: ParseLog): Block | null {
  return parsedBlocks.get(text, () => {
    log.fresh++
    return parseBlock(text)
  })
}

/** A section (`key:` at column 0 and what follows) by its items when it can, else whole. */
export function parsedSection(text: string, log: ParseLog): Block | null {
  return parsedSections.get(text, () => {
    const items = itemsOf(text)
    return items ? splitSection(text, items, log) : parsedBlock(text, log)
  })
}

function parseBlock(text: string): Block | null {
  if (checkTextLimits(text)) return null
  const lineCounter = new LineCounter()
  let doc: Document.Parsed
  try {
    doc = parseDocument(text, { lineCounter, ...PARSE_OPTIONS })
  } catch {
    return null
  }
  if (doc.errors.length > 0 || doc.warnings.length > 0) return null
  const scan = scanNodes(doc.contents)
  if (scan.tooDeep || scan.firstAlias || scan.duplicates.length > 0) return null
  return { value: () => doc.toJS(), locate: (path, options) => locate(doc, lineCounter, path, options) }
}

/** A range in a block moved to the text the block starts in at line `firstLine`. */
export const shift = (r: SourceRange | undefined, firstLine: number): SourceRange | undefined =>
  r && { line: r.line + firstLine - 1, column: r.column, endLine: r.endLine + firstLine - 1, endColumn: r.endColumn }

/** From the start of one range to the end of another. */
export const span = (from: SourceRange | undefined, to: SourceRange | undefined): SourceRange | undefined =>
  from && to && { line: from.line, column: from.column, endLine: to.endLine, endColumn: to.endColumn }

interface Items {
  /** 0 (the header: `key:` and the comments before the first item), then where each item starts. */
  starts: number[]
  sequence: boolean
}

/**
 * A section whose header line is `key:` alone and whose every other line is blank, a comment, or at or beyond one
 * indentation, where each item starts: `- ` (a sequence) or a plain key (a mapping). `undefined` for anything else.
 */
function itemsOf(text: string): Items | undefined {
  const firstEol = text.indexOf('\n')
  if (firstEol === -1 || !/^[A-Za-z_][\w.-]*:[ \t]*\r?$/.test(text.slice(0, firstEol))) return undefined
  const starts: number[] = []
  let indent = -1
  let sequence = false
  for (let at = firstEol + 1; at < text.length; ) {
    const eol = text.indexOf('\n', at)
    const next = eol === -1 ? text.length : eol + 1
    let i = at
    while (text.charCodeAt(i) === 32) i++
    const c = text.charCodeAt(i)
    const blank = i >= text.length || c === 10 || c === 13 || c === 35
    if (!blank) {
      const rest = text.slice(i, Math.min(eol === -1 ? text.length : eol, i + 200))
      if (indent === -1) {
        indent = i - at
        sequence = rest.startsWith('- ')
        if (indent === 0 || c === 9) return undefined
      }
      if (i - at < indent) return undefined
      if (i - at === indent) {
        if (sequence ? !rest.startsWith('- ') : !PLAIN_KEY.test(rest)) return undefined
        starts.push(at)
      }
    }
    at = next
  }
  if (starts.length === 0) return undefined
  return { starts: [0, ...starts], sequence }
}

interface Item {
  block: Block
  /** The item's first line in the section (1-based). */
  firstLine: number
  /** A mapping item's key. */
  key?: string
}

function splitSection(text: string, { starts, sequence }: Items, log: ParseLog): Block | null {
  const header = parsedBlock(text.slice(0, starts[1]), log)
  if (!header) return null
  const items: Item[] = []
  const keys = new Set<string>()
  let line = 1
  let lineAt = 0
  for (let i = 1; i < starts.length; i++) {
    const start = starts[i]!
    for (; lineAt < start; lineAt++) if (text.charCodeAt(lineAt) === 10) line++
    const chunk = text.slice(start, starts[i + 1] ?? text.length)
    const block = parsedBlock(chunk, log)
    if (!block) return null
    if (sequence) {
      items.push({ block, firstLine: line })
      continue
    }
    const key = keyAt(chunk, 0)
    if (key === undefined || keys.has(key)) return null
    keys.add(key)
    items.push({ block, firstLine: line, key })
  }
  const name = keyAt(text, 0)!
  const first = items[0]!
  const last = items.at(-1)!
  // the section's value: from its first item's start to its last item's end
  const valueRange = () => span(shift(first.block.locate([]), first.firstLine), shift(last.block.locate([]), last.firstLine))
  return {
    value: () => {
      const parts = items.map(item => item.block.value())
      return { [name]: sequence ? parts.map(p => (p as unknown[])[0]) : Object.assign({}, ...parts) }
    },
    locate(path, options = {}) {
      if (path.length === 0) return span(header.locate([]), valueRange())
      if (path.length === 1) return options.key ? header.locate(path, options) : valueRange()
      const segment = path[1]!
      const found = sequence ? items[typeof segment === 'number' ? segment : Number(segment)] : items.find(item => item.key === String(segment))
      // past the last item, or a key the mapping has not: the value, the deepest part that exists (as locate())
      if (!found) return valueRange()
      return shift(found.block.locate(sequence ? [0, ...path.slice(2)] : path.slice(1), options), found.firstLine)
    },
  }
}
