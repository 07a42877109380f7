/**
 * A protocol's eligibility as one SQL query over the OMOP CDM (omop.ts says
 * where each part of the record sits): per person, each criterion's truth
 * as a whole (its `applies_if` included) in SQL's three-valued logic, NULL
 * being unknown (SQL's AND, OR and NOT on NULL are the strong Kleene logic
 * of evaluate/kleene.ts), and the overall verdict.
 *
 * A criterion with a leaf the SQL backend cannot express yet is left NULL
 * (unknown) and reported with the reason: never dropped, never decided on
 * part of its logic. Expressed today: `age`, protocol `parameter`s,
 * attestations (not per visit) and the recorded facts sex, black race and
 * the yes/no items (ACR 1997, reproductive status, consent).
 *
 * @example
 * const { sql, criteria } = compileSql(compileProtocol(doc), 'duckdb')
 * // SELECT person_id, "IN01", …, overall FROM …
 */
import type { CompiledProtocol } from '../compile/compile-protocol.ts'
import type { IrLeaf, IrNode } from '../compile/ir.ts'
import type { CriterionKind } from '../types.ts'
import { evaluateOperator, type OperatorName } from '../evaluate/operators.ts'
import { known } from '../evaluate/evidence.ts'
import { DIALECTS, type Dialect, type DialectName } from './dialect.ts'
import { ANSWER_CONCEPT, REFERENCE_DATE_TABLE } from './omop.ts'
import { DEFAULT_SQL_UNITS, labRows, measurementLeaf } from './measurement-sql.ts'
import { BIRTH_DATE, birthdayIn, blackRace, completedYears, SEX } from './person-sql.ts'
import { eventLeaf } from './events-sql.ts'
import { QueryNeeds, UNKNOWN_SQL, type Expressed } from './query-needs.ts'

/** A leaf the SQL backend does not express, and why. */
export interface UnsupportedLeaf {
  path: string
  fact: string
  reason: string
}

export interface SqlCriterion {
  id: string
  kind: CriterionKind
  /** The result column: the criterion's truth as a whole (NULL = unknown). */
  column: string
  /** Empty when expressed; otherwise the leaves that leave it NULL. */
  unsupported: UnsupportedLeaf[]
}

export interface CompiledSql {
  dialect: DialectName
  /** One query: `person_id`, a boolean column per criterion (protocol order), `overall` ('eligible' | 'ineligible' | 'undetermined'). */
  sql: string
  criteria: SqlCriterion[]
  /** The tables the query reads (a source lacking one is refused by name). */
  tables: string[]
}

/** Record facts that are yes/no items, by the key of the item in the record (= observation_source_value). */
const YES_NO_RECORD_FACTS: Record<string, string> = {
  lactating: 'reproductive.lactating',
  childbearing_potential: 'reproductive.childbearing_potential',
  contraception_agreed: 'reproductive.contraception_agreed',
  informed_consent_signed: 'informed_consent.signed',
}

const literal = (d: Dialect, v: unknown): string | undefined =>
  typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? d.text(v) : undefined

const SQL_OPERATOR: Partial<Record<OperatorName, string>> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' }

/**
 * `value op literal` for a scalar of the given type. An order comparison of a known value that is not a number is
 * unknown for a leaf's operator (evaluate/operators.ts) but false for a fact's own `op` (facts/record-facts.ts
 * COMPARE): `orderMismatch` says which.
 */
