/**
 * What a cohort over OMOP rows should count: the engine's funnel over the
 * same patients as their rows hold them (omop-event-rows.ts heldByOmop),
 * each criterion SQL does not express taken as unknown.
 */
import type { CompiledProtocol, PatientRecord } from '../../engine/index.ts'
import { compileFast } from '../../engine/fast/index.ts'
import { overallOf } from '../../engine/evaluate/kleene.ts'
import { FunnelCounter, type Funnel } from '../../engine/screening/funnel.ts'
import { compileSql } from '../../engine/sql/compile-sql.ts'
import { heldByOmop } from '../../engine/sql/omop-event-rows.ts'

export function engineFunnelAsSql(compiled: CompiledProtocol, patients: readonly PatientRecord[]): Funnel {
  const query = compileSql(compiled)
  const fast = compileFast(compiled)
  const funnel = new FunnelCounter(compiled.criteria)
  for (const p of patients) {
    const v = fast.screen(heldByOmop(p, compiled.dictionary))
    const criteria = v.criteria.map((c, i) => (query.criteria[i]!.unsupported.length ? { id: c.id, outcome: 'unknown' as const } : c))
    funnel.add({ overall: overallOf(criteria).overall, criteria })
  }
  return funnel.result()
}
