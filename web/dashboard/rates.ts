/**
 * Response rates per arm (n/N, %, exact 95 % CI) and the difference between
 * the first two arms (Newcombe hybrid score 95 % CI), one table per
 * classification endpoint, one row per visit and level, from GET
 * /protocols/:id/results. Pure: the component draws what this returns.
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
}

/**
 * Tables of response rates, in the order of the summary (endpoint, then visit).
 *
 * @example
 * rateTables(results, doc)[0].rows[0] // { visitLabel: 'week 4', levelLabel: 'CR', arms: [{ fraction: '0/2', ... }, ...], ... }
 */
export function rateTables(results: StudyResults, doc: ProtocolDocument): RateTable[] {
  const visitLabel = (id: string) => doc.visits?.find((v) => v.id === id)?.label ?? id
  const tables = new Map<string, RateTable>()
  const arms = results.arms.map((a, i) => ({ arm: a.arm, label: a.label, shape: ARM_SHAPES[i % ARM_SHAPES.length]! }))
  for (const r of results.responses) {
    const endpoint = doc.endpoints?.find((e) => e.id === r.endpoint)
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
      }
      tables.set(r.endpoint, table)
    }
    const keys = [...levels.map((l) => l.level), 'any']
    for (const level of keys) {
      const levelTitle = doc.endpoints?.find((e) => e.id === levels.find((l) => l.level === level)?.endpoint)?.title
      const levelLabel =
        level === 'any'
          ? `${levels.map((l) => l.level).join(' or ')} (any response)`
          : !levelTitle || levelTitle === level
            ? level
            : levelTitle.includes(`(${level})`)
              ? levelTitle
              : `${level} · ${levelTitle}`
      const cells: RateCell[] = r.arms.map((a, i) => {
        const rate = a.rates[level]!
        return {
          arm: a.arm,
          label: a.label,
          shape: ARM_SHAPES[i % ARM_SHAPES.length]!,
          x: rate.x,
          n: rate.n,
          unknown: a.unknown,
          ...(rate.ci.estimate !== undefined ? { estimate: rate.ci.estimate } : {}),
          lower: rate.ci.lower,
          upper: rate.ci.upper,
          fraction: `${rate.x}/${rate.n}`,
          percent: percent(rate.ci.estimate),
          ci: rate.n > 0 ? interval(rate.ci.lower, rate.ci.upper) : 'no subjects',
        }
      })
      const d = r.differences[level]
      const [first, second] = r.arms
      const difference: DifferenceCell | undefined =
        d && first && second
          ? {
              label: `${first.label} − ${second.label}`,
              ...(d.difference !== undefined ? { estimate: d.difference } : {}),
              lower: d.lower,
              upper: d.upper,
              text: points(d.difference),
              ci: d.difference === undefined ? 'an arm has no subjects' : pointsInterval(d.lower, d.upper),
            }
          : undefined
      const summary = [
        ...cells.map((c) => `${SHAPE_SYMBOL[c.shape]} ${c.label}: ${c.fraction}, ${c.percent}${c.n > 0 ? `, 95 % CI ${c.ci}` : ''}`),
        ...(difference ? [`difference ${difference.text}${difference.estimate !== undefined ? `, 95 % CI ${difference.ci}` : ''}`] : []),
      ].join('; ')
      table.rows.push({ key: `${r.visit}:${level}`, visit: r.visit, visitLabel: visitLabel(r.visit), level, levelLabel, arms: cells, ...(difference ? { difference } : {}), summary })
    }
  }
  return [...tables.values()]
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
