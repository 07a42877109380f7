/**
 * Child process of cohort.bench.ts: the CLI's `cohort` command on an OMOP
 * source (stdout discarded by the parent), then the wall time and this
 * process's peak RSS on stderr as `BENCH {...}`.
 *
 *   tsx test/bench/cohort-child.ts <protocol.yaml> <DuckDB file>
 */
import { cohortCommand } from '../../engine/cli/cohort.ts'

const [protocol, source] = process.argv.slice(2)
const t0 = process.hrtime.bigint()
const code = await cohortCommand(protocol!, { omop: source }, { stdout: process.stdout, stderr: process.stderr })
const ms = Number(process.hrtime.bigint() - t0) / 1e6
// resourceUsage().maxRSS is in kilobytes
process.stderr.write(`BENCH ${JSON.stringify({ code, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
