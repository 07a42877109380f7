/**
 * Semantic checks of the study part of a protocol: arms, visits and
 * endpoints refer to things that exist, ids are unique, units are valid.
 */
import type { Condition, Endpoint, NumberOrParam, ProtocolDocument } from '../types.ts'
import type { Dictionary } from '../dictionary/index.ts'
import { hasClassOrItem, resolveLabConcept } from '../dictionary/index.ts'
import { canConvert, isValidUnit } from '../calculators/units.ts'
import { isParamRef } from '../compile/resolve.ts'
import type { PathSegment } from '../parse/path.ts'
import { issue, type SemanticIssue } from './issue.ts'
import { didYouMean } from './suggest.ts'
import { kindedEventSource } from '../logic/event-source-model.ts'

type Walk = (c: Condition, at: PathSegment[]) => void

function duplicates<T extends { id: string }>(list: T[], section: string, out: SemanticIssue[]): void {
  const seen = new Map<string, number>()
  list.forEach((x, i) => {
    if (typeof x?.id !== 'string') return // the schema reported it
    const first = seen.get(x.id)
    if (first !== undefined)
      out.push(issue('E_DUPLICATE_ID', [section, i, 'id'], `${section} id ${x.id} is already used by ${section}[${first}]`, 'a unique id', x.id))
    else seen.set(x.id, i)
  })
}

/**
 * @param walk checks a condition tree in endpoint mode (visit windows allowed)
 */
