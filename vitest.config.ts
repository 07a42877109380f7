// vitest's settings: the suite in three layers (projects), run alone with `npm run test:unit|test:integration|test:browser`
// or together with `npm test`. See ARCHITECTURE.md "## Tests".
import { defineConfig } from 'vitest/config'

/** The browser layer: the web UI driven through Chromium (one server and one Chromium for every file). */
const BROWSER = ['test/web/e2e*.test.ts']
/** The integration layer: the HTTP app and its store, the real server process, the command line. */
const INTEGRATION = ['test/server/**/*.test.ts', 'test/engine/cli/**/*.test.ts']

export default defineConfig({
  test: {
    testTimeout: 60_000,
    env: {
      // test files share two cores: an app's CPU budget (server/workers/cpu-pool.ts) is tested at its default
      // by the resilience test, against a server of its own; elsewhere a loaded machine must not trip it
      CPU_BUDGET_MS: '30000',
      // one pool thread per test file's app: test files already run in parallel on every core
      CPU_THREADS: '1',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // the engine's pure functions and the web components under happy-dom (the API answered in process):
          // no server process, no browser
          include: ['test/engine/**/*.test.ts', 'test/web/**/*.test.ts'],
          exclude: [...INTEGRATION, ...BROWSER],
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: INTEGRATION },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          // builds web/dist, starts the server and Chromium once and hands their addresses to every file (inject)
          globalSetup: ['test/web/global-setup.ts'],
          // no maxWorkers of its own: projects run together only with one worker count (vitest's default, at most the cores)
        },
      },
    ],
  },
})
