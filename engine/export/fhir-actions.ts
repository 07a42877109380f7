/**
 * PlanDefinition actions as both releases spell them: R4 names an action by
 * its element `id` and relates to it by `actionId`, R5 by `linkId` and
 * `targetId`. Every scheduled action is placed after the start of the
 * anchor action of its reference date, so a study day is an offset.
 */
import type { FhirContext } from './fhir-context.ts'
import { ACCEPTABLE_OFFSET_RANGE } from './fhir-codes.ts'
import { days, fhirId, type JsonObject } from './fhir-json.ts'

/** The action key of a reference date's anchor action (`ref-randomization`). */
export function anchorKey(ref: string): string {
  return `ref-${fhirId(ref)}`
}

/** How an action names itself in the release. */
export function actionKey(ctx: FhirContext, key: string): JsonObject {
  return ctx.release === 'R4' ? { id: key } : { linkId: key }
}

/** Study day `day` (day 1 = the reference date) as days after the start of the anchor. */
export function offsetOfDay(day: number): number {
  return day - 1
}

/**
 * "Starts `offset` days after the start of the anchor of `ref`", with an
 * acceptable range of offsets (a visit window) in the HL7 Vulcan Schedule of
 * Activities extension, which core FHIR lacks.
 */
export function afterStartOf(ctx: FhirContext, ref: string, offset: number, window?: { low: number; high: number }): JsonObject {
  return {
    extension: window ? [{ url: ACCEPTABLE_OFFSET_RANGE, valueRange: { low: days(window.low), high: days(window.high) } }] : undefined,
    ...(ctx.release === 'R4' ? { actionId: anchorKey(ref) } : { targetId: anchorKey(ref) }),
    // action-relationship-type after-start (http://hl7.org/fhir/R4/codesystem-action-relationship-type.html, same in R5)
    relationship: 'after-start',
    offsetDuration: days(offset),
  }
}
