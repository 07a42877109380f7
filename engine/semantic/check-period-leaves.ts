/**
 * Semantic checks of the leaves that look back over a period: days on
 * steroids above a dose, and a kidney biopsy (ISN/RPS classes or one finding).
 */
import type { BiopsyLeaf, SteroidDaysLeaf } from '../types.ts'
import type { PathSegment } from '../parse/path.ts'
import { issue } from './issue.ts'
import { windowKind } from '../logic/window-model.ts'
import type { MeasurementChecks } from './check-measurement.ts'

/** The checks of the protocol checker these leaves use. */
type PeriodChecks = Pick<MeasurementChecks, 'issues' | 'window' | 'paramOr'>

/** `steroid_days`: numbers (or parameters) for the dose and the count, and a window with a start and an end. */
export function checkSteroidDays(d: SteroidDaysLeaf['steroid_days'], where: PathSegment[], x: PeriodChecks): void {
  x.paramOr(d.above_mg, [...where, 'above_mg'], 'number')
  x.paramOr(d.value, [...where, 'value'], 'number')
  const kind = windowKind(d.window)
  if (kind === 'planned' || kind === 'at') {
    x.issues.push(
      issue(
        'E_SCHEMA_SHAPE',
        [...where, 'window'],
        'days are counted over a period: a window before a reference date, study days, or a visit',
        'a window with a start and an end',
        Object.keys(d.window).join(', '),
      ),
    )
  } else x.window(d.window, [...where, 'window'], false)
}

/** `biopsy`: exactly one of `classes` or `finding`, `only` with classes, and its window. */
export function checkBiopsy(b: BiopsyLeaf['biopsy'], where: PathSegment[], x: PeriodChecks): void {
  if ((b.classes === undefined) === (b.finding === undefined)) {
    x.issues.push(
      issue(
        'E_SCHEMA_SHAPE',
        where,
        'a biopsy leaf tests either `classes` or one `finding`',
        'exactly one of classes, finding',
        b.classes ? 'both' : 'neither',
      ),
    )
  }
  if (b.finding) x.paramOr(b.finding.value, [...where, 'finding', 'value'], 'number')
  if (b.only !== undefined && !b.classes)
    x.issues.push(issue('E_SCHEMA_SHAPE', [...where, 'only'], '`only` qualifies `classes`', 'classes with only', 'only without classes'))
  x.window(b.window, [...where, 'window'], false)
}
