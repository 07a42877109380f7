/** What the create form reads from a protocol's YAML text before the server parses it. */

/**
 * The `registry_id` written in a protocol's YAML, read with a pattern (the
 * YAML parser stays on the server): only to say which protocol id the
 * server will give it, the server's answer decides.
 */
export function registryIdOf(yaml: string): string | undefined {
  const m = /^[ \t]+registry_id:[ \t]*(["']?)([^"'#\s]+)\1/m.exec(yaml)
  return m?.[2]
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}
