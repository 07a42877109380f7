import { LitElement, css, html, nothing } from 'lit'
import { Task, TaskStatus } from '@lit/task'
import { getProtocolDocument } from '../api.ts'
import { getSubject, type Subject } from '../api/subjects.ts'
import { base } from '../styles.ts'
import { subjectStatusWords } from '../subjects/subject-status.ts'
import './tp-problem.ts'

let sections: Promise<unknown> | undefined
/** The sections' elements, fetched once (their own chunk, not the shell's). */
const loadSections = () => {
  sections ??= import('../subjects/sections.ts').catch((e: unknown) => {
    sections = undefined
    throw e
  })
  return sections
}

/**
 * One subject: status, arm and screening history; the workflow (screen,
 * randomize, record visits and adverse events, for roles that manage
 * subjects); the dosing calendar and visit timeline; values over time;
 * response at each visit; adverse events. Every section loads and fails on
 * its own; after each change the page and its sections reload.
 */
export class TpSubjectPage extends LitElement {
  static override properties = {
    subjectId: {},
    canManage: { type: Boolean },
    _revision: { state: true },
    _sectionsError: { state: true },
  }

  /** The subject's id (from `#/subjects/<id>`). */
  declare subjectId: string
  /** Whether the signed-in role may screen, randomize and record data. */
  declare canManage: boolean
  declare _revision: number
  declare _sectionsError: unknown

  constructor() {
    super()
    this.subjectId = ''
    this.canManage = false
    this._revision = 0
    this._sectionsError = undefined
  }

  override connectedCallback(): void {
    super.connectedCallback()
    loadSections().then(
      () => (this._sectionsError = undefined),
      (e: unknown) => (this._sectionsError = e),
    )
  }

  private readonly _subject = new Task(this, {
    task: ([id], { signal }) => getSubject(id, signal),
    args: () => [this.subjectId, this._revision] as const,
  })

  private readonly _protocol = new Task(this, {
    task: ([protocolId], { signal }) => (protocolId ? getProtocolDocument(protocolId, signal) : Promise.resolve(undefined)),
    args: () => [this._subject.value?.protocol_id] as const,
  })

  static override styles = [
    base,
    css`
      :host { display: block; }
      h1 { margin: 0.3rem 0 0.5rem; overflow-wrap: anywhere; }
      section { margin: 1.25rem 0; }
      section > h2 { font-size: 1.25rem; border-bottom: 1px solid var(--tp-line); padding-bottom: 0.25rem; }
      dl.facts { display: flex; flex-wrap: wrap; gap: 0.4rem 1.5rem; margin: 0.25rem 0; }
      dl.facts div { display: flex; gap: 0.35rem; }
      dt { font-weight: 600; }
      dd { margin: 0; }
      .code { font-family: ui-monospace, monospace; }
      details.record > summary, details.ae > summary { cursor: pointer; color: var(--tp-accent); margin: 0.5rem 0; }
      pre { background: #fff; border: 1px solid var(--tp-line); padding: 0.5rem; overflow: auto; max-height: 24rem; font-size: 0.8rem; }
    `,
  ]

  private _changed = () => {
    this._revision++
  }

  override render() {
    const s = this._subject.value
    if (!s || s.id !== this.subjectId) {
      return this._subject.render({
        pending: () => html`<p role="status">Loading the subject…</p>`,
        error: e => html`<tp-problem .error=${e} context="Loading the subject"></tp-problem>
          <button type="button" @click=${() => this._subject.run()}>Try again</button>`,
        complete: () => nothing,
      })
    }
    return this._page(s)
  }

