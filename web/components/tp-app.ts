import { LitElement, css, html, nothing } from 'lit'
import { formatRegistryId } from '../format.ts'
import { ProblemError, getToken, may, roleOf, setToken, type Role } from '../api.ts'
import { getProtocolStatus, openToClinicians, type ProtocolStatus } from '../api/protocol-status.ts'
import { base } from '../styles.ts'
import './tp-problem.ts'
import './tp-protocol-library.ts'
import './tp-protocol-editor.ts'
import './tp-patient-evaluator.ts'
import './tp-protocol-create.ts'
import './tp-protocol-compare.ts'
import './tp-rule-inspector.ts'
import './tp-subject-list.ts'
import './tp-subject-page.ts'
import './tp-study-dashboard.ts'
import './tp-patient-match.ts'

/** Screens of one protocol, in the order of its tab bar. */
const PROTOCOL_SCREENS = ['edit', 'rules', 'evaluate', 'subjects', 'dashboard', 'compare'] as const
type ProtocolScreen = (typeof PROTOCOL_SCREENS)[number]

/** Screens, from the location hash: `#/protocols`, `#/protocols/new`, `#/protocols/<id>/<screen>[?query]`, `#/subjects/<sid>`. */
export type Route =
  | { name: 'library' }
  | { name: 'new' }
  | { name: 'match' }
  | { name: ProtocolScreen; id: string; query: URLSearchParams }
  | { name: 'subject'; sid: string }

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2)
  if (path === '/protocols/new') return { name: 'new' }
  if (path === '/match') return { name: 'match' }
  const p = /^\/protocols\/([^/]+)\/([a-z]+)$/.exec(path)
  if (p && (PROTOCOL_SCREENS as readonly string[]).includes(p[2]!))
    return { name: p[2] as ProtocolScreen, id: decodeURIComponent(p[1]!), query: new URLSearchParams(search) }
  const s = /^\/subjects\/([^/]+)$/.exec(path)
  if (s) return { name: 'subject', sid: decodeURIComponent(s[1]!) }
  return { name: 'library' }
}

/**
 * Whether the tab bar offers Evaluate: to a role that evaluates, for an
 * active protocol; a role that also edits protocols (admin) previews drafts
 * and retired ones too (server/routes/protocol-status.ts `mayUse`). While
 * the status loads it is not offered; when it cannot be read it is (the
 * screen then says why it is closed).
 */
export function offersEvaluate(role: Role, status: ProtocolStatus | 'unreadable' | undefined): boolean {
  if (!may.evaluate(role)) return false
  if (may.editProtocols(role)) return true
  return status === 'unreadable' || (status !== undefined && openToClinicians({ status }))
}

const SCREEN_LABELS: Record<ProtocolScreen, string> = {
  edit: 'Editor',
  rules: 'Rules',
  evaluate: 'Evaluate',
  subjects: 'Subjects',
  dashboard: 'Dashboard',
  compare: 'Compare versions',
}

/**
 * The application shell: sign-in with a token (kept in sessionStorage for
 * this tab), the signed-in role with sign-out, navigation, and the screen
 * named by the location hash. What the role may not do is not offered.
 */
export class TpApp extends LitElement {
  static override properties = {
    _token: { state: true },
    _role: { state: true },
    _route: { state: true },
    _signInError: { state: true },
    _checking: { state: true },
    _status: { state: true },
  }

  declare _token: string | undefined
  declare _role: Role | undefined
  declare _route: Route
  declare _signInError: unknown
  declare _checking: boolean
  /** The status of the protocol of the route (for the tab bar); `status` undefined while it loads. */
  declare _status: { id: string; status: ProtocolStatus | 'unreadable' | undefined } | undefined

  constructor() {
    super()
    this._token = undefined
    this._role = undefined
    this._route = parseRoute(location.hash)
    this._signInError = undefined
    this._checking = false
    this._status = undefined
  }

