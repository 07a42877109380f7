/**
 * A subject form's way from "Record" to saved, shared by the visit and the
 * adverse-event forms: the form's own check first (nothing is sent while it
 * finds problems), then the request, then the saved message or the server's
 * problem. A Lit reactive controller: the host re-renders as the state moves.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit'
import '../components/tp-problem.ts'

export class FormSubmission<T> implements ReactiveController {
  /** What the form's own check found; nothing was sent. */
  errors: string[] = []
  /** The server's answer when it refused (a ProblemError) or the request failed. */
  problem: unknown = undefined
  saving = false
  /** The message after a save, e.g. "✓ Recorded week_4 on 2026-02-16." */
  saved = ''

  constructor(
    private readonly host: ReactiveControllerHost,
    /** What the form does, for the problem's heading ("Recording the visit"). */
    private readonly doing: string,
  ) {
    host.addController(this)
  }

  hostConnected(): void {}

  /**
   * @param checked the form's values checked: the request body, or the problems that stop it
   * @param send sends the body; resolves to the saved message
   * @returns whether it was saved
   */
  async submit(checked: { value?: T; errors: string[] }, send: (value: T) => Promise<string>): Promise<boolean> {
    this.errors = checked.errors
    this.problem = undefined
    this.saved = ''
    if (!checked.value) {
      this.host.requestUpdate()
      return false
    }
    this.saving = true
    this.host.requestUpdate()
    try {
      this.saved = await send(checked.value)
      return true
    } catch (error) {
      this.problem = error
      return false
    } finally {
      this.saving = false
      this.host.requestUpdate()
    }
  }

  /** The submit button (busy while saving), then the problems, the server's problem or the saved message. */
  render(label: string) {
    return html`<div class="actions"><button type="submit" ?disabled=${this.saving}>${this.saving ? 'Saving…' : label}</button></div>
      ${
        this.errors.length
          ? html`<div class="error" role="alert"><strong>Nothing was sent: the form has ${this.errors.length} problem${this.errors.length === 1 ? '' : 's'}</strong><ul>${this.errors.map(e => html`<li>${e}</li>`)}</ul></div>`
          : nothing
      }
      ${this.problem ? html`<tp-problem .error=${this.problem} context=${this.doing}></tp-problem>` : nothing}
      ${this.saved ? html`<p class="ok" role="status">${this.saved}</p>` : nothing}`
  }
}
