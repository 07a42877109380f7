/** `npm run audit` as a program: ../audit.ts on the process's streams, its result the exit code. */
import { main } from '../audit.ts'

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