  static override styles = [
    base,
    css`
      :host { display: block; min-height: 100vh; }
      .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem; z-index: 10; }
      .skip:focus { left: 0.5rem; }
      header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.25rem; padding: 0.6rem 1rem; background: #14324f; color: #fff; }
      header a { color: #fff; }
      header .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
      nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
      nav a[aria-current='page'] { font-weight: 700; text-decoration-thickness: 3px; }
      .who { margin-left: auto; display: flex; align-items: center; gap: 0.6rem; }
      .role { background: #fff; color: #14324f; border-radius: 999px; padding: 0.1rem 0.6rem; font-size: 0.85rem; font-weight: 600; }
      header button { background: transparent; border-color: #fff; }
      header :focus-visible { outline-color: #ffd166; }
      main { padding: 1rem; max-width: 1400px; margin: 0 auto; }
      .tabs { max-width: 1400px; margin: 0 auto; padding: 0.5rem 1rem 0; }
      .tabs ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem; margin: 0; padding: 0; border-bottom: 1px solid var(--tp-line); }
      .tabs a { display: inline-block; padding: 0.35rem 0.75rem; border: 1px solid transparent; border-bottom: 0; border-radius: 4px 4px 0 0; }
      .tabs a[aria-current='page'] { border-color: var(--tp-line); background: #fff; font-weight: 700; margin-bottom: -1px; }
      .tabs .pid { font-family: ui-monospace, monospace; color: var(--tp-muted); margin-right: 0.5rem; }
      /* a printout carries the screen's content, not the app's navigation */
      @media print { header, .tabs, .skip { display: none; } main { padding: 0; } }
      .sign-in { max-width: 34rem; margin: 3rem auto; background: #fff; border: 1px solid var(--tp-line); border-radius: 6px; padding: 1.5rem; }
      .sign-in label { display: block; font-weight: 600; margin-bottom: 0.3rem; }
      .sign-in input { width: 100%; margin-bottom: 0.75rem; }
    `,
  ]

  private readonly _onHash = () => {
    this._route = parseRoute(location.hash)
  }

  override connectedCallback(): void {
    super.connectedCallback()
    window.addEventListener('hashchange', this._onHash)
    const token = getToken()
    if (token) void this._signIn(token)
  }

  override willUpdate(): void {
    const r = this._route
    if (this._role && 'id' in r && this._status?.id !== r.id) this._loadStatus(r.id)
  }

