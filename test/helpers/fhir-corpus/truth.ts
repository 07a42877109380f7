/** Ground truth of a written finding: what it is, independent of whether the importer can map it. */
import { BP, PREGNANCY_STATUS, SYS, SYSTEMIC_ROUTES } from './codes.ts'
import type { Fact, PatientModel } from './model.ts'
import type { TruthItem } from './types.ts'

/**
 * The truth items of a fact written at `path` (none for observations the
 * dictionaries have no concept for: glucose, BMI, smoking status...).
 * `written` says which optional dates the resource actually carries.
 */
export function truthOf(fact: Fact, path: string, written: { end?: string } = {}): TruthItem[] {
  switch (fact.kind) {
    case 'medication': {
      const m = fact.med
      const systemic = SYSTEMIC_ROUTES.has(m.route)
      return [
        {
          path,
          kind: 'medication',
          concept: m.concept,
          ...(m.ingredients ? { ingredients: [...m.ingredients] } : {}),
          code: fact.textOnly ? '' : `${SYS.rxnorm}|${m.code}`,
          display: fact.textOnly ?? m.display,
          date: fact.date,
          ...(written.end ? { end: written.end } : {}),
          systemic,
          // a text-only "MPA" may be mycophenolic acid: relevant until told otherwise
          exclusionRelevant: fact.textOnly !== undefined || (m.exclusion !== undefined && systemic),
        },
      ]
    }
    case 'condition':
      return [
        {
          path,
          kind: 'condition',
          concept: fact.cond.concept,
          code: `${SYS.snomed}|${fact.cond.code}`,
          display: fact.cond.display,
          date: fact.date,
          ...(written.end ? { end: written.end } : {}),
          exclusionRelevant: fact.cond.exclusion !== undefined,
        },
      ]
    case 'procedure':
      return [
        {
          path,
          kind: 'procedure',
          concept: fact.proc.concept,
          code: `${SYS.snomed}|${fact.proc.code}`,
          display: fact.proc.display,
          date: fact.date,
          exclusionRelevant: fact.proc.exclusion !== undefined,
        },
      ]
    case 'vaccination':
      return [
        {
          path,
          kind: 'vaccination',
          concept: fact.vax.concept,
          code: `${SYS.cvx}|${fact.vax.code}`,
          display: fact.vax.display,
          date: fact.date,
          exclusionRelevant: fact.vax.live,
        },
      ]
    case 'lab':
      if (fact.lab.concept === null) return []
      return [
        {
          path,
          kind: 'lab',
          concept: fact.lab.concept,
          code: `${SYS.loinc}|${fact.lab.loinc}`,
          display: fact.lab.display,
          date: fact.date,
          value: fact.value,
          unit: fact.lab.unit,
          exclusionRelevant: false,
        },
      ]
    case 'bp':
      return [
        ...(BP.systolic.concept
          ? [
              {
                path,
                kind: 'lab' as const,
                concept: BP.systolic.concept,
                code: `${SYS.loinc}|${BP.systolic.code}`,
                display: BP.systolic.display,
                date: fact.date,
                value: fact.systolic,
                unit: 'mm[Hg]',
                exclusionRelevant: false,
              },
            ]
          : []),
        ...(BP.diastolic.concept
          ? [
              {
                path,
                kind: 'lab' as const,
                concept: BP.diastolic.concept,
                code: `${SYS.loinc}|${BP.diastolic.code}`,
                display: BP.diastolic.display,
                date: fact.date,
                value: fact.diastolic,
                unit: 'mm[Hg]',
                exclusionRelevant: false,
              },
            ]
          : []),
      ]
    case 'pregnancy_status':
      return [
        {
          path,
          kind: 'pregnancy_status',
          concept: PREGNANCY_STATUS.concept,
          code: `${SYS.loinc}|${PREGNANCY_STATUS.code}`,
          display: PREGNANCY_STATUS.display,
          date: fact.date,
          answer: `${SYS.snomed}|${fact.answer.code}`,
          exclusionRelevant: true,
        },
      ]
    case 'smoking':
      return []
  }
}

/** SNOMED CT sex codes (US Core sex value set: 248152002 Female (finding), 248153007 Male (finding)). */
export const SEX_SNOMED = {
  female: { code: '248152002', display: 'Female (finding)' },
  male: { code: '248153007', display: 'Male (finding)' },
} as const

/** Truth of the Patient: birth date and sex (from `gender` when written, else from the sex extension); sex decides whether the pregnancy exclusion applies. */
export function patientTruth(p: PatientModel, path: string, genderWritten: boolean): TruthItem[] {
  const sex: TruthItem = genderWritten
    ? {
        path,
        kind: 'sex',
        concept: p.sex,
        code: `http://hl7.org/fhir/administrative-gender|${p.sex}`,
        display: p.sex === 'female' ? 'Female' : 'Male',
        exclusionRelevant: true,
      }
    : { path, kind: 'sex', concept: p.sex, code: `${SYS.snomed}|${SEX_SNOMED[p.sex].code}`, display: SEX_SNOMED[p.sex].display, exclusionRelevant: true }
  return [{ path, kind: 'birth_date', concept: null, code: '', display: 'Patient.birthDate', date: p.birthDate, exclusionRelevant: false }, sex]
}
