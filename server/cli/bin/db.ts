/** `npm run db` as a program: ../db.ts on the process's streams, its result the exit code. */
import { main } from '../db.ts'

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