export function checkStudy(doc: ProtocolDocument, dictionary: Dictionary, skip: (path: string) => boolean, walk: Walk): SemanticIssue[] {
  const out: SemanticIssue[] = []
  // entries the schema rejected (null, no id...) are reported there; check the rest
  const visits = (doc.visits ?? []).filter(v => typeof v?.id === 'string')
  const visitIds = visits.map(v => v.id)
  const endpoints = (doc.endpoints ?? []).filter(e => typeof e?.id === 'string')
  const refDates = Object.keys(doc.reference_dates)

  const number = (x: NumberOrParam, at: PathSegment[]) => {
    if (!isParamRef(x)) return
    const def = doc.parameters?.[x.param]
    if (!def)
      out.push(
        issue(
          'E_UNKNOWN_PARAMETER',
          [...at, 'param'],
          `parameter "${x.param}" is not declared in parameters${didYouMean(x.param, Object.keys(doc.parameters ?? {}))}`,
          'a declared parameter',
          x.param,
        ),
      )
    else if (typeof def.value !== 'number')
      out.push(issue('E_PARAMETER_VALUE', [...at, 'param'], `parameter "${x.param}" must hold a number here`, 'a number', JSON.stringify(def.value)))
  }
  const refDate = (name: string, at: PathSegment[]) => {
    if (!doc.reference_dates[name])
      out.push(
        issue(
          'E_UNKNOWN_REFERENCE_DATE',
          at,
          `reference date "${name}" is not declared in reference_dates${didYouMean(name, refDates)}`,
          refDates.join(', '),
          name,
        ),
      )
  }
  const visit = (name: string, at: PathSegment[]) => {
    if (!visitIds.includes(name))
      out.push(issue('E_UNKNOWN_VISIT', at, `visit "${name}" is not declared in visits${didYouMean(name, visitIds)}`, visitIds.join(', '), name))
  }
  const endpointOf = (id: string, type: Endpoint['type'], at: PathSegment[]) => {
    const e = endpoints.find(x => x.id === id)
    if (!e || e.type !== type) {
      const ids = endpoints.filter(x => x.type === type).map(x => x.id)
      out.push(issue('E_UNKNOWN_ENDPOINT', at, `no ${type} endpoint "${id}"${didYouMean(id, ids)}`, ids.join(', ') || `a ${type} endpoint`, id))
    }
    return e
  }

  const convention = (conv: unknown, at: PathSegment[]) => {
    if (!isParamRef(conv)) return
    const def = doc.parameters?.[conv.param]
    if (!def)
      out.push(
        issue(
          'E_UNKNOWN_PARAMETER',
          [...at, 'interval_censored_as', 'param'],
          `parameter "${conv.param}" is not declared in parameters${didYouMean(conv.param, Object.keys(doc.parameters ?? {}))}`,
          'a declared parameter',
          conv.param,
        ),
      )
    else if (def.value !== 'right' && def.value !== 'midpoint')
      out.push(
        issue(
          'E_PARAMETER_VALUE',
          [...at, 'interval_censored_as', 'param'],
          `parameter "${conv.param}" must hold right or midpoint here`,
          'right, midpoint',
          JSON.stringify(def.value),
        ),
      )
  }

  duplicates(visits, 'visits', out)
  ;(doc.visits ?? []).forEach((v, i) => {
    if (skip(`visits[${i}]`) || typeof v?.id !== 'string') return
    refDate(v.ref, ['visits', i, 'ref'])
    number(v.day, ['visits', i, 'day'])
    number(v.window.before_days, ['visits', i, 'window', 'before_days'])
    number(v.window.after_days, ['visits', i, 'window', 'after_days'])
  })

  duplicates(doc.arms ?? [], 'arms', out)
  ;(doc.arms ?? []).forEach((arm, i) => {
    if (skip(`arms[${i}]`) || !Array.isArray(arm?.interventions)) return
    arm.interventions.forEach((iv, j) => {
      const at: PathSegment[] = ['arms', i, 'interventions', j]
      if (skip(`arms[${i}].interventions[${j}]`)) return
      refDate(iv.start.ref, [...at, 'start', 'ref'])
      for (const key of ['every_days', 'doses_per_cycle', 'cycles', 'cycle_period_days'] as const) {
        const x = iv[key]
        if (x !== undefined) number(x, [...at, key])
      }
      number(iv.start.day, [...at, 'start', 'day'])
      number(iv.dose.amount, [...at, 'dose', 'amount'])
      if (!isValidUnit(iv.dose.unit))
        out.push(
          issue(
            'E_UNIT_INCONVERTIBLE',
            [...at, 'dose', 'unit'],
            `"${iv.dose.unit}" is not a valid UCUM unit`,
            'a UCUM unit such as [IU], mg or {cells}',
            iv.dose.unit,
          ),
        )
      if (iv.drug !== undefined && !hasClassOrItem('drugs', iv.drug, dictionary)) {
        out.push(issue('E_UNKNOWN_DICTIONARY_ENTRY', [...at, 'drug'], `drug "${iv.drug}" is not in the drugs dictionary`, 'a drug id', iv.drug))
      }
    })
  })

  duplicates(doc.endpoints ?? [], 'endpoints', out)
  ;(doc.endpoints ?? []).forEach((e, i) => {
    if (typeof e?.id !== 'string') return
    const at: PathSegment[] = ['endpoints', i]
    if (skip(`endpoints[${i}]`)) return
    if ('visits' in e) for (const [j, v] of e.visits.entries()) visit(v, [...at, 'visits', j])
    if ('baseline' in e) visit(e.baseline, [...at, 'baseline'])
    switch (e.type) {
      case 'response':
        walk(e.logic, [...at, 'logic'])
        break
      case 'classification':
        for (const [j, l] of e.levels.entries()) endpointOf(l.endpoint, 'response', [...at, 'levels', j, 'endpoint'])
        break
      case 'time_to_event': {
        refDate(e.from, [...at, 'from'])
        const c = endpointOf(e.classification, 'classification', [...at, 'classification'])
        if (c?.type === 'classification') {
          const known = [...c.levels.map(l => l.level), c.otherwise]
          e.levels.forEach((l, j) => {
            if (!known.includes(l)) out.push(issue('E_UNKNOWN_ENDPOINT', [...at, 'levels', j], `level "${l}" is not a level of ${c.id}`, known.join(', '), l))
          })
        }
        convention(e.interval_censored_as, at)
        break
      }
      case 'time_to_first_event':
        refDate(e.from, [...at, 'from'])
        number(e.until_day, [...at, 'until_day'])
        convention(e.interval_censored_as, at)
        e.events.forEach((s, j) => {
          const where: PathSegment[] = [...at, 'events', j]
          // histories and visit questions are checked as the leaves they read (sets, dictionary entries, declared attestations)
          const k = kindedEventSource(s)
          if (k.kind === 'condition') walk({ condition: k.source.condition }, where)
          else if (k.kind === 'procedure') walk({ procedure: k.source.procedure }, where)
          else if (k.kind === 'attestation') walk({ attestation: k.source.attestation, is: true, at: 'current' }, where)
          else if (k.kind === 'ratio_to_baseline') {
            const r = k.source.ratio_to_baseline
            if (!resolveLabConcept(r.concept, dictionary))
              out.push(
                issue(
                  'E_UNKNOWN_CONCEPT',
                  [...where, 'ratio_to_baseline', 'concept'],
                  `lab concept "${r.concept}" is not in the dictionary`,
                  'a lab concept id',
                  r.concept,
                ),
              )
            visit(r.baseline, [...where, 'ratio_to_baseline', 'baseline'])
            number(r.value, [...where, 'ratio_to_baseline', 'value'])
          }
        })
        break
      case 'sle_responder_index':
        number(e.reduction, [...at, 'reduction'])
        number(e.pga_worsening_limit, [...at, 'pga_worsening_limit'])
        break
      case 'adverse_events':
        visit(e.until_visit, [...at, 'until_visit'])
        break
      case 'lab_shifts':
        number(e.min_grade_increase, [...at, 'min_grade_increase'])
        break
      case 'vital_sign_changes':
        e.rules.forEach((r, j) => {
          const concept = resolveLabConcept(r.concept, dictionary)
          if (!concept)
            out.push(
              issue(
                'E_UNKNOWN_CONCEPT',
                [...at, 'rules', j, 'concept'],
                `unknown lab concept "${r.concept}"${didYouMean(
                  r.concept,
                  dictionary.labConcepts.map(c => c.id),
                )}`,
                'a lab concept id',
                r.concept,
              ),
            )
          else if (!canConvert(concept.unit, r.unit, concept))
            out.push(
              issue(
                'E_UNIT_INCONVERTIBLE',
                [...at, 'rules', j, 'unit'],
                `${concept.name} is measured in ${concept.unit}, which cannot be converted to ${r.unit}`,
                `a unit convertible to ${concept.unit}`,
                r.unit,
              ),
            )
          number(r.by_at_least, [...at, 'rules', j, 'by_at_least'])
        })
        break
      case 'change_from_baseline':
        break
    }
  })
  return out
}
