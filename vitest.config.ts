// vitest's settings beside package.json's test command (which names the folder and the per-test timeout).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    env: {
      // test files share two cores: an app's CPU budget (server/workers/cpu-pool.ts) is tested at its default
      // by the resilience test, against a server of its own; elsewhere a loaded machine must not trip it
      CPU_BUDGET_MS: '30000',
      // one pool thread per test file's app: test files already run in parallel on every core
      CPU_THREADS: '1',
    },
  },
})
