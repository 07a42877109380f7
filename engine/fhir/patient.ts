/**
 * Patient: birth date, sex, and whether the patient is Black (US Core race).
 *
 * Sex is read, in order of preference, from the US Core sex extension
 * (US Core 6.1 and 8.0 `us-core-sex`, 9.0 `us-core-individual-sex`), the US Core
 * birth sex extension (`us-core-birthsex`, US Core 3-6), then administrative
 * gender. US Core 8+ Patients may carry sex only in an extension; clinical
 * criteria (eGFR, pregnancy) need sex, not administrative gender, so the
 * extensions come first.
 */
import type { Extension, Patient } from '@medplum/fhirtypes'
import type { ImportContext, Where } from './context.ts'
import { fhirDate } from './dates.ts'

type Sex = 'female' | 'male'

/**
 * Extensions that carry sex, by the end of their URL, most specific first:
 * US Core 6.1 `us-core-sex` (valueCode), 8.0 (valueCoding), 9.0
 * `us-core-individual-sex`; a core `individual-sex`; US Core 3-6
 * `us-core-birthsex` (US Core StructureDefinitions of each version).
 */
const SEX_EXTENSIONS: ReadonlyArray<{ suffix: string; name: string }> = [
  { suffix: '/us-core-sex', name: 'US Core sex extension' },
  { suffix: '/us-core-individual-sex', name: 'US Core individual sex extension' },
  { suffix: '/individual-sex', name: 'individual-sex extension' },
  { suffix: '/us-core-birthsex', name: 'US Core birth sex extension' },
]

/**
 * Codes meaning female or male in the value sets those extensions bind:
 * HL7 v3 AdministrativeGender F/M (birth sex), SNOMED CT 248152002 Female /
 * 248153007 Male (US Core sex value set, verify), FHIR administrative-gender.
 */
const SEX_CODES: Record<string, Sex> = { F: 'female', M: 'male', female: 'female', male: 'male', '248152002': 'female', '248153007': 'male' }

export function importPatient(ctx: ImportContext, where: Where, p: Patient): void {
  if (p.id) {
    ctx.record.id = p.id
    ctx.hit(where, 'id', 'field')
  }
  if (p.birthDate === undefined) {
    ctx.miss(where, 'birthDate', 'MISSING_DATE', 'no birth date', true)
  } else {
    const d = fhirDate(p.birthDate)
    if (d.ok) {
      ctx.record.birth_date = d.date
      ctx.hit(where, 'birth_date', 'field', undefined, undefined, 'birthDate')
    } else {
      ctx.miss(where, 'birthDate', d.why === 'imprecise' ? 'IMPRECISE_DATE' : 'UNSUPPORTED_VALUE', `birth date: ${d.message}`, true)
    }
  }
  importSex(ctx, where, p)
  importRace(ctx, where, p)
}

/** CDC Race & Ethnicity code system (urn:oid:2.16.840.1.113883.6.238), which the US Core race extension binds its OMB categories to. */
const CDC_RACE_SYSTEM = 'urn:oid:2.16.840.1.113883.6.238'
/** OMB category "Black or African American" (CDC Race & Ethnicity code set 2054-5; US Core race extension, ombCategory). */
const BLACK_OR_AFRICAN_AMERICAN = '2054-5'
/** The other OMB race categories (CDC code set): 1002-5 American Indian or Alaska Native, 2028-9 Asian, 2076-8 Native Hawaiian or Other Pacific Islander, 2106-3 White; 2131-1 Other Race (US Core 6+). */
const OTHER_OMB_RACES = new Set(['1002-5', '2028-9', '2076-8', '2106-3', '2131-1'])

/**
 * Whether the patient is Black, for the race coefficients of the CKD-EPI 2009
 * and MDRD eGFR equations: from the US Core race extension's OMB categories
 * (any number may be given; one of them 2054-5 means Black). No extension,
 * or one with no OMB race category (only text, detailed codes, or
 * UNK/ASKU): not recorded, never assumed.
 */
function importRace(ctx: ImportContext, where: Where, p: Patient): void {
  const extensions = Array.isArray(p.extension) ? p.extension : []
  const i = extensions.findIndex(e => typeof e?.url === 'string' && e.url.endsWith('/us-core-race'))
  if (i < 0) return
  const codes = (extensions[i]!.extension ?? [])
    .filter(x => x?.url === 'ombCategory')
    .map(x => x.valueCoding)
    .filter(c => c !== undefined && (c.system === undefined || c.system === CDC_RACE_SYSTEM) && typeof c.code === 'string')
    .map(c => c!.code!.trim())
  const categories = codes.filter(c => c === BLACK_OR_AFRICAN_AMERICAN || OTHER_OMB_RACES.has(c))
  if (categories.length === 0) {
    const said = codes.length > 0 ? `OMB category ${codes.join(', ')} is no race` : 'no OMB race category'
    ctx.miss(where, `extension[${i}]`, 'UNSUPPORTED_VALUE', `US Core race extension: ${said}; whether the patient is Black is not recorded`, true)
    return
  }
  const black = categories.includes(BLACK_OR_AFRICAN_AMERICAN)
  ctx.record.black_race = black
  ctx.hit(
    where,
    'black_race',
    'field',
    undefined,
    `from the US Core race extension (OMB ${categories.join(', ')}): ${black ? 'Black' : 'not Black'}`,
    `extension[${i}]`,
  )
}

function importSex(ctx: ImportContext, where: Where, p: Patient): void {
  const extensions = Array.isArray(p.extension) ? p.extension : []
  for (const { suffix, name } of SEX_EXTENSIONS) {
    const i = extensions.findIndex(e => typeof e?.url === 'string' && e.url.endsWith(suffix))
    if (i < 0) continue
    const raw = extensionCode(extensions[i]!)
    const sex = raw === undefined ? undefined : SEX_CODES[raw]
    if (!sex) {
      ctx.miss(
        where,
        `extension[${i}]`,
        raw === undefined ? 'MISSING_VALUE' : 'UNSUPPORTED_VALUE',
        `${name}: ${raw === undefined ? 'no value' : `"${raw}" is not female or male`}; sex not taken from it`,
        true,
      )
      continue
    }
    ctx.record.sex = sex
    const differs = (p.gender === 'female' || p.gender === 'male') && p.gender !== sex ? `; administrative gender says ${p.gender}, not used` : ''
    ctx.hit(where, 'sex', 'field', undefined, `from the ${name}${differs}`, `extension[${i}]`)
    return
  }
  // administrative gender (FHIR R4 administrative-gender): only female and male are sexes the record holds
  if (p.gender === 'female' || p.gender === 'male') {
    ctx.record.sex = p.gender
    ctx.hit(where, 'sex', 'field', undefined, 'from administrative gender', 'gender')
  } else {
    ctx.miss(
      where,
      'gender',
      p.gender === undefined ? 'MISSING_VALUE' : 'UNSUPPORTED_VALUE',
      p.gender === undefined ? 'no gender and no sex extension' : `gender "${p.gender}" is not female or male; sex not recorded`,
      true,
    )
  }
}

/** The code an extension's value carries: valueCode, valueCoding, valueCodeableConcept, or a nested `value` extension. */
function extensionCode(e: Extension): string | undefined {
  if (typeof e.valueCode === 'string') return e.valueCode.trim()
  const coding = e.valueCoding ?? e.valueCodeableConcept?.coding?.[0]
  if (typeof coding?.code === 'string') return coding.code.trim()
  const nested = e.extension?.find(x => x?.url === 'value')
  return nested ? extensionCode(nested) : undefined
}
