/**
 * Event leaves (`medication`, `condition`, `procedure`, `vaccination`) in
 * SQL over OMOP event rows (omop.ts says how they are read), judged as
 * facts/events.ts judges record entries, three-valued:
 *
 * - membership: a row whose concept is under a selected entry's code (and
 *   under no plainly excepted one) is in the selection; under another entry
 *   of the table's dictionaries, not; under none, unrecognised (may be);
 *   a drug by a route that is not systemic is never exposure;
 * - in the window: the row's period overlaps it (dates.ts intervalsOverlap,
 *   a missing date unknown);
 * - a row in both is a definite match, a row in neither is nothing, any
 *   other row a possible one; with neither, absence decides by the
 *   observation period.
 *
 * Not expressed (reported): field filters (severity, treated...), which the
 * CDM's event tables do not hold; exceptions that depend on the outcome;
 * dose changes; planned entries and visit windows.
 */
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { IrLeaf, ResolvedSelection } from '../compile/ir.ts'
import type { EntryBase } from '../dictionary/index.ts'
import { ROUTES } from '../dictionary/routes.ts'
import type { EventDomain, EventParams } from '../evaluate/facts/events.ts'
import type { Dialect } from './dialect.ts'
import { codesCondition, entryCodes, EVENT_SOURCE, familyCodes, type Code } from './event-codes.ts'
import { REFERENCE_DATE_TABLE, VOCABULARY } from './omop.ts'
import type { Expressed, QueryNeeds } from './query-needs.ts'
import { windowBounds } from './window-sql.ts'

/** Each table's concept, dates and route columns. */
const COLUMNS = {
  drug_exposure: { id: 'drug_exposure_id', concept: 'drug_concept_id', start: 'drug_exposure_start_date', end: 'drug_exposure_end_date' },
  condition_occurrence: { id: 'condition_occurrence_id', concept: 'condition_concept_id', start: 'condition_start_date', end: 'condition_end_date' },
  procedure_occurrence: { id: 'procedure_occurrence_id', concept: 'procedure_concept_id', start: 'procedure_date', end: 'procedure_date' },
} as const

/** SNOMED CT codes of the routes that are not systemic exposure (routes.ts). */
const LOCAL_ROUTE_CODES: Code[] = ROUTES.filter(r => !r.systemic).flatMap(r => r.snomed.map(code => ({ vocabulary: VOCABULARY.snomed, code })))

const selects = (entry: EntryBase, items: readonly string[], classes: readonly string[]) =>
  items.includes(entry.id) || entry.classes.some(c => classes.includes(c))

/** The concept ids under these codes: the codes' own concepts and their descendants. */
const conceptsUnder = (d: Dialect, codes: readonly Code[]) => {
  const where = codesCondition(d.text, codes)
  return `SELECT c.concept_id FROM concept c WHERE ${where} UNION SELECT ca.descendant_concept_id FROM concept c JOIN concept_ancestor ca ON ca.ancestor_concept_id = c.concept_id WHERE ${where}`
}

/** Why a leaf cannot be expressed, or undefined. */
function unsupported(p: EventParams, operator: string): string | undefined {
  if (operator !== 'exists' && operator !== 'none') return `operator ${operator}`
  const filters = Object.keys(p.filters ?? {})
  if (filters.length > 0) return `a filter on ${filters.join(', ')}, which OMOP's event tables do not hold`
  if (p.event !== undefined && p.event !== 'exposure') return 'a dose change'
  if (p.selection.except.some(ex => ex.outcome)) return 'an exception that depends on the outcome'
  if (p.window.kind === 'planned') return 'planned entries'
  if (p.window.kind === 'visit') return 'a visit window'
  return undefined
}

/** Overlap of [start, end] with the window, as dates.ts intervalsOverlap (NULL dates unknown). */
function overlaps(start: string, end: string, ws: string, we: string): string {
  const startsInTime = `(CASE WHEN ${start} IS NOT NULL THEN ${start} <= ${we} WHEN ${end} IS NOT NULL AND ${end} <= ${we} THEN TRUE END)`
  const endsInTime = `(CASE WHEN ${end} IS NOT NULL THEN ${end} >= ${ws} WHEN ${start} IS NOT NULL AND ${start} >= ${ws} THEN TRUE END)`
  return `(${startsInTime} AND ${endsInTime})`
}

