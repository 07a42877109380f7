import { describe, expect, it } from 'vitest'
import type { ChangeLeaf, Window } from '../../../engine/types.ts'
import { changeFromKind, kindedChangeFrom, kindedWindow, windowKind } from '../../../engine/logic/window-model.ts'

// The one place that tells window shapes (and a change's earlier value) apart.
describe('window model', () => {
  it.each([
    [undefined, 'any'],
    [{ weeks: 4, before: 'screening' }, 'range'],
    [{ days: 0, before: 'screening' }, 'range'],
    [{ months: { param: 'lookback' }, before: 'screening' }, 'range'],
    [{ ref: 'randomization', from_day: 309, to_day: 365 }, 'study_days'],
    [{ at: 'screening' }, 'at'],
    [{ planned: 'during_study' }, 'planned'],
    [{ visit: 'week_24' }, 'visit'],
  ] as Array<[Window | undefined, string]>)('%o is a %s window', (w, kind) => {
    expect(windowKind(w)).toBe(kind)
    expect(kindedWindow(w).window).toBe(w)
  })

  it('narrows the window with its kind', () => {
    const k = kindedWindow({ ref: 'randomization', from_day: 1, to_day: 7 })
    expect(k.kind === 'study_days' ? [k.window.from_day, k.window.to_day] : undefined).toEqual([1, 7])
  })

  it('tells a change from a visit, a window and a span before the later value apart, written or resolved', () => {
    const written: Array<[ChangeLeaf['change']['from'], string]> = [
      ['baseline', 'visit'],
      [{ window: { months: 6, before: 'screening' }, select: 'lowest' }, 'window'],
      [{ before_to: { months: 6 }, select: 'earliest' }, 'before_to'],
    ]
    for (const [from, kind] of written) expect(changeFromKind(from)).toBe(kind)
    const resolved = kindedChangeFrom({ before_to: { months: 6, days: 0 }, select: 'lowest' } as
      | string
      | { before_to: { months: number; days: number }; select: string })
    expect(resolved.kind === 'before_to' ? resolved.from.before_to.months : undefined).toBe(6)
    const visit = kindedChangeFrom('week_12' as string | { window: unknown })
    expect(visit).toEqual({ kind: 'visit', visit: 'week_12' })
  })
})
