/** Tables of the subject screens: a scrolling table on a desktop, labelled cards on a phone (as the protocol library). */
import { css } from 'lit'

export const tableStyles = css`
  .table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; }
  table { border-collapse: collapse; width: 100%; }
  caption { text-align: left; padding: 0.5rem 0.75rem; color: var(--tp-muted); }
  th, td { text-align: left; padding: 0.4rem 0.75rem; border-top: 1px solid var(--tp-line); vertical-align: top; }
  th[scope='col'] { background: #f1f3f6; font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  @media (max-width: 40rem) {
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    tr, td, th[scope='row'] { display: block; }
    th[scope='row'] { border-top: 1px solid var(--tp-line); }
    td { border-top: 0; padding: 0.15rem 0.75rem; }
    td.num { text-align: left; }
    td[data-label]::before { content: attr(data-label) ': '; font-weight: 600; }
    tr > :last-child { padding-bottom: 0.6rem; }
  }
`
