/** The command line as a program (`npm run cli -- <args>`): main.ts on the process's streams, its result the exit code. */
import { main } from './main.ts'

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin })
