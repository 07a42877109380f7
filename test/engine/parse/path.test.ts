import { describe, expect, it } from 'vitest'
import { formatPath, pointerToPath, pointerToSegments, segmentsToPointer, valueAt } from '../../../engine/parse/path.ts'

describe('JSON pointer <-> segments', () => {
  it.each([
    { pointer: '', segments: [] },
    { pointer: '/criteria/3/logic/any/0', segments: ['criteria', 3, 'logic', 'any', 0] },
    { pointer: '/a~1b/c~0d', segments: ['a/b', 'c~d'] }, // RFC 6901 escapes
  ])('$pointer', ({ pointer, segments }) => {
    expect(pointerToSegments(pointer)).toEqual(segments)
    expect(segmentsToPointer(segments)).toBe(pointer)
  })

  it('uses the data to tell array indexes from numeric keys', () => {
    const data = { dates: { '2026': 'x' }, list: ['a'] }
    expect(pointerToSegments('/dates/2026', data)).toEqual(['dates', '2026'])
    expect(pointerToSegments('/list/0', data)).toEqual(['list', 0])
  })
})

describe('formatPath', () => {
  it.each([
    { segments: [], want: '' },
    { segments: ['criteria', 3, 'logic', 'any', 0], want: 'criteria[3].logic.any[0]' },
    { segments: ['dates', 'first visit'], want: 'dates["first visit"]' },
    { segments: [0, 'a'], want: '[0].a' },
  ])('$want', ({ segments, want }) => {
    expect(formatPath(segments)).toBe(want)
  })

  it('formats a pointer directly', () => {
    expect(pointerToPath('/criteria/3/logic/measurement/unit')).toBe('criteria[3].logic.measurement.unit')
  })
})

describe('valueAt', () => {
  it('walks objects and arrays', () => {
    expect(valueAt({ a: [{ b: 2 }] }, ['a', 0, 'b'])).toBe(2)
    expect(valueAt({ a: [] }, ['a', 0, 'b'])).toBeUndefined()
  })
})
