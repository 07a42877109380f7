/** Patient: birth date and sex (administrative gender). */
import type { Patient } from '@medplum/fhirtypes'
import type { ImportContext, Where } from './context.ts'
import { fhirDate } from './dates.ts'

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
  // administrative gender (FHIR R4 administrative-gender): only female and male are sexes the record holds
  if (p.gender === 'female' || p.gender === 'male') {
    ctx.record.sex = p.gender
    ctx.hit(where, 'sex', 'field', undefined, 'from administrative gender', 'gender')
  } else {
    ctx.miss(where, 'gender', p.gender === undefined ? 'MISSING_VALUE' : 'UNSUPPORTED_VALUE', p.gender === undefined ? 'no gender' : `gender "${p.gender}" is not female or male; sex not recorded`, true)
  }
}
