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
import type { PlacedDiagnostic } from './diagnostics.ts'

export interface YamlEditorOptions {
  doc: string
  /** Accessible name of the editing area. */
  label: string
  readOnly?: boolean
  /** Called with the whole text after each change. */
  onChange?: (text: string) => void
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
        // Tab is left to the browser (focus moves on), so the editor is no keyboard trap
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorState.tabSize.of(2),
        EditorState.readOnly.of(options.readOnly ?? false),
        EditorView.contentAttributes.of({ 'aria-label': options.label }),
        EditorView.updateListener.of((u) => {
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
      const diagnostics: CmDiagnostic[] = placed.map((d) => ({
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
