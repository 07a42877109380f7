/**
 * Condition, Procedure and Immunization: the entry by code where the
 * dictionary carries the code system (ICD-10 and SNOMED CT for conditions,
 * SNOMED CT for procedures, ATC and CVX for vaccines), otherwise by display or
 * text against names and synonyms (reported as a name match), with dates and
 * status. What matches nothing is kept as unrecognised (see unrecognised.ts).
 */
import type { Condition, Immunization, Procedure } from '@medplum/fhirtypes'
import type { ConditionRecord, ProcedureRecord, VaccinationRecord } from '../types.ts'
import { SYSTEMS, codings, conceptCodes, conceptText, conceptTexts, matchEntry } from './codes.ts'
import type { ImportContext, Where } from './context.ts'
import { keepUnrecognised } from './unrecognised.ts'

/** FHIR R4 condition-clinical codes meaning "still present". */
const CLINICAL_ONGOING = new Set(['active', 'recurrence', 'relapse'])
const CLINICAL_OVER = new Set(['inactive', 'remission', 'resolved'])
/** condition-ver-status codes that say the condition is not there. */
const VERIFICATION_EXCLUDED = new Set(['refuted', 'entered-in-error'])
/** condition-ver-status codes of a condition not yet established: it may be there, so it is kept to review. */
const VERIFICATION_UNCERTAIN = new Set(['unconfirmed', 'provisional', 'differential'])
/**
 * FHIR R4 condition-severity value set (SNOMED CT): 24484000 Severe,
 * 6736007 Moderate, 255604002 Mild.
 */
const SEVERITY: Record<string, ConditionRecord['severity']> = { '24484000': 'severe', '6736007': 'moderate', '255604002': 'mild' }

export function importCondition(ctx: ImportContext, where: Where, c: Condition): void {
  if (ctx.otherPatient(where, 'subject', c.subject)) return
  const verification = codings(c.verificationStatus).find(x => x.system === SYSTEMS.conditionVerification)?.code
  if (verification && VERIFICATION_EXCLUDED.has(verification)) {
    ctx.miss(where, 'verificationStatus', 'EXCLUDED_STATUS', `verification status "${verification}": the condition is not there`)
    return
  }
  const uncertain = verification !== undefined && VERIFICATION_UNCERTAIN.has(verification)
  const found = matchEntry('conditions', c.code, ctx.dict)
  const rec: ConditionRecord = { concept: found?.entry.id ?? '' }
  if (c.onsetAge || c.onsetRange) {
    ctx.miss(where, c.onsetAge ? 'onsetAge' : 'onsetRange', 'IMPRECISE_DATE', 'onset given as an age, not a date', true)
  } else {
    const onset = ctx.date(
      where,
      [
        { sub: 'onsetDateTime', value: c.onsetDateTime },
        { sub: 'onsetPeriod.start', value: c.onsetPeriod?.start },
        { sub: 'onsetString', value: c.onsetString },
      ],
      'onset date',
      { required: true, imported: true },
    )
    if (onset.date) rec.onset = onset.date
  }
  const abatement = ctx.date(
    where,
    [
      { sub: 'abatementDateTime', value: c.abatementDateTime },
      { sub: 'abatementPeriod.end', value: c.abatementPeriod?.end },
      { sub: 'abatementPeriod.start', value: c.abatementPeriod?.start },
      { sub: 'abatementString', value: c.abatementString },
    ],
    'abatement date',
    { required: false, imported: true },
  )
  const clinical = codings(c.clinicalStatus).find(x => x.system === SYSTEMS.conditionClinical)?.code
  const hasAbatement = c.abatementDateTime ?? c.abatementPeriod ?? c.abatementString ?? c.abatementAge ?? c.abatementRange
  if (c.abatementAge || c.abatementRange)
    ctx.miss(where, c.abatementAge ? 'abatementAge' : 'abatementRange', 'IMPRECISE_DATE', 'abatement given as an age, not a date', true)
  if (abatement.date) rec.resolved = abatement.date
  if (hasAbatement || (clinical && CLINICAL_OVER.has(clinical))) {
    rec.ongoing = false
    if (clinical === 'resolved') rec.outcome = 'resolved'
  } else if (clinical && CLINICAL_ONGOING.has(clinical)) {
    rec.ongoing = true
    if (clinical === 'recurrence' || clinical === 'relapse') rec.recurrent = true
  }
  const severity = codings(c.severity).find(x => x.system === SYSTEMS.snomed && x.code && SEVERITY[x.code])?.code
  if (severity) rec.severity = SEVERITY[severity]
  else if (c.severity)
    ctx.miss(
      where,
      'severity',
      'UNKNOWN_CODE',
      `severity ${conceptText(c.severity)} is not mild/moderate/severe of the FHIR condition-severity value set`,
      true,
    )
  const dates = {
    ...(rec.onset ? { onset: rec.onset } : {}),
    ...(rec.resolved ? { resolved: rec.resolved } : {}),
    ...(rec.ongoing !== undefined ? { ongoing: rec.ongoing } : {}),
  }
  if (found && uncertain) {
    // a provisional malignancy is not "no malignancy": the criteria about it stay unknown until it is confirmed or refuted
    const codes = conceptCodes(c.code)
    ctx.keep(
      where,
      'verificationStatus',
      'conditions',
      {
        text: conceptTexts(c.code)[0] ?? found.entry.name,
        ...(codes.length ? { codes } : {}),
        possibly: [found.entry.id],
        reason: `verification status "${verification}": not yet established`,
        ...dates,
      },
      'EXCLUDED_STATUS',
      `${found.entry.name}, verification status "${verification}": not established, so kept to review; the criteria about it stay unknown`,
    )
    return
  }
  if (!found) {
    keepUnrecognised(ctx, where, 'code', 'conditions', c.code, dates)
    return
  }
  const list = (ctx.record.conditions ??= [])
  ctx.hit(
    where,
    `conditions[${list.length}]`,
    found.match,
    found.matched,
    found.match === 'name' ? `matched by name to ${found.entry.name}; check it` : undefined,
    'code',
  )
  list.push(rec)
}