export function eventLeaf(d: Dialect, compiled: CompiledProtocol, domain: EventDomain, leaf: IrLeaf, needs: QueryNeeds): Expressed {
  const p = leaf.params as unknown as EventParams
  const why = unsupported(p, leaf.operator)
  if (why) return { unsupported: why }
  const source = EVENT_SOURCE[domain]
  const bounds = windowBounds(d, p.window, 'r.date')
  if (!bounds) return { unsupported: `a ${p.window.kind} window` }
  const selection: ResolvedSelection = p.selection
  const entries = compiled.dictionary[source.dictionary] as readonly EntryBase[]
  const chosen = entries.filter(e => selects(e, selection.items, selection.classes) && !selection.except.some(ex => selects(e, ex.items, ex.classes)))
  const table = source.table
  const col = COLUMNS[table]
  const family = needs.set(`family:${source.family.join('+')}`, ['concept', 'concept_ancestor'], () =>
    conceptsUnder(d, familyCodes(compiled.dictionary, source.family)),
  )
  const selected = needs.set(`selected:${source.dictionary}:${chosen.map(e => e.id).join(',')}`, ['concept', 'concept_ancestor'], () =>
    conceptsUnder(
      d,
      chosen.flatMap(e => entryCodes(source.dictionary, e)),
    ),
  )
  const localRoutes = needs.set('routes:local', ['concept'], () => `SELECT c.concept_id FROM concept c WHERE ${codesCondition(d.text, LOCAL_ROUTE_CODES)}`)
  const member =
    'CASE ' +
    (domain === 'medication' ? `WHEN e.route_concept_id IN (SELECT concept_id FROM ${localRoutes}) THEN FALSE ` : '') +
    `WHEN e.${col.concept} IN (SELECT concept_id FROM ${selected}) THEN TRUE WHEN e.${col.concept} IN (SELECT concept_id FROM ${family}) THEN FALSE END`
  const placed = bounds.kind === 'placed'
  const refJoin = (alias: string, person: string) =>
    placed ? ` LEFT JOIN ${REFERENCE_DATE_TABLE} ${alias} ON ${alias}.person_id = ${person} AND ${alias}.name = ${d.text(bounds.ref)}` : ''
  const inWindow = placed ? overlaps(`e.${col.start}`, `e.${col.end}`, bounds.start, bounds.end) : 'TRUE'
  // absence decides inside an observation period; an unplaced window, by any (omop.ts)
  const covered = placed
    ? `EXISTS (SELECT 1 FROM observation_period op WHERE op.person_id = p.person_id AND (r.date IS NULL OR (op.observation_period_start_date <= ${bounds.start} AND op.observation_period_end_date >= ${bounds.end})))`
    : 'EXISTS (SELECT 1 FROM observation_period op WHERE op.person_id = p.person_id)'
  const key = JSON.stringify({ domain, chosen: chosen.map(e => e.id), window: p.window })
  const tables = [table, 'concept', 'concept_ancestor', 'observation_period', ...(placed ? [REFERENCE_DATE_TABLE] : [])]
  const column = needs.value(key, tables, () => {
    const rows =
      `SELECT e.person_id, (member IS TRUE AND in_window IS TRUE) AS definite FROM (SELECT e.person_id, ${member} AS member, ${inWindow} AS in_window ` +
      `FROM ${table} e${refJoin('r', 'e.person_id')}) AS e WHERE member IS NOT FALSE AND in_window IS NOT FALSE`
    return (
      `SELECT p.person_id, CASE WHEN bool_or(x.definite) THEN TRUE WHEN count(x.person_id) > 0 THEN NULL WHEN ${covered} THEN FALSE END AS value ` +
      `FROM person p${refJoin('r', 'p.person_id')} LEFT JOIN (${rows}) AS x ON x.person_id = p.person_id GROUP BY p.person_id${placed ? ', r.date' : ''}`
    )
  })
  return { sql: leaf.operator === 'exists' ? `(${column})` : `(NOT ${column})` }
}
