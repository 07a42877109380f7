/**
 * The list of example results in the editor's examples panel: each example
 * with its badge in words (✓ pass / ✗ fail), a "Why" button opening
 * expected vs actual per criterion (or endpoint), and a link to its line in
 * the examples YAML. Render functions for tp-examples-panel, which keeps
 * the state (which examples are open) and handles the events.
 */
import { css, html, nothing } from 'lit'
import type { ExampleResult } from '../api/examples.ts'

export interface ResultListOptions {
  /** Accessible name of the list, e.g. "Example patients". */
  name: string
  /** Header of the first column of an open example's table, e.g. "Criterion". */
  subjectHeader: string
  /** Prefix of the keys (and element ids) of this list's examples, so two lists do not share them. */
  keyPrefix?: string
  /** Keys of the examples whose table is open. */
  open: ReadonlySet<string>
  toggle: (key: string) => void
  /** Show the example at this line of the examples YAML. */
  select: (line: number) => void
}

export const resultListStyles = css`
  ol.results { list-style: none; margin: 0; padding: 0; max-height: 45vh; overflow: auto; }
  ol.results > li { border-top: 1px solid var(--tp-line); padding: 0.4rem 0.6rem; }
  ol.results > li:first-child { border-top: none; }
  .row { display: flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; align-items: baseline; }
  .name { font-family: ui-monospace, monospace; font-weight: 700; overflow-wrap: anywhere; }
  .desc { color: var(--tp-muted); font-size: 0.88rem; flex-basis: 100%; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.2rem; font-size: 0.86rem; }
  th, td { text-align: left; padding: 0.2rem 0.35rem; border-bottom: 1px solid var(--tp-line); vertical-align: top; }
  td.differs { color: var(--tp-bad); font-weight: 700; }
  .reason { color: var(--tp-muted); font-size: 0.82rem; font-weight: 400; }
`

export function resultList(results: readonly ExampleResult[], o: ResultListOptions) {
  // failures first: they are what an edit of the protocol has to answer for
  const ordered = [...results.filter(x => !x.passed), ...results.filter(x => x.passed)]
  return html`<ol class="results" aria-label=${o.name}>
    ${ordered.map(x => {
      const key = `${o.keyPrefix ?? ''}${x.id}`
      const open = o.open.has(key)
      return html`<li data-example=${x.id}>
        <div class="row">
          <span class="badge ${x.passed ? 'pass' : 'fail'}" data-testid="example-badge">${x.passed ? '✓ pass' : '✗ fail'}</span>
          <span class="name">${x.id}</span>
          ${
            x.passed
              ? nothing
              : html`<button type="button" class="link" aria-expanded=${open ? 'true' : 'false'} aria-controls="why-${key}" @click=${() => o.toggle(key)}>
                ${open ? 'Hide' : 'Why'}: ${x.differ.join(', ')} differ${x.differ.length === 1 ? 's' : ''}
              </button>`
          }
          ${
            x.line !== undefined
              ? // the name ends with the visible "line N", outside parentheses, so that speech input can say what is seen (WCAG 2.5.3)
                html`<button type="button" class="link" @click=${() => o.select(x.line!)} aria-label="Show ${x.id} in the examples YAML, line ${x.line}">line ${x.line}</button>`
              : nothing
          }
          <span class="desc">${x.description}</span>
        </div>
        ${open ? checks(x, o.subjectHeader, key) : nothing}
      </li>`
    })}
  </ol>`
}

function checks(x: ExampleResult, subjectHeader: string, key: string) {
  return html`<table id="why-${key}">
    <caption class="visually-hidden">Expected and actual answers for ${x.id}</caption>
    <thead><tr><th scope="col">${subjectHeader}</th><th scope="col">Expected</th><th scope="col">Actual</th></tr></thead>
    <tbody>
      ${x.checks.map(
        c => html`<tr>
          <th scope="row">${c.subject}${c.title ? html`<div class="reason">${c.title}</div>` : nothing}</th>
          <td>${c.expected}</td>
          <td class=${c.ok ? '' : 'differs'}>${c.ok ? '' : '✗ '}${c.actual}${c.reason && !c.ok ? html`<div class="reason">${c.reason}</div>` : nothing}</td>
        </tr>`,
      )}
    </tbody>
  </table>`
}