/** procedure-status values meaning it did not happen. */
const PROCEDURE_EXCLUDED: Record<string, string> = { 'not-done': 'not done', 'entered-in-error': 'entered in error' }

export function importProcedure(ctx: ImportContext, where: Where, p: Procedure): void {
  if (ctx.otherPatient(where, 'subject', p.subject)) return
  const status = p.status ?? ''
  if (PROCEDURE_EXCLUDED[status]) {
    ctx.miss(where, 'status', 'EXCLUDED_STATUS', `status "${status}": ${PROCEDURE_EXCLUDED[status]}`)
    return
  }
  const found = matchEntry('procedures', p.code, ctx.dict)
  const rec: ProcedureRecord = { concept: found?.entry.id ?? '' }
  // preparation: scheduled, not yet done (FHIR R4 event-status)
  if (status === 'preparation') rec.planned = true
  const date = ctx.date(
    where,
    [
      { sub: 'performedDateTime', value: p.performedDateTime },
      { sub: 'performedPeriod.start', value: p.performedPeriod?.start },
      { sub: 'performedString', value: p.performedString },
    ],
    'date performed',
    { required: !rec.planned, imported: true },
  )
  if (date.date) rec.date = date.date
  if (!found) {
    keepUnrecognised(ctx, where, 'code', 'procedures', p.code, { ...(rec.date ? { date: rec.date } : {}), ...(rec.planned ? { planned: true } : {}) })
    return
  }
  const list = (ctx.record.procedures ??= [])
  ctx.hit(
    where,
    `procedures[${list.length}]`,
    found.match,
    found.matched,
    found.match === 'name' ? `matched by name to ${found.entry.name}; check it` : undefined,
    'code',
  )
  list.push(rec)
}

export function importImmunization(ctx: ImportContext, where: Where, im: Immunization): void {
  if (ctx.otherPatient(where, 'patient', im.patient)) return
  if (im.status === 'not-done' || im.status === 'entered-in-error') {
    ctx.miss(where, 'status', 'EXCLUDED_STATUS', `status "${im.status}": not given`)
    return
  }
  const found = matchEntry('vaccines', im.vaccineCode, ctx.dict)
  const rec: VaccinationRecord = { vaccine: found?.entry.id ?? '' }
  const date = ctx.date(
    where,
    [
      { sub: 'occurrenceDateTime', value: im.occurrenceDateTime },
      { sub: 'occurrenceString', value: im.occurrenceString },
    ],
    'date given',
    { required: true, imported: true },
  )
  if (date.date) rec.date = date.date
  if (!found) {
    keepUnrecognised(ctx, where, 'vaccineCode', 'vaccinations', im.vaccineCode, rec.date ? { date: rec.date } : {})
    return
  }
  const list = (ctx.record.vaccinations ??= [])
  const live = found.entry.live ? ' (live vaccine)' : ''
  ctx.hit(
    where,
    `vaccinations[${list.length}]`,
    found.match,
    found.matched,
    found.match === 'name' ? `matched by name to ${found.entry.name}${live}; check it` : live ? `${found.entry.name}${live}` : undefined,
    'vaccineCode',
  )
  list.push(rec)
}
