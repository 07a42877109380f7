/**
 * The real program (engine/cli/bin.ts in a child process), as `npm run cli`
 * runs it: the other CLI tests call main() in process, so these few keep the
 * entry point, the process's streams and its exit code covered.
 */
import { describe, expect, it } from 'vitest'
import { cliProcess } from '../../helpers/cli.ts'

const PROTOCOL = 'protocols/nct05631717.yaml'

// each case starts node + tsx: seconds on a busy machine
describe('the cli program', { timeout: 60_000 }, () => {
  it('success: output on stdout, exit 0', () => {
    const r = cliProcess(['validate', PROTOCOL])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^protocols\/nct05631717\.yaml: valid — \d+ criteria/)
  })

  it('failure: the exit code of the verdict (3 ineligible)', () => {
    const r = cliProcess(['eligibility', PROTOCOL, '--example', 'rituximab-167-days'])
    expect(r.code).toBe(3)
    expect(r.out).toMatch(/: INELIGIBLE\n/)
  })

  it('screen reads the process stdin with -; a line that is not a record: its error line, the funnel, exit 1', () => {
    const r = cliProcess(['screen', PROTOCOL, '-', '--funnel'], { input: '{"id": "broken", \n' })
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/"code":"E_NDJSON_LINE"/)
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/^\{"funnel":\{"records":1,/)
  })
})
