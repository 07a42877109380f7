/**
 * Styles shared by the components: focus ring, buttons, status colours.
 * Colours pass WCAG AA on white; a verdict is never carried by colour alone
 * (each status also has a word and a symbol).
 */
import { css } from 'lit'

export const base = css`
  :host {
    --tp-ink: #1b1f24;
    --tp-muted: #4a5360;
    --tp-line: #d5dae1;
    --tp-accent: #1d5fd1;
    --tp-ok: #156f35;
    --tp-ok-bg: #e5f4ea;
    --tp-bad: #b3261e;
    --tp-bad-bg: #fbe9e7;
    --tp-unknown: #7a4d00;
    --tp-unknown-bg: #fff4d6;
    color: var(--tp-ink);
  }
  *, *::before, *::after { box-sizing: border-box; }
  :focus-visible { outline: 3px solid var(--tp-accent); outline-offset: 2px; }
  button, .button {
    font: inherit; padding: 0.4rem 0.8rem; border-radius: 4px; border: 1px solid var(--tp-accent);
    background: var(--tp-accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block;
  }
  button.secondary, .button.secondary { background: #fff; color: var(--tp-accent); }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  input, textarea { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #8a94a3; border-radius: 4px; }
  .error { border-left: 4px solid var(--tp-bad); background: var(--tp-bad-bg); padding: 0.6rem 0.8rem; margin: 0.5rem 0; }
  .error strong { color: var(--tp-bad); }
  .note { color: var(--tp-muted); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`
