/**
 * Observations coded in this project's record code system (`RECORD_SYSTEM`):
 * what no standard code carries. The codes are the record's own names:
 *
 * - `dates.<reference date>` with valueDateTime: a protocol reference date (consent, screening...)
 * - `attestations.<name>` with valueBoolean: an investigator's answer
 * - a fact of the engine's fact catalogue (`pregnant`, `lactating`,
 *   `childbearing_potential`, `contraception_agreed`, `informed_consent_signed`,
 *   `black_race`, `acr_1997.<item>`) with valueBoolean
 * - `sledai_2k` with valueInteger: the SLEDAI-2K total (no LOINC code found for it)
 * - `sledai_2k.<descriptor>` with valueBoolean: one SLEDAI-2K descriptor; the
 *   descriptors of one date make one assessment
 */
import type { Observation } from '@medplum/fhirtypes'
import { FACT_CATALOGUE } from '../evaluate/facts/record-facts.ts'
import { ACR_1997_ITEMS, SLEDAI_2K_DESCRIPTORS, type PatientRecord, type SledaiDescriptor } from '../types.ts'
import { RECORD_SYSTEM } from './codes.ts'
import type { ImportContext, Where } from './context.ts'
import { describe, fhirDate } from './dates.ts'

const NAME = /^[a-z][a-z0-9_]*$/

/** How each catalogue fact is written into a record (the catalogue reads them back). */
const FACT_WRITERS: Record<string, (r: PatientRecord, v: boolean) => void> = {
  pregnant: (r, v) => void ((r.reproductive ??= {}).pregnant = v),
  lactating: (r, v) => void ((r.reproductive ??= {}).lactating = v),
  black_race: (r, v) => void (r.black_race = v),
  childbearing_potential: (r, v) => void ((r.reproductive ??= {}).childbearing_potential = v),
  contraception_agreed: (r, v) => void ((r.reproductive ??= {}).contraception_agreed = v),
  informed_consent_signed: (r, v) => void (r.informed_consent = { signed: v }),
  ...Object.fromEntries(ACR_1997_ITEMS.map(item => [`acr_1997.${item}`, (r: PatientRecord, v: boolean) => void ((r.acr_1997 ??= {})[item] = v)])),
}

/** Record paths of the facts, for the mapped list. */
function factTarget(code: string): string {
  if (code === 'informed_consent_signed') return 'informed_consent.signed'
  if (code.startsWith('acr_1997.')) return code
  if (code === 'black_race') return code
  return `reproductive.${code}`
}

/** The catalogue facts an Observation can set (every one but sex, which is Patient.gender). */
export const IMPORTABLE_FACTS = Object.keys(FACT_CATALOGUE).filter(f => f in FACT_WRITERS)

export function importRecordItem(ctx: ImportContext, where: Where, obs: Observation, code: string): void {
  const matched = `${RECORD_SYSTEM}|${code}`
  const effective = fhirDate(obs.effectiveDateTime ?? obs.effectiveInstant ?? obs.effectivePeriod?.start)
  const date = effective.ok ? effective.date : undefined

  if (code.startsWith('dates.') && NAME.test(code.slice(6))) {
    const d = fhirDate(obs.valueDateTime)
    if (!d.ok) {
      ctx.miss(
        where,
        'valueDateTime',
        obs.valueDateTime === undefined ? 'MISSING_VALUE' : d.why === 'imprecise' ? 'IMPRECISE_DATE' : 'UNSUPPORTED_VALUE',
        `${code}: ${d.message}`,
      )
      return
    }
    const name = code.slice(6)
    ctx.setSingular(code, date, where, code, () => {
      ;(ctx.record.dates ??= {})[name] = d.date
      ctx.hit(where, code, 'code', matched)
    })
    return
  }
  if (code.startsWith('attestations.') && NAME.test(code.slice(13))) {
    const v = boolean(ctx, where, obs, code)
    if (v === undefined) return
    ctx.setSingular(code, date, where, code, () => {
      ;(ctx.record.attestations ??= {})[code.slice(13)] = v
      ctx.hit(where, code, 'code', matched)
    })
    return
  }
  const writer = FACT_WRITERS[code]
  if (writer && code in FACT_CATALOGUE) {
    const v = boolean(ctx, where, obs, code)
    if (v === undefined) return
    ctx.setSingular(code, date, where, factTarget(code), () => {
      writer(ctx.record, v)
      ctx.hit(where, factTarget(code), 'code', matched)
    })
    return
  }
  if (code === 'sledai_2k' || (code.startsWith('sledai_2k.') && (SLEDAI_2K_DESCRIPTORS as readonly string[]).includes(code.slice(10)))) {
    if (!date) {
      ctx.miss(
        where,
        'effective[x]',
        effective.ok || obs.effectiveDateTime === undefined ? 'MISSING_DATE' : 'IMPRECISE_DATE',
        `${code}: a SLEDAI-2K assessment needs its date (effectiveDateTime)`,
      )
      return
    }
    importSledai(ctx, where, obs, code, date, matched)
    return
  }
  ctx.miss(
    where,
    'code',
    'UNKNOWN_CODE',
    `"${code}" is not a code of ${RECORD_SYSTEM} (dates.<name>, attestations.<name>, ${IMPORTABLE_FACTS.slice(0, 3).join(', ')}…, sledai_2k, sledai_2k.<descriptor>)`,
  )
}

function boolean(ctx: ImportContext, where: Where, obs: Observation, code: string): boolean | undefined {
  if (typeof obs.valueBoolean === 'boolean') return obs.valueBoolean
  const present = Object.keys(obs).find(k => k.startsWith('value'))
  ctx.miss(
    where,
    present ?? 'value[x]',
    present ? 'UNSUPPORTED_VALUE' : 'MISSING_VALUE',
    `${code}: expected valueBoolean, got ${present ? describe((obs as unknown as Record<string, unknown>)[present]) : 'no value'}`,
  )
  return undefined
}

function importSledai(ctx: ImportContext, where: Where, obs: Observation, code: string, date: string, matched: string): void {
  const list = (ctx.record.sledai_2k ??= [])
  if (code === 'sledai_2k') {
    const score = obs.valueInteger ?? obs.valueQuantity?.value
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 105) {
      ctx.miss(
        where,
        'valueInteger',
        score === undefined ? 'MISSING_VALUE' : 'UNSUPPORTED_VALUE',
        `SLEDAI-2K total: expected a whole number 0-105, got ${describe(score)}`,
      )
      return
    }
    ctx.hit(where, `sledai_2k[${list.length}]`, 'code', matched)
    list.push({ date, score })
    return
  }
  const v = boolean(ctx, where, obs, code)
  if (v === undefined) return
  let i = list.findIndex(a => a.date === date && a.score === undefined)
  if (i < 0) i = list.push({ date, descriptors: {} }) - 1
  const a = list[i]!
  ;(a.descriptors ??= {})[code.slice(10) as SledaiDescriptor] = v
  ctx.hit(where, `sledai_2k[${i}].descriptors.${code.slice(10)}`, 'code', matched)
}
