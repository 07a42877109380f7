import { css } from 'lit'

/**
 * The dashboard's tables of counts per criterion (the screening funnel's
 * attrition, the warehouse cohort's): numbers right-aligned, and at phone
 * width each row a card of label: count pairs, two a line.
 */
export const countTable = css`
  .table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; }
  table { border-collapse: collapse; width: 100%; min-width: 40rem; }
  caption { text-align: left; padding: 0.6rem 0.75rem; color: var(--tp-muted); }
  th, td { text-align: left; padding: 0.4rem 0.7rem; border-top: 1px solid var(--tp-line); vertical-align: top; }
  th[scope='col'] { background: #f1f3f6; font-weight: 600; }
  th[scope='col'].num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
  th[scope='row'] .id { font-family: ui-monospace, monospace; }
  th[scope='row'] .note { font-weight: normal; font-size: 0.85rem; }
  td.hit { font-weight: 700; }
  h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
  @media (max-width: 40rem) {
    table { min-width: 0; }
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    /* two counts a line, so 17 criteria stay a short scroll */
    tr { display: flex; flex-wrap: wrap; border-top: 1px solid var(--tp-line); }
    th[scope='row'] { flex: 1 1 100%; border-top: 0; }
    td { flex: 0 0 50%; border-top: 0; padding: 0.1rem 0.7rem; }
    td.num { text-align: left; }
    td[data-label]::before { content: attr(data-label) ': '; font-weight: 600; }
    tr > td:nth-last-child(-n + 2) { padding-bottom: 0.5rem; }
  }
`
