/** `npm run token` as a program: ../token.ts on the process's streams, its result the exit code. */
import { main } from '../token.ts'

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
