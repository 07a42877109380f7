/**
 * Protocol logic (as written in YAML) -> intermediate nodes with resolved
 * parameters, sets and windows, each with a path and a plain-words label.
 */
import type {
  AgeLeaf,
  AttestationLeaf,
  BiopsyLeaf,
  Condition,
  ComparisonOperator,
  FactLeaf,
  MeasurementLeaf,
  PregnancyTestLeaf,
  ProtocolDocument,
  SteroidDaysLeaf,
  SteroidDoseLeaf,
} from '../types.ts'
import type { Dictionary } from '../dictionary/index.ts'
import type { EngineExtensions } from '../extensions.ts'
import { resolveLabConcept } from '../dictionary/index.ts'
import type { OperatorName } from '../evaluate/operators.ts'
import { FACT_CATALOGUE } from '../evaluate/facts/record-facts.ts'
import type { IrLeaf, IrNode, ResolvedParameters } from './ir.ts'
import { describeRef, describeWindow, opWords, visitLabel } from './labels.ts'
import { resolveNumber, resolveString, resolveWindow } from './resolve.ts'
import { normalizeEventLeaf } from './normalize-events.ts'
import { leafEgfrEquation } from './egfr-equation.ts'
import { normalizeChangeLeaf } from './normalize-change.ts'
import {
  childPath,
  childrenOf,
  measurementThreshold,
  visitCondition,
  type ConditionByKind,
  type ConditionKind,
  type ConditionVisitor,
} from '../logic/condition-model.ts'

const OPERATOR: Record<ComparisonOperator, OperatorName> = {
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
  '==': 'eq',
  '!=': 'ne',
}

export interface NormalizeContext {
  doc: ProtocolDocument
  params: ResolvedParameters
  dictionary: Dictionary
  extensions?: EngineExtensions
}

/** Turn one YAML condition into an intermediate node at `path`. */
export function normalizeCondition(cond: Condition, path: string, ctx: NormalizeContext): IrNode {
  return visitCondition(cond, NORMALIZE, [path, ctx], c => {
    throw new Error(`unsupported condition at ${path}: ${Object.keys(c).join(', ')}`)
  })
}

/** The children of a group, normalised at their paths. */
function normalizeChildren(cond: Condition, path: string, ctx: NormalizeContext): IrNode[] {
  return childrenOf(cond).map(({ node, at }) => normalizeCondition(node, childPath(path, at), ctx))
}

type Normalizer<K extends ConditionKind> = (cond: ConditionByKind[K], path: string, ctx: NormalizeContext) => IrNode

function group(kind: 'all' | 'any'): Normalizer<'all' | 'any'> {
  return (cond, path, ctx) => {
    const children = normalizeChildren(cond, path, ctx)
    const joiner = kind === 'all' ? ' and ' : ' or '
    return { kind, path, label: cond.label ?? children.map(c => `(${c.label})`).join(joiner), children }
  }
}

const NORMALIZE: ConditionVisitor<IrNode, [string, NormalizeContext]> = {
  all: group('all'),
  any: group('any'),
  not: (cond, path, ctx) => {
    const [child] = normalizeChildren(cond, path, ctx) as [IrNode]
    return { kind: 'not', path, label: cond.label ?? `not (${child.label})`, child }
  },
  either: (cond, path, ctx) => {
    const children = normalizeChildren(cond, path, ctx).map(n => {
      if (n.kind !== 'leaf') throw new Error(`either at ${path} may only hold leaves`)
      return n
    })
    return { kind: 'either', path, label: cond.label ?? children.map(c => `(${c.label})`).join(' or, if not measured, '), children }
  },
  at_least: (cond, path, ctx) => {
    const { n } = cond.at_least
    const children = normalizeChildren(cond, path, ctx)
    return { kind: 'at_least', path, label: cond.label ?? `at least ${n} of ${children.length}`, n, children }
  },
  measurement: normalizeMeasurement,
  change: (cond, path, ctx) => normalizeChangeLeaf(cond.change, cond.label, path, ctx, op => OPERATOR[op]),
  steroid_dose: normalizeSteroidDose,
  steroid_days: normalizeSteroidDays,
  biopsy: normalizeBiopsy,
  age: normalizeAge,
  fact: normalizeFact,
  attestation: normalizeAttestation,
  parameter: (cond, path) =>
    leaf(path, cond.label ?? `protocol parameter ${cond.parameter} is ${String(cond.is)}`, {
      fact: 'parameter',
      params: { name: cond.parameter },
      operator: 'eq',
      value: cond.is,
    }),
  pregnancy_test: normalizePregnancyTest,
  medication: normalizeEventLeaf,
  condition: normalizeEventLeaf,
  procedure: normalizeEventLeaf,
  vaccination: normalizeEventLeaf,
}

