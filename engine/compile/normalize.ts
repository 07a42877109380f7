/**
 * Protocol logic (as written in YAML) -> intermediate nodes with resolved
 * parameters, sets and windows, each with a path and a plain-words label.
 */
import type { Condition, ComparisonOperator, ProtocolDocument } from '../types.ts'
import type { Dictionary } from '../dictionary/index.ts'
import { resolveLabConcept } from '../dictionary/index.ts'
import type { OperatorName } from '../evaluate/operators.ts'
import { FACT_CATALOGUE } from '../evaluate/facts/record-facts.ts'
import type { IrLeaf, IrNode, ResolvedParameters } from './ir.ts'
import { describeRef, describeWindow, opWords } from './labels.ts'
import { resolveNumber, resolveString, resolveWindow } from './resolve.ts'
import { isEventLeaf, normalizeEventLeaf } from './normalize-events.ts'

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
}

/** Turn one YAML condition into an intermediate node at `path`. */
export function normalizeCondition(cond: Condition, path: string, ctx: NormalizeContext): IrNode {
  const own = cond.label
  if ('all' in cond || 'any' in cond) {
    const kind = 'all' in cond ? 'all' : 'any'
    const list = 'all' in cond ? cond.all : cond.any
    const children = list.map((c, i) => normalizeCondition(c, `${path}.${kind}[${i}]`, ctx))
    const joiner = kind === 'all' ? ' and ' : ' or '
    return { kind, path, label: own ?? children.map((c) => `(${c.label})`).join(joiner), children }
  }
  if ('not' in cond) {
    const child = normalizeCondition(cond.not, `${path}.not`, ctx)
    return { kind: 'not', path, label: own ?? `not (${child.label})`, child }
  }
  if ('at_least' in cond) {
    const { n, of } = cond.at_least
    const children = of.map((c, i) => normalizeCondition(c, `${path}.at_least.of[${i}]`, ctx))
    return { kind: 'at_least', path, label: own ?? `at least ${n} of ${children.length}`, n, children }
  }
  return normalizeLeaf(cond, path, ctx)
}

function leaf(path: string, label: string, rest: Omit<IrLeaf, 'kind' | 'path' | 'label'>): IrLeaf {
  return { kind: 'leaf', path, label, ...rest }
}

function normalizeLeaf(cond: Condition, path: string, ctx: NormalizeContext): IrLeaf {
  const { doc, params } = ctx
  const own = cond.label
  if ('measurement' in cond) {
    const m = cond.measurement
    const concept = resolveLabConcept(m.concept, ctx.dictionary)
    const window = resolveWindow(m.window, params)
    const value = typeof m.value === 'string' ? m.value : resolveNumber(m.value, params)
    const unit = m.unit ?? concept?.unit
    const select = m.select ?? 'latest'
    const name = concept?.name ?? m.concept
    const unitText = unit && unit !== '{score}' ? ` ${unit}` : ''
    return leaf(path, own ?? `${name} ${opWords(m.op)} ${value}${unitText} (${select}, ${describeWindow(window, doc)})`, {
      fact: 'measurement',
      params: { concept: concept?.id ?? m.concept, unit, window, select },
      operator: OPERATOR[m.op],
      value,
    })
  }
  if ('age' in cond) {
    const a = cond.age
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
  if ('fact' in cond) {
    const described = FACT_CATALOGUE[cond.fact]?.description ?? cond.fact
    const statement = cond.is === true ? described : cond.is === false ? `not ${described}` : `${described} is ${cond.is}`
    return leaf(path, own ?? statement, {
      fact: 'record',
      params: { name: cond.fact },
      operator: 'eq',
      value: cond.is,
    })
  }
  if ('attestation' in cond) {
    const question = doc.attestations?.[cond.attestation]?.question ?? cond.attestation
    return leaf(path, own ?? `${question} [${cond.is ? 'yes' : 'no'}]`, {
      fact: 'attestation',
      params: { name: cond.attestation },
      operator: 'eq',
      value: cond.is,
    })
  }
  if ('parameter' in cond) {
    return leaf(path, own ?? `protocol parameter ${cond.parameter} is ${String(cond.is)}`, {
      fact: 'parameter',
      params: { name: cond.parameter },
      operator: 'eq',
      value: cond.is,
    })
  }
  if ('pregnancy_test' in cond) {
    const p = cond.pregnancy_test
    const window = resolveWindow(p.window, params)
    return leaf(path, own ?? `latest ${p.specimen} pregnancy test ${describeWindow(window, doc)} is ${p.result}`, {
      fact: 'pregnancy_test',
      params: { specimen: p.specimen, window },
      operator: 'eq',
      value: p.result,
    })
  }
  const eventKey = isEventLeaf(cond)
  if (eventKey) return normalizeEventLeaf(eventKey, cond, path, ctx)
  throw new Error(`unsupported condition at ${path}: ${Object.keys(cond).join(', ')}`)
}
