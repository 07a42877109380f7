/**
 * The YAML editor, loaded lazily (`import('./codemirror.ts')`) so that
 * CodeMirror is not part of the shell's initial JavaScript.
 */
import { EditorState } from '@codemirror/state'
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view'
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from '@codemirror/language'
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint'
import { yaml } from '@codemirror/lang-yaml'
import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete'
import type { PlacedDiagnostic } from './diagnostics.ts'
import { SchemaIndex, completeYaml, type JsonSchema } from './schema-completion.ts'

export interface YamlEditorOptions {
  doc: string
  /** Accessible name of the editing area. */
  label: string
  readOnly?: boolean
  /** Called with the whole text after each change. */
  onChange?: (text: string) => void
  /**
   * JSON-Schema completion (Ctrl-Space, or as a key is typed): the schemas,
   * fetched on first use, the first being the document's; the others are
   * those it `$ref`s.
   */
  schemas?: () => Promise<JsonSchema[]>
}

export interface YamlEditor {
  readonly view: EditorView
  text(): string
  setText(text: string): void
  /** Squiggles and gutter marks for diagnostics placed in the current text. */
  showDiagnostics(placed: readonly PlacedDiagnostic[]): void
  /** Put the cursor at an offset, scroll it into view and focus the editor. */
  goTo(offset: number): void
  destroy(): void
}

const theme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid #8a94a3', borderRadius: '4px', background: '#fff', height: '100%' },
  '&.cm-focused': { outline: '3px solid #1d5fd1', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', overflow: 'auto' },
  '.cm-gutters': { background: '#f1f3f6', borderRight: '1px solid #d5dae1', color: '#4a5360' },
})

/**
 * A CodeMirror completion source over {@link completeYaml}. The schemas are
 * fetched as the editor opens, so that the first Ctrl-Space does not wait
 * for them; a failed fetch is tried again at the next request.
 */
function schemaCompletionSource(load: () => Promise<JsonSchema[]>) {
  const start = () =>
    load().then(
      schemas => {
        const root = schemas[0]
        return typeof root === 'object' && typeof root.$id === 'string' ? { index: new SchemaIndex(schemas), rootId: root.$id } : undefined
      },
      () => {
        index = undefined // completion is a help, not a blocker: no list until the schemas arrive
        return undefined
      },
    )
  let index: ReturnType<typeof start> | undefined = start()
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    index ??= start()
    const ready = await index
    if (!ready) return null
    const list = completeYaml(ready.index, ready.rootId, context.state.doc.toString(), context.pos)
    if (!list) return null
    if (!context.explicit) {
      // typing a space or a line break is no request for a list: wait for a character, or Ctrl-Space;
      // and a word typed in full is done: Enter must then start a new line, not re-insert it
      const typed = context.state.sliceDoc(list.from, context.pos)
      if (typed === '' || list.options.some(o => o.label === typed)) return null
    }
    // no validFor: asked again at each keystroke (cheap), so that a word typed in full closes the list
    return { from: list.from, options: list.options }
  }
}

/** Create an editor inside `parent`. */
export function createYamlEditor(parent: HTMLElement, options: YamlEditorOptions): YamlEditor {
  const view = new EditorView({
    parent,
    // inside a shadow root CodeMirror must put its styles there, not in the document
    root: parent.getRootNode() as Document | ShadowRoot,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        lineNumbers(),
        foldGutter(),
        lintGutter(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        yaml(),
        // long registry texts wrap: no sideways scrolling, and nothing is cut off on a phone
        EditorView.lineWrapping,
        ...(options.schemas ? [autocompletion({ override: [schemaCompletionSource(options.schemas)], icons: true })] : []),
        // Tab is left to the browser (focus moves on), so the editor is no keyboard trap
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
        EditorState.tabSize.of(2),
        EditorState.readOnly.of(options.readOnly ?? false),
        // an explicit tab stop: the scroller then holds focusable content (axe scrollable-region-focusable), read-only or not
        EditorView.contentAttributes.of({ 'aria-label': options.label, tabindex: '0' }),
        EditorView.updateListener.of(u => {
          if (u.docChanged) options.onChange?.(u.state.doc.toString())
        }),
        theme,
      ],
    }),
  })
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } })
    },
    showDiagnostics(placed) {
      const len = view.state.doc.length
      const diagnostics: CmDiagnostic[] = placed.map(d => ({
        from: Math.min(d.from, len),
        to: Math.min(d.to, len),
        severity: d.severity,
        source: d.code,
        message: d.message,
      }))
      view.dispatch(setDiagnostics(view.state, diagnostics))
    },
    goTo(offset) {
      const at = Math.min(offset, view.state.doc.length)
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: 'center' }) })
      view.focus()
    },
    destroy: () => view.destroy(),
  }
}
