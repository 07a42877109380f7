/**
 * Mapping rates of the FHIR import on a generated corpus, per kind of item:
 * mapped by code, by name, kept unrecognised, taken as outside the
 * dictionary, or not imported; and the item texts still unmapped.
 *
 *   npx tsx test/helpers/fhir-corpus/mapping-report.ts [count=200] [seed=1]
 */
import { importFhirBundle } from '../../../engine/fhir/index.ts'
import type { FhirImport } from '../../../engine/index.ts'
import { generateCorpus } from './index.ts'
import type { TruthItem } from './types.ts'

type Fate = 'code' | 'name' | 'kept' | 'outside' | 'not imported'

function fateOf(result: FhirImport, item: TruthItem): Fate {
  const under = (p: string) => p === item.path || p.startsWith(`${item.path}.`) || p.startsWith(`${item.path}[`)
  const mapped = result.mapped.filter(m => under(m.path))
  if (mapped.some(m => m.match === 'code')) return 'code'
  if (mapped.some(m => m.match === 'name' || m.match === 'field')) return 'name'
  const unmapped = result.unmapped.filter(u => under(u.path))
  if (unmapped.some(u => u.kept)) return 'kept'
  if (unmapped.some(u => u.reason === 'OUTSIDE_DICTIONARY')) return 'outside'
  return 'not imported'
}

const count = Number(process.argv[2] ?? 200)
const seed = Number(process.argv[3] ?? 1)
const corpus = generateCorpus(count, seed)
const table = new Map<string, Record<Fate, number>>()
const leftovers = new Map<string, number>()
let resources = 0
let unmappedResources = 0
for (const g of corpus) {
  const result = importFhirBundle(g.bundle)
  resources += (g.bundle.entry as unknown[]).length
  unmappedResources += new Set(result.unmapped.filter(u => !u.imported).map(u => u.path)).size
  for (const item of g.truth) {
    if (item.kind === 'birth_date') continue
    const key = `${item.kind}${item.exclusionRelevant ? ' (exclusion-relevant)' : ''}`
    const row = table.get(key) ?? { code: 0, name: 0, kept: 0, outside: 0, 'not imported': 0 }
    const fate = fateOf(result, item)
    row[fate]++
    table.set(key, row)
    if (fate === 'kept' || fate === 'outside' || fate === 'not imported')
      leftovers.set(`${item.kind} ${fate}: ${item.display} (${item.code})`, (leftovers.get(`${item.kind} ${fate}: ${item.display} (${item.code})`) ?? 0) + 1)
  }
}

const pct = (n: number, total: number) => (total === 0 ? '-' : `${((100 * n) / total).toFixed(1)} %`)
console.log(
  `${count} bundles (seed ${seed}), ${resources} entries, ${unmappedResources} not imported at all (unsupported resources such as Encounter, Claim)\n`,
)
console.log(['kind'.padEnd(38), 'items', 'by code', 'by name', 'kept unrec.', 'outside dict.', 'not imported'].join(' | '))
for (const [kind, row] of [...table].sort()) {
  const total = Object.values(row).reduce((a, b) => a + b, 0)
  console.log(
    [
      kind.padEnd(38),
      String(total).padStart(5),
      pct(row.code, total),
      pct(row.name, total),
      pct(row.kept, total),
      pct(row.outside, total),
      pct(row['not imported'], total),
    ].join(' | '),
  )
}
console.log('\nNot mapped to a dictionary entry (kept unrecognised, outside the dictionary or not imported), by frequency:')
for (const [text, n] of [...leftovers].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(5)}  ${text}`)
