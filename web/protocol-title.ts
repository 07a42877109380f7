/**
 * A protocol's title read from its YAML text with a pattern (the YAML
 * parser stays on the server), and the form titles are compared in: only
 * to warn before sending that a copy still has its source's title. The
 * server decides (server/protocol-title.ts, same comparison: case and runs
 * of blanks do not count).
 */

/** The form two titles are compared in (as server/protocol-title.ts `titleKey`). */
export function titleKey(title: string): string {
  return title.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en')
}

/**
 * The `title` of the top-level `protocol:` mapping written as a one-line
 * scalar (plain, "double" or 'single' quoted); undefined when there is none
 * or it is written another way (a block scalar): then the server's answer decides.
 */
export function protocolTitleOf(yaml: string): string | undefined {
  const block = /^protocol:[ \t]*(?:#.*)?\n((?:(?:[ \t]+.*|[ \t]*)(?:\n|$))*)/m.exec(yaml)?.[1]
  if (!block) return undefined
  const indent = /^([ \t]+)\S/m.exec(block)?.[1]
  if (!indent) return undefined
  const line = new RegExp(`^${indent}title:[ \\t]*(.*)$`, 'm').exec(block)?.[1]?.trim()
  if (!line || /^[|>]/.test(line)) return undefined
  if (line.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*")/.exec(line)
    try {
      return m ? (JSON.parse(m[1]!) as string) : undefined
    } catch {
      return undefined
    }
  }
  if (line.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'/.exec(line)
    return m ? m[1]!.replace(/''/g, "'") : undefined
  }
  return line.replace(/[ \t]+#.*$/, '').trim() || undefined
}