function compare(
  d: Dialect,
  value: string,
  type: 'boolean' | 'text' | 'number',
  op: OperatorName,
  to: unknown,
  orderMismatch: 'unknown' | 'false' = 'unknown',
): Expressed {
  const sqlOp = SQL_OPERATOR[op]
  if (!sqlOp) return { unsupported: `operator ${op}` }
  const lit = literal(d, to)
  const typeOf = typeof to === 'boolean' ? 'boolean' : typeof to === 'number' ? 'number' : typeof to === 'string' ? 'text' : undefined
  if (lit === undefined || typeOf === undefined) return { unsupported: `a comparison with ${JSON.stringify(to)}` }
  if (op === 'eq' || op === 'ne') {
    // the engine compares values of another type as unequal, unknown staying unknown
    if (typeOf !== type) return { sql: `CASE WHEN ${value} IS NULL THEN NULL ELSE ${op === 'ne' ? 'TRUE' : 'FALSE'} END` }
    return { sql: `(${value} ${sqlOp} ${lit})` }
  }
  if (type === 'number' && typeOf === 'number') return { sql: `(${value} ${sqlOp} ${lit})` }
  return { sql: orderMismatch === 'false' ? `CASE WHEN ${value} IS NULL THEN NULL ELSE FALSE END` : UNKNOWN_SQL }
}

/** The record fact `params.name`, as a SQL value and its type. */
function recordValue(name: string, needs: QueryNeeds): { sql: string; type: 'boolean' | 'text' } | undefined {
  if (name === 'sex') return { sql: SEX, type: 'text' }
  if (name === 'black_race') return { sql: blackRace(), type: 'boolean' }
  const key = YES_NO_RECORD_FACTS[name] ?? (name.startsWith('acr_1997.') ? name : undefined)
  return key === undefined ? undefined : { sql: `(${needs.item(key)} = 1)`, type: 'boolean' }
}

const RECORD_OPERATOR: Record<string, OperatorName> = { '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' }

/** What writing one query carries from leaf to leaf. */
interface Writer {
  d: Dialect
  compiled: CompiledProtocol
  needs: QueryNeeds
  /** The units measurements may arrive in that the query converts (measurement-sql.ts). */
  units: readonly string[]
}

function leaf(w: Writer, l: IrLeaf): Expressed {
  const { d, compiled, needs } = w
  const params = l.params as Record<string, unknown>
  switch (l.fact) {
    case 'parameter': {
      // a protocol parameter is known when the query is written: the engine's own operator decides
      const value = compiled.parameters[params.name as string]
      const truth = value === undefined ? undefined : evaluateOperator(l.operator, known(value as never, ''), l.value)
      return { sql: truth === undefined ? UNKNOWN_SQL : truth ? 'TRUE' : 'FALSE' }
    }
    case 'age': {
      const at = params.at as string
      const t = l.value as { years?: unknown; basis?: unknown }
      const op = SQL_OPERATOR[l.operator]
      if (!op || l.operator === 'eq' || l.operator === 'ne' || typeof t?.years !== 'number') return { unsupported: `an age compared by ${l.operator}` }
      needs.age(at)
      const years = d.ident(`age_years:${at}`)
      const days = d.ident(`age_days:${at}`)
      // exact age: years plus a fraction strictly between 0 and 1 once past a birthday (evaluate/operators.ts, compareAge)
      const age = t.basis === 'completed_years' ? years : `(CASE WHEN ${days} = 0 THEN ${years} ELSE ${years} + 0.5 END)`
      return { sql: `(${age} ${op} ${t.years})` }
    }
    case 'attestation': {
      if (params.at !== undefined) return { unsupported: 'an attestation at a visit' }
      return compare(d, `(${needs.item(`attestations.${params.name as string}`)} = 1)`, 'boolean', l.operator, l.value)
    }
    case 'record': {
      const value = recordValue(params.name as string, needs)
      if (!value) return { unsupported: `the recorded fact ${params.name as string}` }
      if (params.op === undefined) return compare(d, value.sql, value.type, l.operator, l.value)
      // a fact compared by the protocol (`op`/`value`): decided first, then the leaf checks the answer
      const inner = RECORD_OPERATOR[params.op as string]
      if (!inner) return { unsupported: `the comparison ${params.op as string}` }
      const decided = compare(d, value.sql, value.type, inner, params.value, 'false')
      return 'sql' in decided ? compare(d, decided.sql, 'boolean', l.operator, l.value) : decided
    }
    case 'measurement':
      return measurementLeaf(d, compiled, l, needs, w.units)
    case 'medication':
    case 'condition':
    case 'procedure':
    case 'vaccination':
      return eventLeaf(d, compiled, l.fact, l, needs)
    default:
      return { unsupported: `${l.fact} facts are not expressed in SQL yet` }
  }
}

