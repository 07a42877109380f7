/**
 * The import on 200 generated bundles shaped like Synthea R4 and US Core
 * 6.1 / 8.0 / 9.0 data, with real code systems and a ground truth per item:
 * no crash, and every exclusion-relevant item is either mapped to what it is
 * or kept unrecognised so that the criteria it could decide stay unknown.
 */
import { describe, expect, it } from 'vitest'
import { compileFast } from '../../../engine/fast/index.ts'
import {
  compileProtocol,
  defaultDictionary,
  resolveEntry,
  type FhirImport,
  type MedicationRecord,
  type PatientRecord,
  type UnrecognisedEntry,
} from '../../../engine/index.ts'
import { importFhirBundle } from '../../../engine/fhir/index.ts'
import { validateAgainstSchema } from '../../../engine/schema/validate.ts'
import { isSystemicRoute } from '../../../engine/dictionary/routes.ts'
import { addDays } from '../../helpers/fhir-corpus/dates.ts'
import { generateCorpus, type GeneratedBundle, type TruthItem } from '../../helpers/fhir-corpus/index.ts'
import { shippedProtocol } from '../../helpers/protocols.ts'

const corpus = generateCorpus(200)
const imported = corpus.map(g => ({ g, result: importFhirBundle(g.bundle) }))

const SECTION = { medication: 'medications', condition: 'conditions', procedure: 'procedures', vaccination: 'vaccinations' } as const
const DOMAIN = { medication: 'drugs', condition: 'conditions', procedure: 'procedures', vaccination: 'vaccines' } as const
type EventKind = keyof typeof SECTION

/** What the import did with the resource at a truth item's path: the record targets it went to and where it was kept. */
function fate(result: FhirImport, item: TruthItem) {
  const under = (p: string) => p === item.path || p.startsWith(`${item.path}.`) || p.startsWith(`${item.path}[`)
  return {
    targets: result.mapped.filter(m => under(m.path)).map(m => m.target),
    kept: result.unmapped.filter(u => under(u.path) && u.kept).map(u => u.kept!),
    dropped: result.unmapped.filter(u => under(u.path) && !u.kept && !u.imported),
    outside: result.unmapped.filter(u => under(u.path) && u.reason === 'OUTSIDE_DICTIONARY'),
  }
}

function at(record: PatientRecord, target: string): unknown {
  const m = /^(\w+)\[(\d+)\]$/.exec(target)
  if (!m) return undefined
  return (record as Record<string, unknown[] | undefined>)[m[1]!]?.[Number(m[2])]
}

function keptItem(record: PatientRecord, kept: string): UnrecognisedEntry | undefined {
  const m = /^unrecognised\.(\w+)\[(\d+)\]$/.exec(kept)
  return m ? (record.unrecognised as Record<string, UnrecognisedEntry[]> | undefined)?.[m[1]!]?.[Number(m[2])] : undefined
}

/** Whether an unrecognised item could be this concept (or any concept, when it says nothing). */
function couldBe(u: UnrecognisedEntry, kind: EventKind, concept: string): boolean {
  if (u.possibly === undefined) return true
  const entries = defaultDictionary[DOMAIN[kind]] as ReadonlyArray<{ id: string; classes: string[] }>
  const entry = entries.find(e => e.id === concept)
  return u.possibly.some(p => p === concept || (entry?.classes.includes(p) ?? false))
}

function entryText(kind: EventKind, e: unknown): string {
  const r = e as Record<string, string>
  return kind === 'medication' ? r.drug! : kind === 'vaccination' ? r.vaccine! : r.concept!
}

