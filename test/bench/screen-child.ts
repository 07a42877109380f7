/**
 * Child process of fast.bench.ts: screen an NDJSON file with the CLI's own
 * command (stdout discarded by the parent), then report the wall time and
 * this process's peak RSS on stderr as `BENCH {...}`.
 *
 *   tsx test/bench/screen-child.ts <protocol.yaml> <records.ndjson> [workers]
 */
import { screenCommand } from '../../engine/cli/screen.ts'

const [protocol, file, workers] = process.argv.slice(2)
const t0 = process.hrtime.bigint()
const code = await screenCommand(protocol!, file, { funnel: true, ...(workers ? { workers } : {}) }, { stdout: process.stdout, stderr: process.stderr })
const ms = Number(process.hrtime.bigint() - t0) / 1e6
// resourceUsage().maxRSS is in kilobytes
process.stderr.write(`BENCH ${JSON.stringify({ code, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