/** A node as a SQL boolean expression, collecting the leaves it cannot express. */
function node(w: Writer, n: IrNode, unsupported: UnsupportedLeaf[]): string {
  const parts = (ns: readonly IrNode[]) => ns.map(c => node(w, c, unsupported))
  switch (n.kind) {
    case 'leaf': {
      const e = leaf(w, n)
      if ('sql' in e) return e.sql
      unsupported.push({ path: n.path, fact: n.fact, reason: e.unsupported })
      return UNKNOWN_SQL
    }
    case 'all':
      return n.children.length === 0 ? 'TRUE' : `(${parts(n.children).join(' AND ')})`
    case 'any':
      return n.children.length === 0 ? 'FALSE' : `(${parts(n.children).join(' OR ')})`
    case 'not':
      return `(NOT ${node(w, n.child, unsupported)})`
    case 'at_least': {
      // kleene.ts atLeast3: met ≥ n is true; met + unknown < n is false; else unknown
      const each = parts(n.children)
      const met = each.map(p => `(CASE WHEN ${p} THEN 1 ELSE 0 END)`).join(' + ')
      const open = each.map(p => `(CASE WHEN ${p} IS NULL THEN 1 ELSE 0 END)`).join(' + ')
      return `(CASE WHEN ${met} >= ${n.n} THEN TRUE WHEN ${met} + ${open} < ${n.n} THEN FALSE END)`
    }
    case 'either': {
      // kleene.ts either3: one alternative met; else one not met; else unknown
      const each = parts(n.children)
      return `(CASE WHEN ${each.map(p => `${p} IS TRUE`).join(' OR ')} THEN TRUE WHEN ${each.map(p => `${p} IS FALSE`).join(' OR ')} THEN FALSE END)`
    }
  }
}

export interface CompileSqlOptions {
  /** UCUM codes of the units a site's measurements are in, converted by the query (default: measurement-sql.ts DEFAULT_SQL_UNITS). */
  units?: readonly string[]
}

