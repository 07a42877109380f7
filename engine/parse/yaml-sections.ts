/**
 * A YAML mapping parsed section by section, each top-level key's block on its
 * own, with the parse of every section kept by its text: while a designer
 * edits one criterion, the other sections of the protocol (parameters, arms,
 * visits, endpoints …) are not parsed again on each keystroke.
 *
 * Only for plain layouts, where parsing the blocks apart gives what parsing
 * the whole gives: every line at column 0 is blank, a comment or a plain
 * `key:` (no document markers, directives, tags, anchors or flow collections
 * at the top), no key twice, no alias anywhere and no problem in any section.
 * For anything else the caller parses the whole text (parseYamlText), which
 * also words every problem exactly as before.
 */
import { LineCounter, parseDocument } from 'yaml'
import type { Document } from 'yaml'
import type { PathSegment } from './path.ts'
import { ContentCache } from '../load/content-cache.ts'
import { checkTextLimits } from './text-limits.ts'
import { locate, PARSE_OPTIONS, scanNodes, type Locator, type SourceRange } from './yaml-document.ts'

/** A text parsed by sections: its plain value and where each path is written. */
export interface SectionParse {
  value: Record<string, unknown>
  locate: Locator
  /** The keys of the sections parsed by this call, in text order; every other section's parse was kept from an earlier call. */
  parsed: string[]
}

/** One top-level key's block, parsed alone (lines counted from the block's first line). */
interface Section {
  key: string
  doc: Document.Parsed
  lineCounter: LineCounter
}

/** A top-level `key:` written plainly: a letter or `_`, then letters, digits, `_`, `-` or `.`. */
const PLAIN_KEY = /^([A-Za-z_][\w.-]*):(?:[ \t]|\r?$)/
/** The same, on any line of a block. */
const SECTION_KEY = new RegExp(PLAIN_KEY.source, 'm')

/** Sections parsed lately, by text: a protocol has about ten, and the editor holds a few drafts. */
const parsedSections = new ContentCache<Section | null>(64)

/**
 * @returns the value and a locator, or `undefined` when the text is not laid out plainly enough to parse by sections
 * @example
 * parseYamlSections('a: 1\nb:\n  c: 2\n')?.value // { a: 1, b: { c: 2 } }
 */
export function parseYamlSections(text: string): SectionParse | undefined {
  const starts = sectionStarts(text)
  if (!starts || starts.length === 0) return undefined
  const sections: Array<{ section: Section; firstLine: number }> = []
  const keys = new Set<string>()
  const parsed: string[] = []
  let line = 1
  let lineAt = 0
  for (let i = 0; i < starts.length; i++) {
    const start = i === 0 ? 0 : starts[i]!
    const end = starts[i + 1] ?? text.length
    for (; lineAt < start; lineAt++) if (text.charCodeAt(lineAt) === 10) line++
    const chunk = text.slice(start, end)
    let fresh = false
    const section = parsedSections.get(chunk, () => {
      fresh = true
      return parseSection(chunk)
    })
    if (!section || keys.has(section.key)) return undefined
    if (fresh) parsed.push(section.key)
    keys.add(section.key)
    sections.push({ section, firstLine: line })
  }
  const value: Record<string, unknown> = {}
  // a fresh value per call, as parseYamlText gives: the caller may change it, the kept documents stay as parsed
  for (const { section } of sections) Object.assign(value, section.doc.toJS())
  return { value, locate: sectionLocator(sections), parsed }
}

/** Offsets of the lines that open a section (a plain key at column 0), or `undefined` if a line at column 0 is anything else. */
function sectionStarts(text: string): number[] | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined
  const starts: number[] = []
  let at = 0
  while (at < text.length) {
    const eol = text.indexOf('\n', at)
    const next = eol === -1 ? text.length : eol + 1
    const c = text.charCodeAt(at)
    // a line that starts blank or with a comment belongs to the section above
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 35) {
      if (!PLAIN_KEY.test(text.slice(at, Math.min(eol === -1 ? text.length : eol, at + 200)))) return undefined
      starts.push(at)
    }
    at = next
  }
  return starts
}

/** One block parsed as the whole text would be (parseYamlText's options), or `null` if it has a problem or an alias. */
function parseSection(chunk: string): Section | null {
  if (checkTextLimits(chunk)) return null
  const lineCounter = new LineCounter()
  let doc: Document.Parsed
  try {
    doc = parseDocument(chunk, { lineCounter, ...PARSE_OPTIONS })
  } catch {
    return null
  }
  if (doc.errors.length > 0 || doc.warnings.length > 0) return null
  const scan = scanNodes(doc.contents)
  if (scan.tooDeep || scan.firstAlias || scan.duplicates.length > 0) return null
  // the block's key: its first line at column 0 that is not a comment (the first block also holds the text's opening comments)
  const key = SECTION_KEY.exec(chunk)?.[1]
  return key === undefined ? null : { key, doc, lineCounter }
}

/** Where a path is written: found in its top-level key's section, its lines moved down to where the section starts. */
function sectionLocator(sections: ReadonlyArray<{ section: Section; firstLine: number }>): Locator {
  const shift = (r: SourceRange | undefined, firstLine: number): SourceRange | undefined =>
    r && { line: r.line + firstLine - 1, column: r.column, endLine: r.endLine + firstLine - 1, endColumn: r.endColumn }
  const whole = (): SourceRange | undefined => {
    const first = sections[0]!
    const last = sections.at(-1)!
    const from = shift(locate(first.section.doc, first.section.lineCounter, []), first.firstLine)
    const to = shift(locate(last.section.doc, last.section.lineCounter, []), last.firstLine)
    return from && to && { line: from.line, column: from.column, endLine: to.endLine, endColumn: to.endColumn }
  }
  return (path: readonly PathSegment[], options = {}) => {
    // the root, or a top-level key no section has: the whole mapping, as locate() points at the deepest part that exists
    const found = path.length > 0 ? sections.find(s => s.section.key === String(path[0])) : undefined
    if (!found) return whole()
    return shift(locate(found.section.doc, found.section.lineCounter, path, options), found.firstLine)
  }
}
