// vitest's settings: the suite in three layers (projects; the unit layer in two), run alone with
// `npm run test:unit|test:integration|test:browser`
// or together with `npm test`. See ARCHITECTURE.md "## Tests".
import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

/** The browser layer: the web UI driven through Chromium (one server and one Chromium for every file). */
const BROWSER = ['test/web/e2e*.test.ts']
/** The integration layer: the HTTP app and its store, the real server process, the command line. */
const INTEGRATION = ['test/server/**/*.test.ts', 'test/engine/cli/**/*.test.ts']
/**
 * The route tests run again on the PostgreSQL store where a cluster is given (TEST_DATABASE_URL; `.ci/run`
 * starts one): every file whose apps come from testApp() (their few tests of SQLite files still open SQLite) but the fuzzer
 * and the streamed screen, which write nothing and read only tokens; the files left out test SQLite files, the server
 * process, or no store at all (postgres-instances, postgres-outage and db-transfer cover PostgreSQL there).
 */
const ROUTES_ON_POSTGRES = [
  'protocol-status',
  'tokens',
  'idempotency',
  'subject-record',
  'blinding',
  'examples',
  'http-hardening',
  'fhir',
  'describe-route',
  'protocols',
  'routes-subjects',
  'routes-log-audit',
  'subjects-series',
  'roles',
  'impact',
  'screening-funnel',
  'audited-reads',
  'routes-batch',
  'match',
  'me',
  'engine-query',
  'explain-query',
  'plausible-values',
].map(name => `test/server/${name}.test.ts`)

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // a worker per core: vitest's default for `run` is one fewer, which on a 2-core machine ran every file one after another
    maxWorkers: availableParallelism(),
    // the generated schema validators (850 kB of plain JavaScript, engine/schema/build-validators.ts) are imported by
    // Node as they are: Vite's transform of them cost each worker about half a second and changes nothing
    server: { deps: { external: [/engine\/schema\/validators\.generated\.js$/] } },
    env: {
      // test files share two cores: an app's CPU budget (server/workers/cpu-pool.ts) is tested at its default
      // by the resilience test, against a server of its own; elsewhere a loaded machine must not trip it
      CPU_BUDGET_MS: '30000',
      // one pool thread per test file's app: test files already run in parallel on every core
      CPU_THREADS: '1',
      // servers started by the tests (and their children) skip the edit loop's warm-up: a second of CPU each
      WARM_UP: '0',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // the engine's pure functions: one module graph per worker process (isolate: false), as what they keep between
          // calls is keyed by content (compiled-protocol WeakMaps, engine/load/content-cache.ts); importing the engine
          // afresh for each of ~80 files cost more than running their tests
          include: ['test/engine/**/*.test.ts'],
          exclude: INTEGRATION,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'unit-web',
          // the web components under happy-dom (the API answered in process), threads starting faster than processes;
          // one module graph and window per worker (isolate: false), each file starting as a fresh page (fresh-page.ts
          // clears the DOM, storage and what a page fetches once)
          include: ['test/web/**/*.test.ts'],
          exclude: BROWSER,
          pool: 'threads',
          isolate: false,
          setupFiles: ['test/web/fresh-page.ts'],
        },
      },
      {
        extends: true,
        // each file builds its own app, store and servers (temporary data dirs); the modules are shared (isolate: false)
        test: { name: 'integration', include: INTEGRATION, isolate: false },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [{ extends: true, test: { name: 'integration-postgres', include: ROUTES_ON_POSTGRES, isolate: false, env: { TEST_STORE: 'postgres' } } }]
        : []),
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          // builds web/dist, starts the server and Chromium once and hands their addresses to every file (inject)
          globalSetup: ['test/web/global-setup.ts'],
          // the files drive Chromium from node and keep nothing in their shared modules (playwright's client, the
          // helpers): one module graph per worker, as importing playwright and the engine afresh per file cost seconds
          isolate: false,
          // no maxWorkers of its own: projects run together only with one worker count
        },
      },
    ],
  },
})
