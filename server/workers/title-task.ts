/**
 * Where a protocol's title is written in its YAML text, for a located
 * diagnostic when the title is already another protocol's. A worker task
 * (tasks.ts): parsing up to a megabyte of YAML does not belong on the event loop.
 */
import { locate, parseYamlText } from '../../engine/index.ts'

export interface TextRange {
  line: number
  column: number
  endLine?: number
  endColumn?: number
}

export function locateProtocolTitle(input: { yaml: string }): TextRange | null {
  const parsed = parseYamlText(input.yaml)
  return locate(parsed.doc, parsed.lineCounter, ['protocol', 'title']) ?? null
}