function leaf(path: string, label: string, rest: Omit<IrLeaf, 'kind' | 'path' | 'label'>): IrLeaf {
  return { kind: 'leaf', path, label, ...rest }
}

function normalizeMeasurement({ measurement: m, label: own }: MeasurementLeaf, path: string, ctx: NormalizeContext): IrLeaf {
  const { doc, params } = ctx
  const concept = resolveLabConcept(m.concept, ctx.dictionary)
  const window = resolveWindow(m.window, params)
  const unit = m.unit ?? concept?.unit
  // at a visit, the observation nearest the visit's nominal day; otherwise the latest
  const select = m.select ?? (window.kind === 'visit' ? 'nearest' : 'latest')
  // eGFR: the protocol's equation names the value and decides which values are used
  const egfr = leafEgfrEquation(concept?.id, m.equation, params, ctx.dictionary)
  const name = egfr?.name ?? concept?.name ?? m.concept
  const unitText = unit && unit !== '{score}' ? ` ${unit}` : ''
  const where = `${select}, ${describeWindow(window, doc)}`
  const common = { concept: concept?.id ?? m.concept, unit, window, select, ...(egfr ? { equation: egfr.equation } : {}) }
  const threshold = measurementThreshold(m.value)
  const relative = threshold.kind === 'times_upper_limit'
  if (relative && m.consecutive === undefined) {
    // compared as a multiple of the upper limit of normal the lab reported with the value
    const factor = resolveNumber(threshold.factor, params)
    const times = factor === 1 ? 'the upper limit of normal' : `${factor} × the upper limit of normal`
    return leaf(path, own ?? `${name} ${opWords(m.op)} ${times} (${where})`, {
      fact: 'measurement',
      params: { ...common, relative_to: 'upper_limit' },
      operator: OPERATOR[m.op],
      value: factor,
    })
  }
  const value = threshold.kind === 'category' ? threshold.value : relative ? 0 : resolveNumber(threshold.value, params)
  if (m.consecutive !== undefined) {
    // confirmed: the fact answers whether each of the last n values passes; a `not` then reads "not confirmed"
    const count = resolveNumber(m.consecutive, params)
    const confirmAt = relative ? resolveNumber(threshold.factor, params) : value
    const thresholdText = relative ? `${confirmAt} × the upper limit of normal` : `${confirmAt}${unitText}`
    return leaf(path, own ?? `${name} ${opWords(m.op)} ${thresholdText} on each of the last ${count} values (${describeWindow(window, doc)})`, {
      fact: 'measurement',
      params: { ...common, ...(relative ? { relative_to: 'upper_limit' } : {}), confirm: { op: OPERATOR[m.op], value: confirmAt, count } },
      operator: 'eq',
      value: true,
    })
  }
  return leaf(path, own ?? `${name} ${opWords(m.op)} ${value}${unitText} (${where})`, {
    fact: 'measurement',
    params: common,
    operator: OPERATOR[m.op],
    value,
  })
}

function normalizeSteroidDose({ steroid_dose: d, label: own }: SteroidDoseLeaf, path: string, { doc, params }: NormalizeContext): IrLeaf {
  const value = resolveNumber(d.value, params)
  const overDays = d.over_days === undefined ? 1 : resolveNumber(d.over_days, params)
  const visit = d.at === 'current' ? 'the visit' : visitLabel(doc, d.at)
  const when = overDays === 1 ? `at ${visit}` : `on each of the ${overDays} days up to ${visit}`
  return leaf(path, own ?? `glucocorticoid dose ${when} ${opWords(d.op)} ${value} mg/day prednisone-equivalent`, {
    fact: 'steroid_dose',
    params: { at: d.at, ...(overDays === 1 ? {} : { over_days: overDays }) },
    operator: OPERATOR[d.op],
    value,
  })
}