  private _page(s: Subject) {
    const loaded = this._protocol.value
    const doc = loaded?.document
    const arms = doc?.arms ?? (loaded ? [] : undefined)
    const randomized = s.status === 'randomized'
    return html`<div @subject-changed=${this._changed}>
      <a href="#/protocols/${encodeURIComponent(s.protocol_id)}/subjects">← Subjects of ${s.protocol_id}</a>
      <h1>Subject <span class="code">${s.code}</span></h1>
      ${this._subject.status === TaskStatus.PENDING ? html`<p role="status" class="note">Updating…</p>` : nothing}
      ${this._subject.error ? html`<tp-problem .error=${this._subject.error} context="Reloading the subject"></tp-problem>` : nothing}
      <dl class="facts">
        <div><dt>Status</dt><dd data-testid="status" data-status=${s.status}>${subjectStatusWords(s.status, s.screening)}</dd></div>
        <div><dt>Arm</dt><dd data-arm=${s.arm ?? nothing}>${s.arm ? (arms?.find(a => a.id === s.arm)?.label ?? s.arm) : 'none yet'}</dd></div>
        <div><dt>Protocol</dt><dd>${s.protocol_id}</dd></div>
        <div><dt>Registered</dt><dd>${s.created_at.slice(0, 10)}</dd></div>
      </dl>
      ${this._protocol.error ? html`<tp-problem .error=${this._protocol.error} context="Loading the protocol (arms, visits)"></tp-problem>` : nothing}
      ${this._sectionsError ? html`<tp-problem .error=${this._sectionsError} context="Loading the page's sections (reload the page to try again)"></tp-problem>` : nothing}
      <details class="record"><summary>Show the stored record (JSON)</summary><pre>${JSON.stringify(s.record, null, 2)}</pre></details>

      <section aria-labelledby="h-record">
        <h2 id="h-record">Record</h2>
        <tp-subject-record-editor .subject=${s} .canManage=${this.canManage}></tp-subject-record-editor>
      </section>

      <section aria-labelledby="h-screening">
        <h2 id="h-screening">Screening and randomization</h2>
        <tp-subject-screening .subject=${s} .arms=${arms} .canManage=${this.canManage}></tp-subject-screening>
      </section>

      <section aria-labelledby="h-calendar">
        <h2 id="h-calendar">Dosing calendar and visits</h2>
        <tp-subject-calendar .subject=${s} .revision=${this._revision} .canManage=${this.canManage}></tp-subject-calendar>
      </section>

      ${
        randomized && this.canManage
          ? html`<section aria-labelledby="h-visit">
            <h2 id="h-visit">Record a visit</h2>
            ${
              this._protocol.error
                ? html`<p>The visit form needs the protocol's visits, which did not load.</p>`
                : html`<tp-subject-visit-form .subjectId=${s.id} .protocolId=${s.protocol_id} .doc=${doc} .record=${s.record} .recorded=${(s.record.visits ?? []).map(v => v.visit)}></tp-subject-visit-form>`
            }
          </section>`
          : nothing
      }

      <section aria-labelledby="h-charts">
        <h2 id="h-charts">Values over time</h2>
        <tp-subject-charts .subjectId=${s.id} .revision=${this._revision}></tp-subject-charts>
      </section>

      <section aria-labelledby="h-responses">
        <h2 id="h-responses">Response at each visit</h2>
        <tp-subject-responses .subjectId=${s.id} .randomized=${randomized} .revision=${this._revision}
          .titles=${Object.fromEntries((doc?.endpoints ?? []).map(e => [e.id, e.title ?? e.id]))}></tp-subject-responses>
      </section>

      <section aria-labelledby="h-ae">
        <h2 id="h-ae">Adverse events</h2>
        <tp-subject-adverse-events .events=${s.record.adverse_events}></tp-subject-adverse-events>
        ${
          this.canManage
            ? html`<details class="ae"><summary>Record an adverse event</summary><tp-subject-ae-form .subjectId=${s.id}></tp-subject-ae-form></details>`
            : nothing
        }
      </section>
    </div>`
  }
}
customElements.define('tp-subject-page', TpSubjectPage)

declare global {
  interface HTMLElementTagNameMap {
    'tp-subject-page': TpSubjectPage
  }
}