  private _loadStatus(id: string): void {
    this._status = { id, status: undefined }
    const settle = (status: ProtocolStatus | 'unreadable') => {
      if (this._status?.id === id) this._status = { id, status }
    }
    getProtocolStatus(id).then(
      info => settle(info.status),
      () => settle('unreadable'),
    )
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this._onHash)
    super.disconnectedCallback()
  }

  private async _signIn(token: string): Promise<void> {
    this._checking = true
    this._signInError = undefined
    try {
      const role = await roleOf(token)
      setToken(token)
      this._token = token
      this._role = role
    } catch (e) {
      setToken(undefined)
      this._token = undefined
      this._role = undefined
      this._signInError =
        e instanceof ProblemError && e.status === 401
          ? new ProblemError({ ...e, detail: `${e.detail}. Check that you pasted the whole token (it starts with “lnt_”).` })
          : e
    } finally {
      this._checking = false
    }
  }

  private _onSubmit(e: SubmitEvent): void {
    e.preventDefault()
    const input = (e.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement
    const token = input.value.trim()
    if (token) void this._signIn(token)
  }

  private _signOut(): void {
    setToken(undefined)
    this._token = undefined
    this._role = undefined
    location.hash = '#/protocols'
  }

  override render() {
    return html`
      <a class="skip" href="#main" @click=${this._skip}>Skip to content</a>
      <header>
        <a class="brand" href="#/protocols">LN trial rules</a>
        ${
          this._role
            ? html`<nav aria-label="Main">
                <ul>
                  <li><a href="#/protocols" aria-current=${this._route.name === 'library' ? 'page' : nothing}>Protocols</a></li>
                  ${
                    may.evaluate(this._role)
                      ? html`<li><a href="#/match" aria-current=${this._route.name === 'match' ? 'page' : nothing}>Match a patient</a></li>`
                      : nothing
                  }
                </ul>
              </nav>
              <div class="who">
                <span>Signed in as <span class="role" data-testid="role">${this._role}</span></span>
                <button type="button" @click=${this._signOut}>Sign out</button>
              </div>`
            : nothing
        }
      </header>
      ${this._role ? this._protocolTabs(this._role) : nothing}
      <main id="main" tabindex="-1">${this._role ? this._screen(this._role) : this._signInForm()}</main>
    `
  }

  private _skip(e: Event): void {
    e.preventDefault()
    this.renderRoot.querySelector<HTMLElement>('main')?.focus()
  }

  private _signInForm() {
    return html`<form class="sign-in" @submit=${this._onSubmit} aria-labelledby="sign-in-h">
      <h1 id="sign-in-h">Sign in</h1>
      <p class="note">Paste an access token. <code>npm start</code> prints the admin token on its first start; more with
        <code>npm run token -- create --role clinician --name alice</code>. It is kept only in this browser tab.</p>
      <label for="token">Access token</label>
      <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required placeholder="lnt_…" />
      <button type="submit" ?disabled=${this._checking}>${this._checking ? 'Checking…' : 'Sign in'}</button>
      <tp-problem .error=${this._signInError} context="Signing in"></tp-problem>
    </form>`
  }

  /** The tab bar of one protocol's screens, on every screen of a protocol; only the screens the role may use. */
  private _protocolTabs(role: Role) {
    const r = this._route
    if (!('id' in r)) return nothing
    const status = this._status?.id === r.id ? this._status.status : undefined
    const offered = PROTOCOL_SCREENS.filter(s => (s === 'evaluate' ? offersEvaluate(role, status) : true))
    return html`<nav class="tabs" aria-label="Protocol ${formatRegistryId(r.id)}">
      <ul>
        <li class="pid">${formatRegistryId(r.id)}</li>
        ${offered.map(
          s =>
            html`<li><a href="#/protocols/${encodeURIComponent(r.id)}/${s}" aria-current=${r.name === s ? 'page' : nothing}>${s === 'edit' && !may.editProtocols(role) ? 'YAML' : SCREEN_LABELS[s]}</a></li>`,
        )}
      </ul>
    </nav>`
  }

  private _screen(role: Role) {
    const r = this._route
    switch (r.name) {
      case 'evaluate':
        return html`<tp-patient-evaluator .protocolId=${r.id} .handoff=${r.query.get('record') ?? ''}></tp-patient-evaluator>`
      case 'edit':
        return html`<tp-protocol-editor .protocolId=${r.id} .canEdit=${may.editProtocols(role)} .draft=${r.query.get('draft') ?? ''}></tp-protocol-editor>`
      case 'rules':
        return html`<tp-rule-inspector .protocolId=${r.id}></tp-rule-inspector>`
      case 'compare':
        return html`<tp-protocol-compare .protocolId=${r.id} .from=${numberOrUndefined(r.query.get('from'))} .to=${numberOrUndefined(r.query.get('to'))}></tp-protocol-compare>`
      case 'subjects':
        return html`<tp-subject-list .protocolId=${r.id} .canManage=${may.manageSubjects(role)}></tp-subject-list>`
      case 'dashboard':
        return html`<tp-study-dashboard .protocolId=${r.id} .canEdit=${may.editProtocols(role)}></tp-study-dashboard>`
      case 'subject':
        return html`<tp-subject-page .subjectId=${r.sid} .canManage=${may.manageSubjects(role)}></tp-subject-page>`
      case 'match':
        return may.evaluate(role)
          ? html`<tp-patient-match></tp-patient-match>`
          : html`<p class="error">Matching a patient needs the clinician or admin role; you are signed in as ${role}.</p>`
      case 'new':
        return may.editProtocols(role)
          ? html`<tp-protocol-create></tp-protocol-create>`
          : html`<p class="error">Creating a protocol needs the designer or admin role; you are signed in as ${role}.</p>`
      default:
        return html`<tp-protocol-library .canEdit=${may.editProtocols(role)} .canEvaluate=${may.evaluate(role)} .canAdminister=${role === 'admin'}></tp-protocol-library>`
    }
  }
}

function numberOrUndefined(s: string | null): number | undefined {
  const n = s === null ? NaN : Number(s)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

customElements.define('tp-app', TpApp)

declare global {
  interface HTMLElementTagNameMap {
    'tp-app': TpApp
  }
}
