/**
 * axe-core on a page, through @axe-core/playwright: the WCAG 2.0/2.1 A and
 * AA rules, and only what axe rates serious or critical (the issue's bar: 0
 * of those per screen). Lit's open shadow roots are walked by axe itself.
 */
import { AxeBuilder } from '@axe-core/playwright'
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

/** Run axe on what `page` shows now (no iframes looked into); the serious and critical violations, worst first. */
export async function seriousViolations(page: Page): Promise<A11yViolation[]> {
  const results = await new AxeBuilder({ page })
    .withTags(WCAG_TAGS)
    // only violations are read: not gathering the passes and incompletes (thousands of nodes on the editor) saves most of the time
    .options({ resultTypes: ['violations'] })
    // one run in the page itself: the app has no iframes, so axe's frame-by-frame mode (and its extra page) buys nothing
    .setLegacyMode(true)
    .analyze()
  return results.violations
    .filter((v): v is typeof v & { impact: 'serious' | 'critical' } => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      count: v.nodes.length,
      targets: v.nodes.slice(0, SHOWN_TARGETS).map(n => n.target.map(t => (Array.isArray(t) ? t.join(' >> ') : String(t))).join(' >> ')),
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
