const entries = ['engine/index.ts', 'engine/study.ts', 'engine/describe/index.ts', 'engine/diff/index.ts', 'engine/match/index.ts', 'engine/fhir/index.ts', 'engine/fast/index.ts', 'engine/calculators/index.ts']
const out: Record<string, string[]> = {}
for (const e of entries) out[e] = Object.keys(await import('./' + e))
console.log(JSON.stringify(out))
