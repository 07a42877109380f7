/**
 * `npm test` after its preflight: the type check (`tsc --noEmit`) and the
 * whole suite (`vitest run`, with any arguments given) side by side on the
 * same cores, rather than one after the other: the suite does not wait 20 s
 * for the type check. The type check's output is printed once the suite's
 * is done; the exit code is the first failure's (the suite's, then the
 * type check's), so either failing fails `npm test`.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'

const bin = (name: string) => join(import.meta.dirname, '..', 'node_modules', '.bin', name)

let typeCheckOutput = ''
const typeCheck = new Promise<number>(resolve => {
  const tsc = spawn(bin('tsc'), ['--noEmit'], { stdio: ['ignore', 'pipe', 'pipe'] })
  tsc.stdout.on('data', (d: Buffer) => (typeCheckOutput += d.toString()))
  tsc.stderr.on('data', (d: Buffer) => (typeCheckOutput += d.toString()))
  tsc.once('error', e => {
    typeCheckOutput += `${e.message}\n`
    resolve(1)
  })
  tsc.once('exit', code => resolve(code ?? 1))
})

const suite = await new Promise<number>(resolve => {
  const vitest = spawn(bin('vitest'), ['run', ...process.argv.slice(2)], { stdio: 'inherit' })
  vitest.once('error', () => resolve(1))
  vitest.once('exit', code => resolve(code ?? 1))
})

const typeChecked = await typeCheck
if (typeChecked === 0) process.stdout.write('Type check (tsc --noEmit): no errors\n')
else process.stderr.write(`\nType check (tsc --noEmit) failed:\n${typeCheckOutput}\n`)
process.exitCode = suite !== 0 ? suite : typeChecked
