// The entry of a pool thread (cpu-pool.ts). The server runs from TypeScript
// source through tsx, whose loader Node 20 registers on the main thread only:
// the thread registers it (tsx's API) before importing the TypeScript worker.
import { register } from 'tsx/esm/api'

register()
const { default: runTask } = await import('./cpu-worker.ts')
export default runTask
