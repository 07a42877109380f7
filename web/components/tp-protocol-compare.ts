import { LitElement, css, html, nothing, type PropertyValues } from 'lit'
import { Task, initialState } from '@lit/task'
import { getLabConcepts } from '../api/dictionary.ts'
import { getVersionDiff, getVersionText, listVersions, type VersionSummary } from '../api/versions.ts'
import { describeDiff, type ChangeLine, type DiffSection, type ItemLine } from '../../engine/diff/describe-diff.ts'
import { collapseUnchanged, countChanges, diffRows, type DiffLine, type Segment } from '../compare/line-diff.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'
import './tp-amendment-impact.ts'

interface Comparison {
  from: number
  to: number
  identical: boolean
  sections: DiffSection[]
  segments: Segment[]
  counts: { added: number; removed: number }
}

const STATUS_WORDS: Record<ItemLine['status'], { symbol: string; word: string }> = {
  added: { symbol: '+', word: 'Added' },
  removed: { symbol: '−', word: 'Removed' },
  changed: { symbol: '~', word: 'Changed' },
}

const KIND_WORDS: Record<ChangeLine['kind'], string> = {
  threshold: 'Threshold changed',
  window: 'Window changed',
  unit: 'Unit changed',
  operator: 'Comparison changed',
  other: 'Changed',
}