export function compileSql(compiled: CompiledProtocol, dialectName: DialectName = 'duckdb', options: CompileSqlOptions = {}): CompiledSql {
  const d = DIALECTS[dialectName]
  const needs = new QueryNeeds()
  const w: Writer = { d, compiled, needs, units: options.units ?? DEFAULT_SQL_UNITS }
  const criteria: Array<SqlCriterion & { expression: string }> = compiled.criteria.map(c => {
    const unsupported: UnsupportedLeaf[] = []
    const logic = node(w, c.logic, unsupported)
    const applies = c.applicability ? node(w, c.applicability, unsupported) : 'TRUE'
    // kleene.ts criterionWhole: an inclusion that does not apply is met, an exclusion that does not apply is not met
    const whole = c.kind === 'inclusion' ? `((NOT ${applies}) OR ${logic})` : `(${applies} AND ${logic})`
    return { id: c.id, kind: c.kind, column: c.id, unsupported, expression: unsupported.length ? UNKNOWN_SQL : whole }
  })

  const refs = [...needs.ageAt]
  const items = [...needs.items]
  const joined = [...needs.joined.values()]
  const refColumns = refs.map(r => `max(CASE WHEN name = ${d.text(r)} THEN date END) AS ${d.ident(`ref:${r}`)}`)
  const itemColumns = items.map(([key, column]) => `max(CASE WHEN observation_source_value = ${d.text(key)} THEN answer END) AS ${column}`)
  const ctes = [
    refs.length ? `refs AS (SELECT person_id, ${refColumns.join(', ')} FROM ${REFERENCE_DATE_TABLE} GROUP BY person_id)` : undefined,
    items.length
      ? `answered AS (SELECT person_id, observation_source_value, CASE value_as_concept_id WHEN ${ANSWER_CONCEPT.yes} THEN 1 WHEN ${ANSWER_CONCEPT.no} THEN 0 END AS answer, ` +
        `row_number() OVER (PARTITION BY person_id, observation_source_value ORDER BY observation_date DESC, observation_id DESC) AS nth ` +
        `FROM observation WHERE observation_source_value IN (${items.map(([key]) => d.text(key)).join(', ')}))`
      : undefined,
    items.length ? `answers AS (SELECT person_id, ${itemColumns.join(', ')} FROM answered WHERE nth = 1 GROUP BY person_id)` : undefined,
    needs.tables.has('measurement') ? labRows(d, compiled.dictionary) : undefined,
    ...[...needs.shared.values()].map(v => `${v.name} AS (${v.sql})`),
    ...joined.map(v => `${v.name} AS (${v.sql})`),
    `b0 AS (SELECT p.person_id, p.gender_concept_id, p.race_concept_id, ${BIRTH_DATE} AS birth_date` +
      refs.map(r => `, refs.${d.ident(`ref:${r}`)}`).join('') +
      items.map(([, column]) => `, answers.${column}`).join('') +
      joined.map(v => `, ${v.name}.value AS ${v.name}${v.bounds ? `, ${v.name}.high AS ${v.name}_high` : ''}`).join('') +
      ` FROM person p${refs.length ? ' LEFT JOIN refs ON refs.person_id = p.person_id' : ''}${items.length ? ' LEFT JOIN answers ON answers.person_id = p.person_id' : ''}` +
      joined.map(v => ` LEFT JOIN ${v.name} ON ${v.name}.person_id = p.person_id`).join('') +
      ')',
    // completed years at each reference date (dates.ts ageOn): unknown without either date, or with the date before the birth
    `b1 AS (SELECT *${refs
      .map(r => {
        const ref = d.ident(`ref:${r}`)
        return `, ${completedYears(d, 'birth_date', ref)} AS ${d.ident(`age_years:${r}`)}`
      })
      .join('')} FROM b0)`,
    // and days since the last birthday
    `b2 AS (SELECT *${refs
      .map(
        r =>
          `, ${d.ident(`ref:${r}`)} - ${birthdayIn(d, 'birth_date', `${d.part('year', 'birth_date')} + ${d.ident(`age_years:${r}`)}`)} AS ${d.ident(`age_days:${r}`)}`,
      )
      .join('')} FROM b1)`,
    `verdicts AS (SELECT person_id${criteria.map(c => `, ${c.expression} AS ${d.ident(c.column)}`).join('')} FROM b2)`,
  ].filter((c): c is string => c !== undefined)

  // kleene.ts outcomeOf / overallOf: an inclusion passes when met, an exclusion when not met; one failure makes ineligible
  const fails = criteria.map(c => `${d.ident(c.column)} IS ${c.kind === 'inclusion' ? 'FALSE' : 'TRUE'}`)
  const open = criteria.map(c => `${d.ident(c.column)} IS NULL`)
  const overall = `CASE WHEN ${fails.join(' OR ') || 'FALSE'} THEN 'ineligible' WHEN ${open.join(' OR ') || 'FALSE'} THEN 'undetermined' ELSE 'eligible' END`
  const sql = `WITH ${ctes.join(',\n')}\nSELECT person_id${criteria.map(c => `, ${d.ident(c.column)}`).join('')}, ${overall} AS overall FROM verdicts ORDER BY person_id`
  return { dialect: dialectName, sql, criteria: criteria.map(({ expression: _e, ...c }) => c), tables: [...needs.tables] }
}
