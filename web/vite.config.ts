/**
 * Vite config for the web UI. Lives in web/ so the repository's top level
 * stays as it is; `root` is this folder and the build goes to web/dist, which
 * server/static.ts serves at `/`, with a precompressed .br and .gz beside each
 * text file (web/precompress.ts).
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { precompress } from './precompress.ts'

const root = fileURLToPath(new URL('.', import.meta.url))
const apiTarget = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`

/** First path segments of the API (server/app.ts); the dev server forwards them. */
export const API_PREFIXES = [
  '/protocols',
  '/subjects',
  '/validate',
  '/screening-log',
  '/audit',
  '/health',
  '/openapi.json',
  '/docs',
  '/me',
  '/match',
  '/fhir',
  '/dictionary',
  '/schemas',
  '/tokens',
]

export default defineConfig({
  root,
  base: '/',
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // the editor chunk (CodeMirror) is lazy and is expected to be larger than the shell
    chunkSizeWarningLimit: 600,
    reportCompressedSize: true,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: Object.fromEntries(API_PREFIXES.map(p => [p, { target: apiTarget, changeOrigin: false }])),
  },
})
