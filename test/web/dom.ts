/** Small helpers for component tests in happy-dom. */

/** A node's text with whitespace runs folded, as a reader sees it. */
export const text = (node: ParentNode | null | undefined): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()

/** Poll `fn` every 10 ms until it returns something truthy; throw after `ms`. */
export async function until<T>(fn: () => T | undefined | null | false, ms = 3000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = fn()
    if (v) return v
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise(r => setTimeout(r, 10))
  }
}
