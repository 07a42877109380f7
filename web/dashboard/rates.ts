/**
 * Rates per arm (n/N, %, exact 95 % CI) and the difference between the first
 * two arms (Newcombe hybrid score 95 % CI) from GET /protocols/:id/results:
 * one table per classification endpoint (a row per visit and level), per SLE
 * Responder Index endpoint (a row per visit) and per safety endpoint (one row,
 * the whole study). Pure: the component draws what this returns. A blinded
 * answer has one pooled group and no difference; the captions then say "pooled".
 */
import type { ProtocolDocument, StudyResults } from '../api/dashboard.ts'
import { interval, percent, points, pointsInterval } from './format.ts'

/** Marker shapes tell the arms apart in a plot without colour (first arm ●, second ■, third ◆). */
export const ARM_SHAPES = ['circle', 'square', 'diamond'] as const
export type ArmShape = (typeof ARM_SHAPES)[number]
export const SHAPE_SYMBOL: Record<ArmShape, string> = { circle: '●', square: '■', diamond: '◆' }

export interface RateCell {
  arm: string
  label: string
  shape: ArmShape
  x: number
  n: number
  /** Subjects whose grade at the visit is unknown. */
  unknown: number
  estimate?: number
  lower: number
  upper: number
  /** `3/5`, `60.0 %`, `14.7 to 94.7 %`. */
  fraction: string
  percent: string
  ci: string
}

export interface DifferenceCell {
  /** `IL-2 group − MSCs group`. */
  label: string
  estimate?: number
  lower: number
  upper: number
  /** `+20.0 pp`, `−31.2 to +62.4 pp`. */
  text: string
  ci: string
}

export interface RateRow {
  key: string
  visit: string
  visitLabel: string
  level: string
  levelLabel: string
  arms: RateCell[]
  difference?: DifferenceCell
  /** The plot in words, for its accessible name. */
  summary: string
}

export interface RateTable {
  endpoint: string
  title: string
  /** How a subject with no grade at a visit is counted. */
  missingNote: string
  arms: Array<{ arm: string; label: string; shape: ArmShape }>
  rows: RateRow[]
  /** Header of the column naming what is counted ("Response", "Event"), and the table's caption. */
  outcomeHeader: string
  caption: string
}

/**
 * Tables of response rates, in the order of the summary (endpoint, then visit).
 *
 * @example
 * rateTables(results, doc)[0].rows[0] // { visitLabel: 'week 4', levelLabel: 'CR', arms: [{ fraction: '0/2', ... }, ...], ... }
 */
export function rateTables(results: StudyResults, doc: ProtocolDocument): RateTable[] {
  const visitLabel = (id: string) => doc.visits?.find(v => v.id === id)?.label ?? id
  const tables = new Map<string, RateTable>()
  const arms = results.arms.map((a, i) => ({ arm: a.arm, label: a.label, shape: ARM_SHAPES[i % ARM_SHAPES.length]! }))
  const per = groupWords(results)
  for (const r of results.responses) {
    const endpoint = doc.endpoints?.find(e => e.id === r.endpoint)
    const levels = endpoint?.type === 'classification' ? endpoint.levels : []
    const otherwise = endpoint?.type === 'classification' ? endpoint.otherwise : 'no response'
    let table = tables.get(r.endpoint)
    if (!table) {
      table = {
        endpoint: r.endpoint,
        title: endpoint?.title ?? r.endpoint,
        missingNote:
          r.missing_as === 'otherwise'
            ? `A subject with no grade at a visit counts as ${otherwise} (non-responder imputation).`
            : 'A subject with no grade at a visit is left out of that visit’s denominator.',
        arms,
        rows: [],
        outcomeHeader: 'Response',
        caption: `${endpoint?.title ?? r.endpoint}: responders / subjects counted ${per.andVisit}`,
      }
      tables.set(r.endpoint, table)
    }
    const keys = [...levels.map(l => l.level), 'any']
    for (const level of keys) {
      const levelTitle = doc.endpoints?.find(e => e.id === levels.find(l => l.level === level)?.endpoint)?.title
      const levelLabel =
        level === 'any'
          ? `${levels.map(l => l.level).join(' or ')} (any response)`
          : !levelTitle || levelTitle === level
            ? level
            : levelTitle.includes(`(${level})`)
              ? levelTitle
              : `${level} · ${levelTitle}`
      const cells = cellsOf(r.arms.map(a => ({ arm: a.arm, label: a.label, rate: a.rates[level]!, unknown: a.unknown })))
      const difference = differenceCell(r.differences[level], r.arms)
      table.rows.push(rowOf(`${r.visit}:${level}`, r.visit, visitLabel(r.visit), level, levelLabel, cells, difference))
    }
  }
  return [...tables.values(), ...responderTables(results, doc, arms, visitLabel), ...safetyTables(results, doc, arms)]
}

/** How the groups of a table are named: per arm, or all randomized subjects pooled (blinded). */
export function groupWords(results: Pick<StudyResults, 'blinded'>): { andVisit: string; alone: string } {
  return results.blinded
    ? { andVisit: 'per visit, all randomized subjects pooled', alone: 'all randomized subjects pooled' }
    : { andVisit: 'per arm and visit', alone: 'per arm' }
}