/** `2026-01-05 14:03` in the reader's time zone (ISO order, so it never reads ambiguously). */
function when(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/**
 * Compare two versions of a protocol: pick them (defaults: the previous and
 * the latest; the choice is kept in the location hash so the view can be
 * linked), then read what changed for evaluation (criteria, parameters,
 * arms, visits, endpoints, from the server's structured diff, in words) and
 * the line diff of the two YAML texts (jsdiff, loaded on first use) with
 * unchanged runs folded.
 */
export class TpProtocolCompare extends LitElement {
  static override properties = {
    protocolId: {},
    from: { type: Number },
    to: { type: Number },
    _open: { state: true },
  }

  /** Id of the protocol (`nct05631717`). */
  declare protocolId: string
  /** The older version to show; default the one before the latest. */
  declare from: number | undefined
  /** The newer version to show; default the latest. */
  declare to: number | undefined
  /** Folded runs of the line diff the reader opened, by gap id. */
  declare _open: ReadonlySet<string>

  constructor() {
    super()
    this.protocolId = ''
    this.from = undefined
    this.to = undefined
    this._open = new Set()
  }

  private readonly _versions = new Task(this, {
    task: ([id], { signal }) => (id ? listVersions(id, signal) : initialState),
    args: () => [this.protocolId] as const,
  })

  private readonly _comparison = new Task(this, {
    task: async ([id, from, to], { signal }): Promise<Comparison | typeof initialState> => {
      if (!id || from === undefined || to === undefined || from === to) return initialState
      const [diff, before, after, jsdiff, labConcepts] = await Promise.all([
        getVersionDiff(id, from, to, signal),
        getVersionText(id, from, signal),
        getVersionText(id, to, signal),
        import('diff'),
        getLabConcepts(),
      ])
      const conceptNames = new Map(labConcepts.map(c => [c.id, c.name]))
      const rows = diffRows(jsdiff.diffLines(before.yaml, after.yaml))
      return {
        from,
        to,
        identical: diff.identical,
        sections: describeDiff(diff, { before: before.document, after: after.document, conceptNames }),
        segments: collapseUnchanged(rows),
        counts: countChanges(rows),
      }
    },
    args: () => [this.protocolId, this._pair?.from, this._pair?.to] as const,
  })

  /** The two versions shown: the ones asked for when they exist, else previous and latest. */
  private get _pair(): { from: number; to: number; asked: boolean } | undefined {
    const versions = this._versions.value
    if (!versions || versions.length < 2) return undefined
    const has = (n: number | undefined) => n !== undefined && versions.some(v => v.version === n)
    const latest = versions.at(-1)!.version
    const previous = versions.at(-2)!.version
    return {
      from: has(this.from) ? this.from! : previous,
      to: has(this.to) ? this.to! : latest,
      asked: (this.from === undefined || has(this.from)) && (this.to === undefined || has(this.to)),
    }
  }

  static override styles = [
    base,
    css`
      :host { display: block; }
      h1 { margin: 0 0 0.75rem; font-size: 1.4rem; }
      h1 .id { font-family: ui-monospace, monospace; }
      h2 { font-size: 1.15rem; margin: 1.25rem 0 0.5rem; }
      h3 { font-size: 1rem; margin: 0; padding: 0.45rem 0.6rem; background: #f1f3f6; border-bottom: 1px solid var(--tp-line); }
      .pick { display: flex; flex-wrap: wrap; align-items: end; gap: 0.5rem 1rem; background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 0.75rem; }
      .pick > div { display: flex; flex-direction: column; gap: 0.25rem; min-width: 0; max-width: 100%; }
      .pick label { font-weight: 600; }
      select { font: inherit; padding: 0.35rem 0.4rem; border: 1px solid #8a94a3; border-radius: 4px; max-width: 100%; background: #fff; }
      .arrow { font-size: 1.3rem; padding-bottom: 0.3rem; }
      .versions { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0.5rem; margin: 0.5rem 0 0; }
      .versions p { margin: 0; }
      .card { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; overflow: hidden; margin-bottom: 0.75rem; }
      .card > p { margin: 0; padding: 0.45rem 0.6rem; }
      ul.items { list-style: none; margin: 0; padding: 0; }
      ul.items > li { padding: 0.5rem 0.6rem; border-top: 1px solid var(--tp-line); }
      ul.items > li:first-child { border-top: 0; }
      .tag { display: inline-block; min-width: 6.5rem; font-weight: 700; border-radius: 4px; padding: 0 0.35rem; margin-right: 0.35rem; }
      .tag.added { color: var(--tp-ok); background: var(--tp-ok-bg); }
      .tag.removed { color: var(--tp-bad); background: var(--tp-bad-bg); }
      .tag.changed { color: var(--tp-unknown); background: var(--tp-unknown-bg); }
      .item-id { font-family: ui-monospace, monospace; font-weight: 700; }
      ul.changes { margin: 0.35rem 0 0; padding-left: 1.25rem; }
      ul.changes li { margin: 0.2rem 0; overflow-wrap: anywhere; }
      .kind { font-weight: 600; }
      del { color: var(--tp-bad); }
      ins { color: var(--tp-ok); text-decoration: none; font-weight: 600; }
      .path { color: var(--tp-muted); font-size: 0.8rem; }
      .used { color: var(--tp-muted); font-size: 0.9rem; }
      .lines { background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; overflow: hidden; }
      table.diff { border-collapse: collapse; width: 100%; table-layout: fixed; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.8rem; }
      table.diff col.no { width: 3.2rem; }
      table.diff col.mark { width: 1.4rem; }
      table.diff td { padding: 0 0.3rem; vertical-align: top; }
      td.no { text-align: right; color: var(--tp-muted); user-select: none; font-variant-numeric: tabular-nums; }
      td.text { white-space: pre-wrap; overflow-wrap: anywhere; }
      td.mark { text-align: center; font-weight: 700; user-select: none; }
      tr.added { background: #e6f4ea; }
      tr.added td.mark { color: var(--tp-ok); }
      tr.removed { background: #fbe9e7; }
      tr.removed td.mark { color: var(--tp-bad); }
      tr.gap td { background: #f1f3f6; padding: 0.15rem 0.3rem; }
      tr.gap button { font-size: 0.8rem; padding: 0.1rem 0.5rem; }
      .counts .plus { color: var(--tp-ok); font-weight: 700; }
      .counts .minus { color: var(--tp-bad); font-weight: 700; }
      @media (max-width: 40rem) {
        table.diff col.no { width: 2.4rem; }
        .tag { min-width: 0; }
        .arrow { display: none; }
      }
    `,
  ]

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('protocolId') || changed.has('from') || changed.has('to')) this._open = new Set()
  }

  protected override updated(): void {
    const pair = this._pair
    // the selects show the pair shown (set after their options exist, whatever the DOM's own selection rules)
    for (const [id, n] of [
      ['from', pair?.from],
      ['to', pair?.to],
    ] as const) {
      const select = this.renderRoot.querySelector<HTMLSelectElement>(`select#${id}`)
      if (select && n !== undefined && select.value !== String(n)) select.value = String(n)
    }
    // make the default pair linkable without adding a history entry
    const screen = `#/protocols/${encodeURIComponent(this.protocolId)}/compare`
    if (pair && (this.from === undefined || this.to === undefined) && location.hash.split('?')[0] === screen) {
      history.replaceState(history.state, '', `${screen}?from=${pair.from}&to=${pair.to}`)
    }
  }

  /** Show versions `from` and `to`, and keep them in the location hash. */
  private _choose(from: number, to: number): void {
    this.from = from
    this.to = to
    const hash = `#/protocols/${encodeURIComponent(this.protocolId)}/compare?from=${from}&to=${to}`
    if (location.hash !== hash) location.hash = hash
  }

  override render() {
    return html`<h1>Compare versions of <span class="id">${this.protocolId}</span></h1>
      ${this._versions.render({
        pending: () => html`<p role="status">Loading the versions…</p>`,
        error: e => html`<tp-problem .error=${e} context="Loading the versions of ${this.protocolId}"></tp-problem>
          <button type="button" @click=${() => void this._versions.run()}>Try again</button>`,
        complete: versions => this._body(versions),
      })}`
  }

  private _body(versions: VersionSummary[]) {
    const pair = this._pair
    if (!pair) {
      const only = versions[0]
      return html`<p data-testid="single-version">
        Nothing to compare yet: ${this.protocolId} has a single version${only ? html` (version ${only.version}, saved ${when(only.created_at)} by ${only.author}${only.change_note ? ` — “${only.change_note}”` : ''})` : ''}.
        Each save in the editor adds a version; come back when there are two.
      </p>
      <a class="button secondary" href="#/protocols/${encodeURIComponent(this.protocolId)}/edit">Open the editor</a>`
    }
    const describe = (n: number) => versions.find(v => v.version === n)
    return html`${this._picker(versions, pair)}
      ${pair.asked ? nothing : html`<p class="note" role="status">A version in the link does not exist; showing version ${pair.from} → version ${pair.to}.</p>`}
      <div class="versions">
        ${[describe(pair.from), describe(pair.to)].map((v, i) =>
          v
            ? html`<p class="note"><strong>${i === 0 ? 'From' : 'To'}: version ${v.version}</strong> · ${when(v.created_at)} · ${v.author}${v.change_note ? html` · “${v.change_note}”` : nothing}</p>`
            : nothing,
        )}
      </div>
      ${
        pair.from === pair.to
          ? html`<p role="status">Both sides are version ${pair.from}: choose two different versions.</p>`
          : this._comparison.render({
              pending: () => html`<p role="status">Comparing version ${pair.from} with version ${pair.to}…</p>`,
              error: e => html`<tp-problem .error=${e} context="Comparing version ${pair.from} with version ${pair.to}"></tp-problem>
              <button type="button" @click=${() => void this._comparison.run()}>Try again</button>`,
              complete: c => this._result(c),
            })
      }`
  }

  private _picker(versions: VersionSummary[], pair: { from: number; to: number }) {
    const option = (v: VersionSummary, selected: number) =>
      html`<option value=${v.version} ?selected=${v.version === selected}>v${v.version} · ${when(v.created_at).slice(0, 10)} · ${v.author}${v.change_note ? ` · ${v.change_note.length > 40 ? `${v.change_note.slice(0, 39)}…` : v.change_note}` : ''}</option>`
    const pick = (side: 'from' | 'to') => (e: Event) => {
      const n = Number((e.target as HTMLSelectElement).value)
      if (side === 'from') this._choose(n, pair.to)
      else this._choose(pair.from, n)
    }
    return html`<form class="pick" aria-label="Versions to compare" @submit=${(e: Event) => e.preventDefault()}>
      <div>
        <label for="from">From version</label>
        <select id="from" name="from" @change=${pick('from')}>${versions.map(v => option(v, pair.from))}</select>
      </div>
      <span class="arrow" aria-hidden="true">→</span>
      <div>
        <label for="to">To version</label>
        <select id="to" name="to" @change=${pick('to')}>${versions.map(v => option(v, pair.to))}</select>
      </div>
      <button type="button" class="secondary" @click=${() => this._choose(pair.to, pair.from)}>⇄ Swap</button>
    </form>`
  }

  private _result(c: Comparison) {
    return html`<section aria-labelledby="structured-h" data-testid="structured">
        <h2 id="structured-h">What changed for evaluation (version ${c.from} → version ${c.to})</h2>
        ${
          c.identical
            ? html`<p role="status" data-testid="identical">No change to the criteria, parameters, arms, visits or endpoints: only text that evaluation does not read (titles, notes, comments, layout) differs, if anything.</p>`
            : nothing
        }
        ${c.sections.map(s => this._section(s))}
      </section>
      <section data-testid="impact">
        <tp-amendment-impact .protocolId=${this.protocolId} .from=${c.from} .to=${c.to}></tp-amendment-impact>
      </section>
      <section aria-labelledby="lines-h" data-testid="line-diff">
        <h2 id="lines-h">YAML text</h2>
        ${
          c.counts.added + c.counts.removed === 0
            ? html`<p>The two YAML texts are identical.</p>`
            : html`<p class="counts">
                <span class="plus">+${c.counts.added}</span> line${c.counts.added === 1 ? '' : 's'} added,
                <span class="minus">−${c.counts.removed}</span> line${c.counts.removed === 1 ? '' : 's'} removed
              </p>
              ${this._lines(c)}`
        }
      </section>`
  }

  private _section(s: DiffSection) {
    return html`<section class="card" aria-labelledby="sec-${s.key}" data-section=${s.key}>
      <h3 id="sec-${s.key}">${s.title}${s.items.length ? ` (${s.items.length})` : ''}</h3>
      ${
        s.items.length
          ? html`<ul class="items">
            ${s.items.map(item => this._item(item))}
          </ul>`
          : html`<p class="note">No change.</p>`
      }
    </section>`
  }

  private _item(item: ItemLine) {
    const tag = STATUS_WORDS[item.status]
    return html`<li data-item=${item.id} data-status=${item.status}>
      <span class="tag ${item.status}"><span aria-hidden="true">${tag.symbol}</span> ${tag.word}</span>
      <span class="item-id">${item.id}</span>${item.name ? html` — ${item.name}` : nothing}
      ${
        item.changes.length
          ? html`<ul class="changes">
            ${item.changes.map(
              ch => html`<li data-kind=${ch.kind}>
                <span class="kind">${KIND_WORDS[ch.kind]}:</span> ${ch.subject} <del>${ch.before}</del> <span aria-label="to">→</span> <ins>${ch.after}</ins>
                <code class="path">${ch.paths.join(', ')}</code>
              </li>`,
            )}
          </ul>`
          : nothing
      }
      ${item.usedBy?.length ? html`<div class="used">Read by ${item.usedBy.join(', ')}.</div>` : nothing}
    </li>`
  }

  private _lines(c: Comparison) {
    return html`<div class="lines">
      <table class="diff">
        <caption class="visually-hidden">Line diff of version ${c.from} (old line numbers) and version ${c.to} (new line numbers)</caption>
        <colgroup><col class="no" /><col class="no" /><col class="mark" /><col /></colgroup>
        <thead class="visually-hidden">
          <tr><th scope="col">v${c.from} line</th><th scope="col">v${c.to} line</th><th scope="col">Change</th><th scope="col">Text</th></tr>
        </thead>
        <tbody>
          ${c.segments.map(seg =>
            seg.type === 'gap' && !this._open.has(seg.id)
              ? html`<tr class="gap">
                  <td colspan="4">
                    <button type="button" class="secondary" data-gap=${seg.id} @click=${() => (this._open = new Set([...this._open, seg.id]))}>
                      ⋯ Show ${seg.lines.length} unchanged lines (${seg.lines[0]!.newNo}–${seg.lines.at(-1)!.newNo})
                    </button>
                  </td>
                </tr>`
              : seg.lines.map(l => this._line(l)),
          )}
        </tbody>
      </table>
    </div>`
  }

  private _line(l: DiffLine) {
    const mark = l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ''
    return html`<tr class=${l.kind}>
      <td class="no">${l.oldNo ?? ''}</td>
      <td class="no">${l.newNo ?? ''}</td>
      <td class="mark"><span aria-hidden="true">${mark}</span>${l.kind === 'same' ? nothing : html` <span class="visually-hidden">${l.kind}</span>`}</td>
      <td class="text">${l.text}</td>
    </tr>`
  }
}
customElements.define('tp-protocol-compare', TpProtocolCompare)

declare global {
  interface HTMLElementTagNameMap {
    'tp-protocol-compare': TpProtocolCompare
  }
}