describe('FHIR import on a generated corpus of 200 bundles', () => {
  it('mixes Synthea and the three US Core profiles, and imports every bundle without a crash into a schema-valid record', () => {
    expect(new Set(corpus.map(g => g.profile))).toEqual(new Set(['synthea', 'us-core-6.1', 'us-core-8.0', 'us-core-9.0']))
    for (const { g, result } of imported) {
      expect(validateAgainstSchema('patient', result.record, undefined), g.id).toEqual([])
    }
  })

  it('every exclusion-relevant item is mapped to what it is or kept unrecognised as possibly it; none is dropped or called irrelevant', () => {
    let checked = 0
    for (const { g, result } of imported) {
      for (const item of g.truth) {
        if (!item.exclusionRelevant || !(item.kind in SECTION)) continue
        const kind = item.kind as EventKind
        const f = fate(result, item)
        const where = `${g.id} ${item.path} ${item.display}`
        expect(f.outside, where).toEqual([])
        expect(f.targets.length + f.kept.length, `${where}: neither mapped nor kept`).toBeGreaterThan(0)
        const wanted = item.concept ? [item.concept] : (item.ingredients ?? []).filter((i): i is string => i !== null)
        for (const concept of wanted) {
          const mappedTo = f.targets.map(t => resolveEntry(DOMAIN[kind], entryText(kind, at(result.record, t))))
          const asMapped = mappedTo.some(e => e && (e.id === concept || e.classes.includes(concept)))
          const asKept = f.kept.some(k => {
            const u = keptItem(result.record, k)
            return u !== undefined && couldBe(u, kind, concept)
          })
          expect(asMapped || asKept, `${where}: expected ${concept}, mapped to [${mappedTo.map(e => e?.id).join(', ')}], kept ${f.kept.length}`).toBe(true)
        }
        checked++
      }
    }
    expect(checked).toBeGreaterThan(200)
  })

  it('local products (ophthalmic, topical) are imported with their route and are not systemic exposure', () => {
    let local = 0
    for (const { g, result } of imported) {
      for (const item of g.truth.filter(t => t.kind === 'medication' && t.systemic === false)) {
        const f = fate(result, item)
        const routes = [
          ...f.targets.map(t => (at(result.record, t) as MedicationRecord | undefined)?.route),
          ...f.kept.map(k => keptItem(result.record, k)?.route),
        ]
        expect(routes.length, `${g.id} ${item.display}`).toBeGreaterThan(0)
        for (const r of routes) expect(isSystemicRoute(r), `${g.id} ${item.display}: route ${r}`).toBe(false)
        local++
      }
    }
    expect(local).toBeGreaterThan(0)
  })

  it('no patient with a malignancy or with B-cell depletion in the 24 weeks before screening reads as "not met" on EX07 / EX01a (NCT05631717)', () => {
    const fast = compileFast(compileProtocol(shippedProtocol('NCT05631717').doc))
    let malignant = 0
    let depleted = 0
    for (const { g, result } of imported) {
      const record: PatientRecord = {
        ...result.record,
        dates: { consent: g.screeningDate, screening: g.screeningDate, randomization: addDays(g.screeningDate, 14) },
      }
      const truth = (id: string) => fast.evaluate(record).criteria.find(c => c.id === id)!.truth
      if (g.truth.some(t => t.kind === 'condition' && t.exclusionRelevant && isMalignancy(t))) {
        malignant++
        expect(truth('EX07'), g.id).not.toBe('not_met')
      }
      if (
        g.truth.some(
          t => t.kind === 'medication' && isBCellDepleting(t) && t.date !== undefined && t.date >= addDays(g.screeningDate, -168) && t.date <= g.screeningDate,
        )
      ) {
        depleted++
        expect(truth('EX01a'), g.id).not.toBe('not_met')
      }
    }
    expect(malignant).toBeGreaterThan(0)
    expect(depleted).toBeGreaterThan(0)
  })
})

function isMalignancy(t: TruthItem): boolean {
  const entry = t.concept ? defaultDictionary.conditions.find(c => c.id === t.concept) : undefined
  return entry?.classes.includes('malignancy') ?? /malignan|carcinoma|cancer|neoplasm|metasta/i.test(t.display)
}

function isBCellDepleting(t: TruthItem): boolean {
  const entry = t.concept ? defaultDictionary.drugs.find(d => d.id === t.concept) : undefined
  return (entry?.classes.includes('b_cell_depleting') ?? false) && t.systemic !== false
}

export type { GeneratedBundle }