type ArmRate = { arm: string; label: string; rate: { x: number; n: number; ci: { estimate?: number; lower: number; upper: number } }; unknown: number }
type Difference = StudyResults['responses'][number]['differences'][string]

function cellsOf(arms: ArmRate[]): RateCell[] {
  return arms.map((a, i) => ({
    arm: a.arm,
    label: a.label,
    shape: ARM_SHAPES[i % ARM_SHAPES.length]!,
    x: a.rate.x,
    n: a.rate.n,
    unknown: a.unknown,
    ...(a.rate.ci.estimate !== undefined ? { estimate: a.rate.ci.estimate } : {}),
    lower: a.rate.ci.lower,
    upper: a.rate.ci.upper,
    fraction: `${a.rate.x}/${a.rate.n}`,
    percent: percent(a.rate.ci.estimate),
    ci: a.rate.n > 0 ? interval(a.rate.ci.lower, a.rate.ci.upper) : 'no subjects',
  }))
}

/** The first arm minus the second, in percentage points. */
function differenceCell(d: Difference | undefined, arms: ReadonlyArray<{ label: string }>): DifferenceCell | undefined {
  const [first, second] = arms
  if (!d || !first || !second) return undefined
  return {
    label: `${first.label} − ${second.label}`,
    ...(d.difference !== undefined ? { estimate: d.difference } : {}),
    lower: d.lower,
    upper: d.upper,
    text: points(d.difference),
    ci: d.difference === undefined ? 'an arm has no subjects' : pointsInterval(d.lower, d.upper),
  }
}

function rowOf(
  key: string,
  visit: string,
  visitLabel: string,
  level: string,
  levelLabel: string,
  cells: RateCell[],
  difference: DifferenceCell | undefined,
): RateRow {
  const summary = [
    ...cells.map(c => `${SHAPE_SYMBOL[c.shape]} ${c.label}: ${c.fraction}, ${c.percent}${c.n > 0 ? `, 95 % CI ${c.ci}` : ''}`),
    ...(difference ? [`difference ${difference.text}${difference.estimate !== undefined ? `, 95 % CI ${difference.ci}` : ''}`] : []),
  ].join('; ')
  return { key, visit, visitLabel, level, levelLabel, arms: cells, ...(difference ? { difference } : {}), summary }
}

type Arms = RateTable['arms']
const labelOf = (arms: Arms, arm: string) => arms.find(a => a.arm === arm)?.label ?? arm

/** SLE Responder Index endpoints: responders per visit over the subjects whose response is known. */
function responderTables(results: StudyResults, doc: ProtocolDocument, arms: Arms, visitLabel: (id: string) => string): RateTable[] {
  const tables = new Map<string, RateTable>()
  for (const r of results.responder_index ?? []) {
    let table = tables.get(r.endpoint)
    if (!table) {
      const title = doc.endpoints?.find(e => e.id === r.endpoint)?.title ?? r.endpoint
      table = {
        endpoint: r.endpoint,
        title,
        missingNote: 'A subject whose response at a visit is undecided is left out of that visit’s denominator.',
        arms,
        rows: [],
        outcomeHeader: 'Response',
        caption: `${title}: responders / subjects whose response is known, ${groupWords(results).andVisit}`,
      }
      tables.set(r.endpoint, table)
    }
    const perArm = r.arms.map(a => ({ ...a, label: labelOf(arms, a.arm) }))
    table.rows.push(
      rowOf(`${r.visit}:responder`, r.visit, visitLabel(r.visit), 'responder', 'responders', cellsOf(perArm), differenceCell(r.difference, perArm)),
    )
  }
  return [...tables.values()]
}

/** Safety endpoints: subjects with the event over the whole study, over every randomized subject. */
function safetyTables(results: StudyResults, doc: ProtocolDocument, arms: Arms): RateTable[] {
  return (results.safety ?? []).map(s => {
    const perArm = s.arms.map(a => ({ ...a, label: labelOf(arms, a.arm) }))
    const title = doc.endpoints?.find(e => e.id === s.endpoint)?.title ?? s.endpoint
    return {
      endpoint: s.endpoint,
      title,
      outcomeHeader: 'Event',
      caption: `${title}: subjects with the event / randomized subjects, ${groupWords(results).alone}`,
      missingNote: 'Over every randomized subject; a subject whose status is undecided (“ungraded”) counts as without the event.',
      arms,
      rows: [rowOf('study:event', '', 'whole study', 'event', 'subjects with the event', cellsOf(perArm), differenceCell(s.difference, perArm))],
    }
  })
}

/**
 * Where a value falls on a plot `width` wide spanning `[min, max]`, clamped
 * to the plot.
 *
 * @example
 * plotX(0.25, [0, 1], 200) // 50
 */
export function plotX(value: number, [min, max]: readonly [number, number], width: number): number {
  const t = (value - min) / (max - min)
  return Math.min(width, Math.max(0, t * width))
}
