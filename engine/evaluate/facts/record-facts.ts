/**
 * Simple recorded facts named in protocols (`fact: pregnant`), attestations
 * and protocol parameters. The catalogue is the list of names a protocol may
 * use; semantic validation rejects any other name.
 */
import type { PatientRecord } from '../../types.ts'
import { ACR_1997, YES_NO_FACTS } from '../../record-catalogue.ts'
import { known, unknown, type Evidence } from '../evidence.ts'
import type { FactContext } from './context.ts'
import type { FactValue } from '../../extensions.ts'
import { currentPregnancy } from './pregnancy-status.ts'

export interface CatalogueFact {
  description: string
  read: (p: PatientRecord) => boolean | string | undefined
  /** Why `read` found no value, when there is more to say than "not recorded". */
  whyUnknown?: (p: PatientRecord) => string
}

/** Every name a `fact:` leaf may use, with where it is read from. */
export const FACT_CATALOGUE: Record<string, CatalogueFact> = {
  sex: { description: 'sex', read: p => p.sex },
  black_race: { description: YES_NO_FACTS.black_race.description, read: p => p.black_race },
  pregnant: {
    description: YES_NO_FACTS.pregnant.description,
    read: p => currentPregnancy(p).value,
    whyUnknown: p => {
      const r = currentPregnancy(p)
      return r.value === undefined ? r.why : 'not recorded'
    },
  },
  lactating: { description: YES_NO_FACTS.lactating.description, read: p => p.reproductive?.lactating },
  childbearing_potential: { description: YES_NO_FACTS.childbearing_potential.description, read: p => p.reproductive?.childbearing_potential },
  contraception_agreed: { description: YES_NO_FACTS.contraception_agreed.description, read: p => p.reproductive?.contraception_agreed },
  informed_consent_signed: { description: YES_NO_FACTS.informed_consent_signed.description, read: p => p.informed_consent?.signed },
  ...Object.fromEntries(
    ACR_1997.map(({ id, name }): [string, CatalogueFact] => [`acr_1997.${id}`, { description: `ACR 1997: ${name}`, read: p => p.acr_1997?.[id] }]),
  ),
}

/** A `fact:` leaf's parameters: the fact, and for a comparison its operator and value. */
export interface RecordFactParams {
  name: string
  op?: string
  value?: unknown
}

/** Built-in comparisons a `fact:` leaf may use with `op` (numbers compare as numbers; == and != compare any value). */
const COMPARE: Record<string, (a: FactValue, b: unknown) => boolean> = {
  '>': (a, b) => typeof a === 'number' && typeof b === 'number' && a > b,
  '>=': (a, b) => typeof a === 'number' && typeof b === 'number' && a >= b,
  '<': (a, b) => typeof a === 'number' && typeof b === 'number' && a < b,
  '<=': (a, b) => typeof a === 'number' && typeof b === 'number' && a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
}

export function recordFactEvidence(patient: PatientRecord, params: RecordFactParams, ctx?: FactContext): Evidence {
  const fact = FACT_CATALOGUE[params.name] ?? ctx?.extensions?.facts?.[params.name]
  if (!fact) return unknown(`unknown fact ${params.name}`, [])
  const value = fact.read(patient)
  if (value === undefined)
    return unknown((fact as CatalogueFact).whyUnknown?.(patient) ?? 'not recorded', [{ key: params.name, description: fact.description }])
  const shown = `recorded ${value === true ? 'yes' : value === false ? 'no' : value}`
  if (params.op === undefined) return known(value, shown)
  // decided here, on a known value: the rule then only checks the answer is true
  const test = COMPARE[params.op] ?? ctx?.extensions?.operators?.[params.op]?.test
  if (!test) return unknown(`unknown operator ${params.op}`, [])
  return known(test(value, params.value), shown)
}

export function attestationEvidence(patient: PatientRecord, params: { name: string; at?: string }, ctx: FactContext): Evidence {
  const question = ctx.doc.attestations?.[params.name]?.question ?? params.name
  const visit = params.at === 'current' ? ctx.run?.currentVisit : params.at
  const answers =
    params.at === undefined
      ? patient.attestations
      : (patient as { visits?: Array<{ visit: string; attestations?: Record<string, boolean> }> }).visits?.find(v => v.visit === visit)?.attestations
  const value = answers?.[params.name]
  const where = params.at === undefined ? '' : ` at ${visit ?? 'the visit'}`
  if (value === undefined) {
    const key = params.at === undefined ? `attestations.${params.name}` : `visits.${visit ?? 'current'}.attestations.${params.name}`
    return unknown(`investigator has not answered${where}`, [{ key, description: `investigator attestation${where}: ${question}` }])
  }
  return known(value, `investigator answered ${value ? 'yes' : 'no'}${where}`)
}

export function parameterEvidence(params: { name: string }, ctx: FactContext): Evidence {
  const value = ctx.params[params.name]
  if (value === undefined) return unknown(`unknown parameter ${params.name}`, [])
  return known(value, `protocol parameter ${params.name} = ${String(value)}`)
}
