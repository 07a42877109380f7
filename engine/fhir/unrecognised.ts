/**
 * What the import does with a condition, procedure or vaccination that no
 * dictionary entry matches: it is kept in the record as unrecognised, with
 * what it could be, so that the criteria it could decide stay unknown.
 *
 * - A name standing for several entries keeps them as its candidates.
 * - A vaccination could be any vaccine (a live one included).
 * - A condition or procedure is read by its words (unrecognised-hints.json):
 *   "Metastasis from malignant tumor of prostate" could be a malignancy.
 * - One whose words suggest none of the dictionary's classes is taken as
 *   relevant to no criterion, reported as OUTSIDE_DICTIONARY for a person to
 *   check, only when that is plausible: a procedure, or a condition that
 *   SNOMED CT itself tags as no disorder ("Full-time employment (finding)",
 *   "Medication review due (situation)"). An unknown disorder ("Osteosarcoma
 *   (disorder)", "Urosepsis") could be anything, as could an item with no
 *   words at all.
 */
import type { CodeableConcept } from '@medplum/fhirtypes'
import { ambiguousCandidates } from '../dictionary/ambiguous-names.ts'
import { possibleClasses } from '../dictionary/unrecognised-hints.ts'
import { entryNames, type EntryDomain } from '../dictionary/index.ts'
import type { HistorySection, UnrecognisedEntry } from '../types.ts'
import { conceptCodes, conceptText, conceptTexts } from './codes.ts'
import type { ImportContext, Where } from './context.ts'

const DOMAIN: Record<Exclude<HistorySection, 'medications'>, { domain: EntryDomain; noun: string }> = {
  conditions: { domain: 'conditions', noun: 'condition' },
  procedures: { domain: 'procedures', noun: 'procedure' },
  vaccinations: { domain: 'vaccines', noun: 'vaccine' },
}

type Dates = Pick<UnrecognisedEntry, 'onset' | 'resolved' | 'ongoing' | 'date' | 'planned'>

/**
 * Keeps (or, outside every class, reports) an item no entry matched.
 *
 * @param sub the path of its code within the resource (`code`, `vaccineCode`)
 * @param dates the dates the item carries, in the section's fields
 */
export function keepUnrecognised(
  ctx: ImportContext,
  where: Where,
  sub: string,
  section: Exclude<HistorySection, 'medications'>,
  cc: CodeableConcept | undefined,
  dates: Dates,
): void {
  const { domain, noun } = DOMAIN[section]
  const texts = conceptTexts(cc)
  const codes = conceptCodes(cc)
  const text = texts[0] ?? (codes.join(', ') || '(no code or text)')
  const base = { text, ...(codes.length ? { codes } : {}), ...dates }
  for (const t of texts) {
    const candidates = ambiguousCandidates(domain, t)
    if (candidates) {
      const names = entryNames(domain, candidates, ctx.dict).join(' or ')
      ctx.keep(
        where,
        sub,
        section,
        { ...base, possibly: candidates, reason: `"${t}" may be ${names}` },
        'AMBIGUOUS_NAME',
        `"${t}" is ambiguous: ${names}; kept unrecognised — review it`,
      )
      return
    }
  }
  const unknown = `no ${noun} in the dictionary matches ${conceptText(cc)}`
  if (section === 'vaccinations' || texts.length === 0) {
    ctx.keep(
      where,
      sub,
      section,
      { ...base, reason: `not in the ${domain} dictionary` },
      'UNKNOWN_CODE',
      `${unknown}; it could be any ${noun}, so the criteria it could decide stay unknown — review it`,
    )
    return
  }
  const classes = [...new Set(texts.flatMap(t => possibleClasses(domain, t)))]
  if (classes.length === 0 && (section === 'procedures' || taggedNoDisorder(texts))) {
    ctx.miss(
      where,
      sub,
      'OUTSIDE_DICTIONARY',
      `${unknown}, and its words suggest none of the dictionary's ${noun} classes: taken as relevant to no criterion — check it`,
    )
    return
  }
  if (classes.length === 0) {
    ctx.keep(
      where,
      sub,
      section,
      { ...base, reason: `not in the ${domain} dictionary` },
      'UNKNOWN_CODE',
      `${unknown}; it could be any ${noun}, so the criteria it could decide stay unknown — review it`,
    )
    return
  }
  ctx.keep(
    where,
    sub,
    section,
    { ...base, possibly: classes, reason: `not in the ${domain} dictionary; its words suggest ${classes.join(', ')}` },
    'UNKNOWN_CODE',
    `${unknown}; it could be ${classes.join(' or ')}, so the criteria about those stay unknown — review it`,
  )
}

/**
 * SNOMED CT semantic tags of concepts that are no disorder: social and
 * administrative findings, situations, observables (SNOMED CT Editorial
 * Guide, semantic tags). "(finding)" covers clinical findings too ("Fever
 * (finding)"), which is why hint words are tried first.
 */
const NO_DISORDER_TAGS = new Set([
  'finding',
  'situation',
  'social concept',
  'person',
  'observable entity',
  'qualifier value',
  'event',
  'environment',
  'record artifact',
  'occupation',
  'life style',
  'ethnic group',
  'racial group',
  'religion/philosophy',
])

/**
 * Whether the texts carry SNOMED CT semantic tags and all of them say no
 * disorder (`Full-time employment (finding)`; a plain text beside it is no
 * tag, so neither for nor against).
 */
function taggedNoDisorder(texts: readonly string[]): boolean {
  const tags = texts.flatMap(t => /\(([^()]+)\)\s*$/.exec(t)?.[1]?.trim().toLowerCase() ?? [])
  return tags.length > 0 && tags.every(tag => NO_DISORDER_TAGS.has(tag))
}
