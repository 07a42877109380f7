/**
 * A what-if written into the protocol's YAML text rather than its parsed
 * document, so that "save as draft amendment" hands the editor the same
 * file with only the moved numbers and the switched-off criteria changed:
 * every other byte (comments, notes, folding, flow style) kept. Each edit
 * replaces the source range the parser reports for its node.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import type { WhatIfEdits } from './what-if.ts'

/**
 * @throws Error when the text is not one YAML document with a `criteria` list, or an edit's path is not a number in it
 * @example applyWhatIfToYaml(text, { values: [{ path: ['criteria', 3, 'logic', 'any', 0, 'measurement', 'value'], value: 0.8 }] })
 */
export function applyWhatIfToYaml(text: string, edits: WhatIfEdits): string {
  const doc = parseDocument(text)
  if (doc.errors.length > 0) throw new Error(`the protocol's YAML does not parse: ${doc.errors[0]!.message}`)
  const cuts: Array<{ from: number; to: number; insert: string }> = []
  for (const { path, value } of edits.values ?? []) {
    const node = doc.getIn(path, true)
    if (!isScalar(node) || typeof node.value !== 'number' || !node.range) throw new Error(`${path.join('.')} is not a number in the protocol's YAML`)
    cuts.push({ from: node.range[0], to: node.range[1], insert: String(value) })
  }
  const criteria = doc.get('criteria', true)
  if (!isSeq(criteria)) throw new Error('the protocol has no criteria list')
  const off = new Set(edits.disabled ?? [])
  for (const item of criteria.items) {
    if (!isMap(item) || !off.has(String(item.get('id'))) || !item.range) continue
    // the item's lines, from the start of its "- " line to the end of its last line
    const from = text.lastIndexOf('\n', item.range[0]) + 1
    const lineEnd = text.indexOf('\n', item.range[1] - 1)
    let to = lineEnd === -1 ? text.length : lineEnd + 1
    // the blank lines that separated it from the next item go too, when a blank line separates it from the one before
    if (/\n[ \t]*\n$/.test(text.slice(0, from))) while (/^[ \t]*\n/.test(text.slice(to))) to = text.indexOf('\n', to) + 1
    cuts.push({ from, to, insert: '' })
  }
  // from the end of the text, so the ranges of the cuts still to make hold
  let out = text
  for (const c of cuts.sort((a, b) => b.from - a.from)) out = out.slice(0, c.from) + c.insert + out.slice(c.to)
  return out
}
