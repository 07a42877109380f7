/** The layout of the new-protocol page (tp-protocol-create.ts): sources, the text beside its problems, the create form. */
import { css } from 'lit'

export const protocolCreateStyles = css`
  :host { display: block; }
  h1 { margin: 0 0 0.25rem; font-size: 1.4rem; }
  h2 { font-size: 1rem; margin: 0; padding: 0.5rem 0.6rem; border-bottom: 1px solid var(--tp-line); background: #f1f3f6; }
  .back { display: inline-block; margin-bottom: 0.5rem; }
  section { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; }
  .sources { display: flex; flex-wrap: wrap; gap: 0.75rem 2rem; padding: 0.6rem; }
  .sources > div, .sources > form { flex: 1 1 16rem; min-width: 0; display: flex; flex-direction: column; gap: 0.3rem; }
  .sources > form > div { display: flex; flex-direction: column; gap: 0.3rem; }
  .row { display: flex; gap: 0.4rem; }
  .row select { flex: 1 1 auto; min-width: 0; width: 100%; }
  label { font-weight: 600; }
  select { font: inherit; padding: 0.35rem 0.4rem; border: 1px solid #8a94a3; border-radius: 4px; max-width: 100%; background: #fff; }
  input[type='file'] { max-width: 100%; }
  .copied { margin: 0 0.6rem 0.6rem; border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.5rem 0.75rem; }
  .layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(18rem, 26rem); gap: 1rem; align-items: start; margin-top: 1rem; }
  @media (max-width: 60rem) { .layout { grid-template-columns: minmax(0, 1fr); } }
  .text { display: flex; flex-direction: column; gap: 0.3rem; }
  textarea {
    width: 100%; height: min(70vh, 48rem); min-height: 16rem; resize: vertical; tab-size: 2;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; line-height: 1.45;
  }
  .caret { font-variant-numeric: tabular-nums; }
  aside { display: flex; flex-direction: column; gap: 1rem; }
  .problems { max-height: 40vh; overflow: auto; }
  .status { min-height: 1.5rem; margin: 0.25rem 0.6rem 0.5rem; }
  .ok { color: var(--tp-ok); font-weight: 600; }
  .warn { border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.4rem 0.6rem; }
  form.create { padding: 0.6rem; display: flex; flex-direction: column; gap: 0.5rem; }
  code { font-size: 0.9em; }
  .pad { margin: 0 0.6rem 0.6rem; }
`
