/**
 * Vite entry: registers the shell. Everything else the shell needs is
 * imported by it; the editor (CodeMirror) loads lazily when opened.
 */
import './components/tp-app.ts'
