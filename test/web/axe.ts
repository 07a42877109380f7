/**
 * axe-core on a page: the WCAG 2.0/2.1 A and AA rules, and only what axe
 * rates serious or critical (the issue's bar: 0 of those per screen). Lit's
 * open shadow roots are walked by axe itself.
 *
 * axe's source (640 kB) is put into a page once and run there directly: the
 * app is one page without iframes, so @axe-core/playwright's per-call
 * injection and frame-by-frame run bought nothing and cost two thirds of
 * each check (1.7-1.9 s against 0.55 s on the editor, measured 2026-12-02).
 */
import axe from 'axe-core'
import type { Page } from 'playwright-core'

/** The WCAG levels checked: 2.0 and 2.1, A and AA (axe's tag names). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

export interface A11yViolation {
  /** axe's rule id, e.g. `label-content-name-mismatch`. */
  rule: string
  impact: 'serious' | 'critical'
  help: string
  helpUrl: string
  /** How many elements break the rule. */
  count: number
  /** CSS selectors of the first elements (shadow-DOM paths joined by " >> "). */
  targets: string[]
}

const SHOWN_TARGETS = 5

/** What a violation carries back from the page: only what the report shows. */
interface PageViolation {
  id: string
  impact?: string | null
  help: string
  helpUrl: string
  targets: string[]
}

/** Run axe on what `page` shows now (its source put into the page first if a navigation cleared it); the serious and critical violations, worst first. */
export async function seriousViolations(page: Page): Promise<A11yViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source)
  const violations = await page.evaluate(async tags => {
    const inPage = (window as unknown as { axe: typeof axe }).axe
    // only violations are read: not gathering the passes and incompletes (thousands of nodes on the editor) saves most of the time
    const results = await inPage.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return results.violations.map(v => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map(n => n.target.map(t => (Array.isArray(t) ? t.join(' >> ') : String(t))).join(' >> ')),
    }))
  }, WCAG_TAGS)
  return serious(violations)
}

/** The serious and critical violations in the report's shape, worst first (critical, then by how many elements). */
function serious(violations: readonly PageViolation[]): A11yViolation[] {
  return violations
    .filter((v): v is PageViolation & { impact: 'serious' | 'critical' } => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      count: v.targets.length,
      targets: v.targets.slice(0, SHOWN_TARGETS),
    }))
    .sort((a, b) => (a.impact === b.impact ? b.count - a.count : a.impact === 'critical' ? -1 : 1))
}

/** One violation per paragraph: rule, impact, count, what it asks, and where. */
export function formatViolations(violations: readonly A11yViolation[]): string {
  return violations
    .map(v => {
      const more = v.count > v.targets.length ? `\n    … and ${v.count - v.targets.length} more` : ''
      return `${v.rule} (${v.impact}) ×${v.count}: ${v.help}\n${v.targets.map(t => `    ${t}`).join('\n')}${more}`
    })
    .join('\n')
}
