/**
 * One presentation of dates, units, registry ids and versions (web/format.ts),
 * and a guard that keeps locale date formatting out of web/: "12/1/2026" on
 * one screen and "2026-12-01" on the next read as different days.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDate, formatInstant, formatRegistryId, formatUnit, formatVersion } from '../../web/format.ts'
import { ROOT } from './root.ts'

describe('formatDate', () => {
  it('keeps the calendar day written in an ISO date or date-time, whatever the time zone', () => {
    expect(formatDate('2026-12-01')).toBe('2026-12-01')
    expect(formatDate('2026-12-01T23:30:00Z')).toBe('2026-12-01')
    expect(formatDate('2026-12-01T00:10:00+02:00')).toBe('2026-12-01')
  })
  it('reads a Date in UTC and leaves nothing for no date', () => {
    expect(formatDate(new Date(Date.UTC(2026, 11, 1, 23, 59)))).toBe('2026-12-01')
    expect(formatDate(undefined)).toBe('')
    expect(formatDate('')).toBe('')
    expect(formatDate(new Date(NaN))).toBe('')
  })
})

describe('formatUnit', () => {
  it('writes UCUM codes in human form', () => {
    expect(formatUnit('g/(24.h)')).toBe('g/24 h')
    expect(formatUnit('umol/L')).toBe('µmol/L')
    expect(formatUnit('mL/min/{1.73_m2}')).toBe('mL/min/1.73 m²')
    expect(formatUnit('mg/d')).toBe('mg/day')
  })
  it('leaves a unit people already write as it is', () => {
    expect(formatUnit('mg/dL')).toBe('mg/dL')
    expect(formatUnit('g/g')).toBe('g/g')
  })
})

describe('registry ids and versions', () => {
  it('writes ClinicalTrials.gov ids in upper case and nothing else', () => {
    expect(formatRegistryId('nct05631717')).toBe('NCT05631717')
    expect(formatRegistryId('nct05631717-copy')).toBe('NCT05631717-copy')
    expect(formatRegistryId('my-trial')).toBe('my-trial')
  })
  it('numbers versions v1, v2…', () => {
    expect(formatVersion(3)).toBe('v3')
    // a server timestamp to the minute, in UTC whatever the reader's zone
    expect(formatInstant('2026-12-02T23:59:59.999Z')).toBe('2026-12-02 23:59 UTC')
  })
})

/** Every TypeScript source file under web/ (the built bundle excluded). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (name === 'dist' || name === 'node_modules') return []
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** Locale date formatting: toLocaleDateString / toLocaleTimeString / Intl.DateTimeFormat, or toLocaleString on something date-like. */
export function localeDateUses(text: string): string[] {
  const hits: string[] = []
  for (const line of text.split('\n')) {
    if (/toLocale(Date|Time)String\s*\(|Intl\.DateTimeFormat/.test(line)) hits.push(line.trim())
    else if (/(Date\([^)]*\)|date|_at|time|when|day)\w*\s*\)?\.toLocaleString\s*\(/i.test(line)) hits.push(line.trim())
  }
  return hits
}

describe('no locale date formatting in web/', () => {
  it('finds none (dates go through formatDate)', () => {
    const found = sources(join(ROOT, 'web')).flatMap(file => localeDateUses(readFileSync(file, 'utf8')).map(line => `${relative(ROOT, file)}: ${line}`))
    expect(found).toEqual([])
  })
  it('would catch one, and lets numbers be grouped', () => {
    expect(localeDateUses('x = new Date(p.updated_at).toLocaleDateString()')).toHaveLength(1)
    expect(localeDateUses('x = new Date(p.updated_at).toLocaleString()')).toHaveLength(1)
    expect(localeDateUses('when.toLocaleString("en")')).toHaveLength(1)
    expect(localeDateUses('x = t.amount.toLocaleString("en")')).toEqual([])
  })
})
