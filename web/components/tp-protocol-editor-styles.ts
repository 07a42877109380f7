/** The protocol editor's layout: the YAML or examples tab beside the problems and the save form. */
import { css } from 'lit'

export const protocolEditorStyles = css`
:host { display: block; }
h1 { margin: 0 0 0.25rem; font-size: 1.4rem; }
.meta { margin: 0 0 0.75rem; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(18rem, 26rem); gap: 1rem; align-items: start; }
@media (max-width: 60rem) { .layout { grid-template-columns: minmax(0, 1fr); } }
#editor-host, #examples-host { height: min(70vh, 48rem); min-height: 16rem; }
[role='tablist'] { display: flex; gap: 0.25rem; border-bottom: 1px solid var(--tp-line); margin-bottom: 0.5rem; flex-wrap: wrap; }
[role='tab'] { background: #fff; color: var(--tp-ink); border: 1px solid var(--tp-line); border-bottom: none; border-radius: 4px 4px 0 0; margin-bottom: -1px; }
[role='tab'][aria-selected='true'] { font-weight: 700; border-color: var(--tp-accent); border-bottom: 1px solid #fff; box-shadow: inset 0 3px 0 var(--tp-accent); }
.examples { max-height: none; }
aside { display: flex; flex-direction: column; gap: 1rem; }
section { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; }
section > h2 { font-size: 1rem; margin: 0; padding: 0.5rem 0.6rem; border-bottom: 1px solid var(--tp-line); background: #f1f3f6; }
.problems { max-height: 30vh; overflow: auto; }
form { padding: 0.6rem; display: flex; flex-direction: column; gap: 0.5rem; }
label { font-weight: 600; }
.status { min-height: 1.5rem; margin: 0.25rem 0 0.5rem; }
.ok { color: var(--tp-ok); font-weight: 600; }
.conflict { border-left: 4px solid var(--tp-unknown); background: var(--tp-unknown-bg); padding: 0.6rem 0.8rem; }
.conflict .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.5rem; }
.back { display: inline-block; margin-bottom: 0.5rem; }
`
