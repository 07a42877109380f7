/**
 * A YAML mapping parsed section by section, each top-level key's block on its
 * own (and a section's items one by one where they are laid out plainly:
 * yaml-blocks.ts), with every parse kept by its text: while a designer edits
 * one criterion, nothing else of the protocol is parsed again on each
 * keystroke.
 *
 * Only for plain layouts, where parsing the blocks apart gives what parsing
 * the whole gives: every line at column 0 is blank, a comment or a plain
 * `key:` (no document markers, directives, tags, anchors or flow collections
 * at the top), no key twice, no alias anywhere and no problem in any block.
 * For anything else the caller parses the whole text (parseYamlText), which
 * also words every problem exactly as before.
 */
import type { PathSegment } from './path.ts'
import { keyAt, parsedSection, shift, span, type Block, type ParseLog } from './yaml-blocks.ts'
import type { Locator } from './yaml-document.ts'

/** A text parsed by sections: its plain value and where each path is written. */
export interface SectionParse {
  value: Record<string, unknown>
  locate: Locator
  /** The keys of the sections this call parsed some of afresh, in text order; the rest was kept from earlier calls. */
  parsed: string[]
  /** How many blocks (sections or items) this call parsed afresh. */
  blocksParsed: number
}

interface Section {
  key: string
  block: Block
  /** The section's first line in the text (1-based). */
  firstLine: number
}

/**
 * @returns the value and a locator, or `undefined` when the text is not laid out plainly enough to parse by sections
 * @example
 * parseYamlSections('a: 1\nb:\n  c: 2\n')?.value // { a: 1, b: { c: 2 } }
 */
export function parseYamlSections(text: string): SectionParse | undefined {
  const starts = sectionStarts(text)
  if (!starts || starts.length === 0) return undefined
  const sections: Section[] = []
  const keys = new Set<string>()
  const parsed: string[] = []
  let blocksParsed = 0
  let line = 1
  let lineAt = 0
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!
    const end = starts[i + 1] ?? text.length
    for (; lineAt < start; lineAt++) if (text.charCodeAt(lineAt) === 10) line++
    const key = keyAt(text, start)!
    if (keys.has(key)) return undefined
    keys.add(key)
    const log: ParseLog = { fresh: 0 }
    const block = parsedSection(text.slice(start, end), log)
    if (!block) return undefined
    if (log.fresh > 0) parsed.push(key)
    blocksParsed += log.fresh
    sections.push({ key, block, firstLine: line })
  }
  const value: Record<string, unknown> = {}
  // a fresh value per call, as parseYamlText gives: the caller may change it, the kept blocks stay as parsed
  for (const { block } of sections) Object.assign(value, block.value())
  return { value, locate: sectionLocator(sections), parsed, blocksParsed }
}

/**
 * Offsets of the lines that open a section (a plain key at column 0), or `undefined` if a line at column 0 is anything
 * else. Opening comments and blank lines are left out (no section holds them).
 */
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
      if (keyAt(text, at) === undefined) return undefined
      starts.push(at)
    }
    at = next
  }
  return starts
}

/** Where a path is written: found in its top-level key's section, its lines moved down to where the section starts. */
function sectionLocator(sections: readonly Section[]): Locator {
  const first = sections[0]!
  const last = sections.at(-1)!
  const whole = () => span(shift(first.block.locate([]), first.firstLine), shift(last.block.locate([]), last.firstLine))
  return (path: readonly PathSegment[], options = {}) => {
    // the root, or a top-level key no section has: the whole mapping, as locate() points at the deepest part that exists
    const found = path.length > 0 ? sections.find(s => s.key === String(path[0])) : undefined
    if (!found) return whole()
    return shift(found.block.locate(path, options), found.firstLine)
  }
}
