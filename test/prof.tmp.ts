import { readFileSync } from 'node:fs'
import { loadProtocol, loadExamples, compileProtocol, runExamples, parseYamlText } from '../engine/index.ts'
import { runSubjectExamples } from '../engine/study.ts'
const text = readFileSync('protocols/nct05631717.yaml', 'utf8')
const extext = readFileSync('protocols/nct05631717.examples.yaml', 'utf8')
for (let i = 0; i < 3; i++) {
  let t = performance.now(); const doc = loadProtocol(text).value!; const a = performance.now() - t
  t = performance.now(); const compiled = compileProtocol(doc); const b = performance.now() - t
  t = performance.now(); const ex = loadExamples(extext, doc).value!; const c = performance.now() - t
  t = performance.now(); await runExamples(compiled, ex); const d = performance.now() - t
  t = performance.now(); parseYamlText(extext); const e = performance.now() - t
  t = performance.now(); await runSubjectExamples(compiled, ex); const f = performance.now() - t
  console.log(`load ${a.toFixed(0)} compile ${b.toFixed(0)} loadEx ${c.toFixed(0)} run ${d.toFixed(0)} reparse ${e.toFixed(0)} subjects ${f.toFixed(0)}`)
}
