import { describe, expect, it } from 'vitest'
import { compileProtocol, examplePatient, type ProtocolDocument } from '../../../engine/index.ts'
import { matchPatient, rankMatchRows } from '../../../engine/match/index.ts'
import { att, exclusion, inclusion, patientWith, protocolWith } from '../../helpers/protocol-builder.ts'
import { shippedProtocols } from '../../helpers/protocols.ts'

/** A protocol named `id` whose inclusions need each attestation in `needs` and whose exclusion is a6. */
function trial(id: string, needs: Array<'a1' | 'a2' | 'a3' | 'a4'>): ProtocolDocument {
  const doc = protocolWith([...needs.map((a, i) => inclusion(att(a), `IN0${i + 1}`)), exclusion(att('a6'), 'EX01')])
  return { ...doc, protocol: { ...doc.protocol, registry_id: id, title: `trial ${id}` } }
}

const targets = (docs: ProtocolDocument[]) => docs.map(d => ({ compiled: compileProtocol(d), key: d.protocol.registry_id.toLowerCase() }))

describe('matchPatient', () => {
  it('ranks eligible, then undetermined by fewest missing facts, then ineligible by fewest failing criteria', async () => {
    const docs = [
      trial('T-FAIL2', ['a1', 'a2']), // a1 and a2 false → 2 failing
      trial('T-MISS2', ['a3', 'a4']), // both unanswered → 2 missing
      trial('T-OK', ['a5' as 'a1']), // a5 yes
      trial('T-FAIL1', ['a1']), // 1 failing
      trial('T-MISS1', ['a3']), // 1 missing
    ]
    const patient = patientWith({ a1: false, a2: false, a5: true, a6: false })
    const rows = await matchPatient(targets(docs), patient)
    expect(rows.map(r => [r.rank, r.registry_id, r.overall])).toEqual([
      [1, 'T-OK', 'eligible'],
      [2, 'T-MISS1', 'undetermined'],
      [3, 'T-MISS2', 'undetermined'],
      [4, 'T-FAIL1', 'ineligible'],
      [5, 'T-FAIL2', 'ineligible'],
    ])
    expect(rows[1]!.missing.map(m => m.key)).toEqual(['attestations.a3'])
    expect(rows[2]!.missing).toHaveLength(2)
    expect(rows[4]!.failing.map(c => c.id)).toEqual(['IN01', 'IN02'])
    expect(rows[4]!.failing[0]).toMatchObject({ title: 'test criterion IN01', reason: expect.any(String) })
    expect(rows[0]).toMatchObject({ key: 't-ok', counts: { passed: 2, failed: 0, unknown: 0, total: 2 } })
    expect(rows[3]!.counts).toEqual({ passed: 1, failed: 1, unknown: 0, total: 2 })
  })

  it('an ineligible trial with an undecided criterion ranks after one ruled out by the same number of failures alone', async () => {
    const patient = patientWith({ a1: false, a6: false })
    const rows = await matchPatient(targets([trial('T-A', ['a1', 'a3']), trial('T-B', ['a1'])]), patient)
    expect(rows.map(r => r.registry_id)).toEqual(['T-B', 'T-A'])
    expect(rows[1]!.undecided.map(c => c.id)).toEqual(['IN02'])
  })

  it('ties keep a stable order by registry id', async () => {
    const rows = await matchPatient(targets([trial('T-Z', ['a1']), trial('T-M', ['a1'])]), patientWith({ a1: true, a6: false }))
    expect(rows.map(r => r.registry_id)).toEqual(['T-M', 'T-Z'])
  })

  it('an exclusion met rules a trial out even when everything else is eligible', async () => {
    const rows = await matchPatient(targets([trial('T-X', ['a1'])]), patientWith({ a1: true, a6: true }))
    expect(rows[0]).toMatchObject({ overall: 'ineligible', failing: [expect.objectContaining({ id: 'EX01' })] })
  })

  it('rankMatchRows does not reorder its input array', () => {
    const row = (id: string, overall: 'eligible' | 'ineligible') => ({ registry_id: id, overall, missing: [], failing: [], undecided: [] }) as never
    const input = [row('B', 'ineligible'), row('A', 'eligible')]
    expect(rankMatchRows(input).map((r: { registry_id: string }) => r.registry_id)).toEqual(['A', 'B'])
    expect(input.map((r: { registry_id: string }) => r.registry_id)).toEqual(['B', 'A'])
  })

  it('matches a shipped example patient across every shipped protocol, NCT05631717 eligible', async () => {
    const shipped = shippedProtocols()
    const nct = shipped.find(p => p.doc.protocol.registry_id === 'NCT05631717')!
    const patient = examplePatient(nct.examples!, 'eligible-baseline')
    const rows = await matchPatient(
      shipped.map(p => ({ compiled: compileProtocol(p.doc) })),
      patient,
    )
    expect(rows).toHaveLength(shipped.length)
    expect(rows.find(r => r.registry_id === 'NCT05631717')).toMatchObject({ overall: 'eligible', failing: [], missing: [] })
    // every row explains itself: a verdict per criterion
    for (const r of rows) expect(r.verdict.criteria.length).toBe(r.counts.total)
  })
})