function normalizeSteroidDays({ steroid_days: d, label: own }: SteroidDaysLeaf, path: string, { doc, params }: NormalizeContext): IrLeaf {
  const above = resolveNumber(d.above_mg, params)
  const value = resolveNumber(d.value, params)
  const window = resolveWindow(d.window, params)
  const counted = d.count === 'consecutive' ? 'longest run of consecutive days' : 'number of days'
  return leaf(path, own ?? `${counted} with glucocorticoid > ${above} mg/day prednisone-equivalent ${describeWindow(window, doc)} ${opWords(d.op)} ${value}`, {
    fact: 'steroid_days',
    params: { above_mg: above, count: d.count, window },
    operator: OPERATOR[d.op],
    value,
  })
}

function normalizeBiopsy({ biopsy: b, label: own }: BiopsyLeaf, path: string, { doc, params }: NormalizeContext): IrLeaf {
  const window = resolveWindow(b.window, params)
  const where = describeWindow(window, doc)
  if (b.finding) {
    const value = resolveNumber(b.finding.value, params)
    return leaf(path, own ?? `latest kidney biopsy ${where}: ${b.finding.name.replaceAll('_', ' ')} ${opWords(b.finding.op)} ${value}`, {
      fact: 'biopsy',
      params: { window, finding: b.finding.name },
      operator: OPERATOR[b.finding.op],
      value,
    })
  }
  const classes = b.classes ?? []
  const shows = b.only ? `shows only class ${classes.join(' or ')}` : `shows class ${classes.join(' or ')}`
  const activity = b.activity ? `, class III/IV lesions ${b.activity.map(a => `(${a})`).join(' or ')}` : ''
  return leaf(path, own ?? `latest kidney biopsy ${where} ${shows}${activity} (ISN/RPS 2003)`, {
    fact: 'biopsy',
    params: { window, classes, only: b.only === true, ...(b.activity ? { activity: b.activity } : {}) },
    operator: 'eq',
    value: true,
  })
}

function normalizeAge({ age: a, label: own }: AgeLeaf, path: string, { doc, params }: NormalizeContext): IrLeaf {
  const years = resolveNumber(a.years, params)
  const basis = resolveString(a.basis, params)
  const basisText = basis === 'exact' ? 'exact age' : 'completed years'
  return leaf(path, own ?? `age at ${describeRef(doc, a.at)} ${opWords(a.op)} ${years} years (${basisText})`, {
    fact: 'age',
    params: { at: a.at },
    operator: OPERATOR[a.op],
    value: { years, basis },
  })
}

function normalizeFact(cond: FactLeaf, path: string, ctx: NormalizeContext): IrLeaf {
  const own = cond.label
  const described = FACT_CATALOGUE[cond.fact]?.description ?? ctx.extensions?.facts?.[cond.fact]?.description ?? cond.fact
  if (cond.op !== undefined) {
    // the fact compares (a built-in comparison or a custom operator) and answers yes/no; a missing value stays unknown
    const words = cond.op in OPERATOR ? opWords(cond.op as ComparisonOperator) : (ctx.extensions?.operators?.[cond.op]?.words ?? cond.op)
    return leaf(path, own ?? `${described} ${words} ${JSON.stringify(cond.value)}`, {
      fact: 'record',
      params: { name: cond.fact, op: cond.op, value: cond.value },
      operator: 'eq',
      value: true,
    })
  }
  const statement = cond.is === true ? described : cond.is === false ? `not ${described}` : `${described} is ${cond.is}`
  return leaf(path, own ?? statement, {
    fact: 'record',
    params: { name: cond.fact },
    operator: 'eq',
    value: cond.is,
  })
}

function normalizeAttestation(cond: AttestationLeaf, path: string, { doc }: NormalizeContext): IrLeaf {
  const own = cond.label
  const question = doc.attestations?.[cond.attestation]?.question ?? cond.attestation
  const when = cond.at === undefined ? '' : cond.at === 'current' ? ' (at the visit)' : ` (at ${visitLabel(doc, cond.at)})`
  return leaf(path, own ?? `${question}${when} [${cond.is ? 'yes' : 'no'}]`, {
    fact: 'attestation',
    params: cond.at === undefined ? { name: cond.attestation } : { name: cond.attestation, at: cond.at },
    operator: 'eq',
    value: cond.is,
  })
}

function normalizePregnancyTest({ pregnancy_test: p, label: own }: PregnancyTestLeaf, path: string, { doc, params }: NormalizeContext): IrLeaf {
  const window = resolveWindow(p.window, params)
  return leaf(path, own ?? `latest ${p.specimen} pregnancy test ${describeWindow(window, doc)} is ${p.result}`, {
    fact: 'pregnancy_test',
    params: { specimen: p.specimen, window },
    operator: 'eq',
    value: p.result,
  })
}
