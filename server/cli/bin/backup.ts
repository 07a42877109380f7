/** `npm run backup` as a program: ../backup.ts on the process's streams, its result the exit code. */
import { main } from '../backup.ts'

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
