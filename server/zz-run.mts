import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { runProtocolExamples } from './workers/protocol-tasks.ts'
const yaml = readFileSync('protocols/nct05631717.yaml', 'utf8')
const text = readFileSync('protocols/nct05631717.examples.yaml', 'utf8')
const row = { protocol_id: 'nct05631717', version: 1, yaml, content_hash: 'abc', author: 'x', created_at: '', change_note: '' }
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 200 }); await s.post('Profiler.start')
const t = performance.now()
await runProtocolExamples({ protocol: row, examples: { text, file: 'examples', version: 1 } })
console.log('first', (performance.now() - t).toFixed(0), 'ms')
const { profile } = await s.post('Profiler.stop')
writeFileSync('/tmp/first.cpuprofile', JSON.stringify(profile))
