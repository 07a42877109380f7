/**
 * A logic node -> its meaning in plain words, as a tree: groups say how their
 * children combine ("ALL of:", "AT LEAST 4 of these 11:", "NOT (ANY of):"),
 * leaves say what is compared, in which unit, over which window, from which
 * reference date. Pure; shared by the CLI, the server and the web UI.
 */
import type { ChangeSelection, ComparisonOperator, Condition, IsnRpsActivity, ProtocolDocument } from '../types.ts'
import { defaultDictionary, resolveLabConcept, type Dictionary } from '../dictionary/index.ts'
import { withLabConcepts } from '../dictionary/extend.ts'
import { FACT_CATALOGUE } from '../evaluate/facts/record-facts.ts'
import { describeRef, opWords, visitLabel } from '../compile/labels.ts'
import { describeEventLeaf } from './describe-events.ts'
import {
  childPath,
  childrenOf,
  CONDITION_KINDS,
  measurementThreshold,
  visitCondition,
  type ConditionByKind,
  type ConditionKind,
  type ConditionVisitor,
  type LeafKind,
} from '../logic/condition-model.ts'
import { egfrWords } from './egfr-words.ts'
import {
  joinOr,
  lowerFirst,
  newUsage,
  numberOf,
  parameterValue,
  spanWords,
  stringOf,
  unitWords,
  useParameter,
  useRef,
  valueWindowWords,
  windowWords,
  type Usage,
} from './words.ts'
import { kindedChangeFrom, windowKind } from '../logic/window-model.ts'

/** Every kind of logic node the protocol language has (the condition model's list, under its public name). */
export const LOGIC_NODE_KINDS = CONDITION_KINDS
export type LogicNodeKind = ConditionKind

/** One clause in plain words. */
export interface DescribedNode {
  kind: LogicNodeKind
  /**
   * Where the clause is in its criterion, e.g. `logic.all[0]`: the same path
   * names the clause's condition in the compiled json-rules-engine rules.
   */
  path: string
  /** The clause in plain words: a full statement for a leaf, "ALL of:" for a group. */
  text: string
  /** The designer's own name for the clause, when the YAML gives one. */
  label?: string
  /** More about the clause: what a named set contains, how ages are counted. */
  details?: string[]
  /** Protocol parameters this clause itself uses (not its children's). */
  parameters?: string[]
  children?: DescribedNode[]
}

export interface DescribeOptions {
  /** Dictionaries for lab-concept names; defaults to the shipped ones (plus the protocol's own concepts). */
  dictionary?: Dictionary
}

/** What describing one part of a protocol needs, and collects. */
export interface DescribeContext {
  doc: ProtocolDocument
  dictionary: Dictionary
  /** Reference dates and parameters used so far (the caller reads them afterwards). */
  usage: Usage
}

/**
 * A fresh context for describing parts of `doc`: the dictionaries (with the
 * protocol's own lab concepts) and an empty record of what was used.
 *
 * @example
 * const ctx = describeContext(doc)
 * const tree = describeLogic(doc.criteria[0].logic, 'logic', ctx)
 * ctx.usage.parameters // parameters the criterion uses
 */
export function describeContext(doc: ProtocolDocument, options: DescribeOptions = {}): DescribeContext {
  return { doc, dictionary: withLabConcepts(options.dictionary ?? defaultDictionary, doc.definitions?.lab_concepts), usage: newUsage() }
}

const GROUP_WORDS = { all: 'ALL of', any: 'ANY of' } as const

/**
 * Describe a criterion's (or an endpoint's) logic.
 *
 * @param cond - the logic as written in the protocol
 * @param path - where it is (`logic` or `applies_if`); children get `logic.all[0]`...
 * @param ctx - from {@link describeContext}; collects the parameters and reference dates used
 * @example
 * const ctx = describeContext(doc)
 * describeLogic({ all: [{ fact: 'pregnant', is: false }] }, 'logic', ctx)
 * // { kind: 'all', text: 'ALL of:', children: [{ kind: 'fact', text: 'not pregnant', ... }] }
 */
export function describeLogic(cond: Condition, path: string, ctx: DescribeContext): DescribedNode {
  const node = describeNode(cond, path, ctx)
  if (cond.label !== undefined) node.label = cond.label
  return node
}

function describeNode(cond: Condition, path: string, ctx: DescribeContext): DescribedNode {
  // the schema admits nothing else; a new node kind must be described here
  return visitCondition(cond, DESCRIBE, [path, ctx], c => {
    throw new Error(`no description for logic node with keys ${Object.keys(c).join(', ')}`)
  })
}

/** The children of a group, described at their paths. */
function describeChildren(cond: Condition, path: string, ctx: DescribeContext): DescribedNode[] {
  return childrenOf(cond).map(({ node, at }) => describeLogic(node, childPath(path, at), ctx))
}

type Describer<K extends ConditionKind> = (cond: ConditionByKind[K], path: string, ctx: DescribeContext) => DescribedNode

/** A leaf kind's describer from its words. */
function leaf<K extends LeafKind>(kind: K, words: (cond: ConditionByKind[K], ctx: DescribeContext, u: Usage) => LeafWords): Describer<K> {
  return (cond, path, ctx) => describeLeaf(kind, path, ctx, u => words(cond, ctx, u))
}

const DESCRIBE: ConditionVisitor<DescribedNode, [string, DescribeContext]> = {
  all: (c, path, ctx) => group('all', path, `${GROUP_WORDS.all}:`, describeChildren(c, path, ctx)),
  any: (c, path, ctx) => group('any', path, `${GROUP_WORDS.any}:`, describeChildren(c, path, ctx)),
  at_least: (c, path, ctx) => group('at_least', path, `AT LEAST ${c.at_least.n} of these ${c.at_least.of.length}:`, describeChildren(c, path, ctx)),
  either: (c, path, ctx) =>
    group('either', path, 'EITHER of these alternatives (decided on whichever was measured; unknown only when none was):', describeChildren(c, path, ctx)),
  not: (c, path, ctx) => negate(describeChildren(c, path, ctx)[0]!, path),
  measurement: leaf('measurement', (c, ctx, u) => measurementWords(c.measurement, ctx, u)),
  change: leaf('change', (c, ctx, u) => changeWords(c.change, ctx, u)),
  steroid_dose: leaf('steroid_dose', ({ steroid_dose: d }, { doc }, u) => {
    // 1 day (the default) is the visit date itself: nothing to add
    const days = d.over_days === undefined ? '1' : numberOf(d.over_days, doc, u)
    const over = days === '1' ? '' : `, the highest daily dose over the ${days} days up to and including the visit date`
    return { text: `glucocorticoid dose ${atVisit(d.at, doc)} ${opWords(d.op)} ${numberOf(d.value, doc, u)} mg/day prednisone-equivalent${over}` }
  }),
  steroid_days: leaf('steroid_days', ({ steroid_days: d }, { doc }, u) => {
    const counted = d.count === 'consecutive' ? 'longest run of consecutive days' : 'number of days'
    const above = numberOf(d.above_mg, doc, u)
    return {
      text: `${counted} with a glucocorticoid dose > ${above} mg/day prednisone-equivalent ${windowWords(d.window, doc, u)} ${opWords(d.op)} ${numberOf(d.value, doc, u)}`,
      details: ["Daily doses come from the medication records' dose histories, every glucocorticoid converted to prednisone-equivalent mg/day."],
    }
  }),
  biopsy: leaf('biopsy', (c, ctx, u) => biopsyWords(c.biopsy, ctx, u)),
  age: leaf('age', ({ age: a }, { doc }, u) => {
    useRef(u, a.at)
    const years = numberOf(a.years, doc, u)
    const basis = stringOf(a.basis, doc, u)
    const exact = basis === 'exact'
    return {
      text: `age at ${describeRef(doc, a.at)} ${opWords(a.op)} ${years} years, ${exact ? 'exact age' : 'in completed years'}`,
      details: [
        exact
          ? `Exact age: the calendar age to the day, so ${years} years and 1 day is more than ${years}.`
          : `Completed years: whole years only, so ${years} years and 11 months counts as ${years}.`,
      ],
    }
  }),
  fact: leaf('fact', c => {
    const described = FACT_CATALOGUE[c.fact]?.description ?? c.fact
    // a comparison (built-in or an engine extension's operator, named as written)
    if (c.op !== undefined) return { text: `${described} ${c.op} ${JSON.stringify(c.value)}` }
    return { text: c.is === true ? described : c.is === false ? `not ${described}` : `${described} is ${c.is}` }
  }),
  attestation: leaf('attestation', (c, { doc }) => {
    const question = doc.attestations?.[c.attestation]?.question ?? c.attestation
    const when = c.at === undefined ? '' : ` ${atVisit(c.at, doc)}`
    return { text: `investigator answers “${c.is ? 'yes' : 'no'}”${when} to: ${question}` }
  }),
  parameter: leaf('parameter', (c, { doc }, u) => {
    useParameter(u, c.parameter)
    const current = parameterValue(doc, c.parameter)
    const holds = current === c.is
    return {
      text: `protocol parameter ${c.parameter} is ${String(c.is)} (now ${current === undefined ? 'undefined' : String(current)}, so this ${holds ? 'holds' : 'does not hold'})`,
    }
  }),
  pregnancy_test: leaf('pregnancy_test', ({ pregnancy_test: p }, { doc }, u) => ({
    text: `latest ${p.specimen} pregnancy test ${windowWords(p.window, doc, u)} is ${p.result}`,
  })),
  medication: leaf('medication', describeEventLeaf),
  condition: leaf('condition', describeEventLeaf),
  procedure: leaf('procedure', describeEventLeaf),
  vaccination: leaf('vaccination', describeEventLeaf),
}

function group(kind: LogicNodeKind, path: string, text: string, children: DescribedNode[]): DescribedNode {
  return { kind, path, text, children }
}

/** "NOT (ANY of):" over a group's children; "NOT (statement)" for a leaf. */
function negate(child: DescribedNode, path: string): DescribedNode {
  if (child.children) {
    const node: DescribedNode = { kind: 'not', path, text: `NOT (${child.text.replace(/:$/, '')}):`, children: child.children }
    if (child.label !== undefined) node.label = child.label
    return node
  }
  const node: DescribedNode = { kind: 'not', path, text: `NOT (${child.text})` }
  if (child.label !== undefined) node.label = child.label
  if (child.details) node.details = child.details
  if (child.parameters) node.parameters = child.parameters
  return node
}

/** Describe a leaf, noting the parameters it uses on the node and in the context. */
function describeLeaf(kind: LeafKind, path: string, ctx: DescribeContext, words: (u: Usage) => LeafWords): DescribedNode {
  const own = newUsage()
  const { text, details } = words(own)
  for (const p of own.parameters) useParameter(ctx.usage, p)
  for (const r of own.refs) useRef(ctx.usage, r)
  const node: DescribedNode = { kind, path, text }
  if (details && details.length > 0) node.details = details
  if (own.parameters.length > 0) node.parameters = own.parameters
  return node
}

/** A leaf in words (its kind comes from the condition model). */
export interface LeafWords {
  text: string
  details?: string[]
}

/** "at the visit" (current) or "at week 24". */
function atVisit(visit: string, doc: ProtocolDocument): string {
  return visit === 'current' ? 'at the visit' : `at ${visitLabel(doc, visit)}`
}

const SELECT_WORDS = { latest: 'latest', highest: 'highest', lowest: 'lowest' } as const

function measurementWords(m: Extract<Condition, { measurement: unknown }>['measurement'], ctx: DescribeContext, u: Usage): LeafWords {
  const { doc } = ctx
  const concept = resolveLabConcept(m.concept, ctx.dictionary)
  // eGFR: named by the protocol's equation, with which values it uses
  const egfr = egfrWords(m.concept, m.equation, doc, ctx.dictionary, u)
  const name = egfr?.name ?? concept?.name ?? m.concept
  const unit = m.unit ?? concept?.unit
  const atAVisit = windowKind(m.window) === 'visit'
  const select = m.select ?? (atAVisit ? 'nearest' : 'latest')
  let value: string
  const threshold = measurementThreshold(m.value)
  if (threshold.kind === 'times_upper_limit') {
    const factor = numberOf(threshold.factor, doc, u)
    value = `${factor} × the upper limit of normal (the lab's, reported with the value)`
  } else if (threshold.kind === 'category') {
    return { text: `${name} ${qualitativeOp(m.op)} "${threshold.value}", ${where(select, m.window, ctx, u)}` }
  } else {
    const unitText = unitWords(unit)
    value = `${numberOf(threshold.value, doc, u)}${unitText ? ` ${unitText}` : ''}`
  }
  if (m.consecutive !== undefined) {
    const n = numberOf(m.consecutive, doc, u)
    return {
      text: `${name} ${opWords(m.op)} ${value} on each of the last ${n} values ${windowWords(m.window, doc, u)} (confirmed)`,
      details: [`Not met when one of the last ${n} values fails; unknown when fewer were measured and none fails.`, ...(egfr ? [egfr.detail] : [])],
    }
  }
  return { text: `${name} ${opWords(m.op)} ${value}, ${where(select, m.window, ctx, u)}`, ...(egfr ? { details: [egfr.detail] } : {}) }
}

const BIOPSY_FINDING_WORDS: Record<string, string> = {
  sclerosed_glomeruli_percent: 'sclerosed glomeruli (%)',
  activity_index: 'NIH activity index',
  chronicity_index: 'NIH chronicity index',
}

/** ISN/RPS 2003 activity qualifiers in words (Weening JJ et al., J Am Soc Nephrol 2004;15:241-50). */
const ACTIVITY_WORDS: Record<IsnRpsActivity, string> = { A: 'active (A)', 'A/C': 'active and chronic (A/C)', C: 'chronic inactive (C)' }

function biopsyWords(b: Extract<Condition, { biopsy: unknown }>['biopsy'], ctx: DescribeContext, u: Usage): LeafWords {
  const { doc } = ctx
  const when = b.window === undefined ? 'on record' : windowWords(b.window, doc, u)
  if (b.finding) {
    const name = BIOPSY_FINDING_WORDS[b.finding.name] ?? b.finding.name.replace(/_/g, ' ')
    return { text: `latest kidney biopsy ${when}: ${name} ${opWords(b.finding.op)} ${numberOf(b.finding.value, doc, u)}` }
  }
  const classes = b.classes ?? []
  const details = [
    b.only ? 'Every class the biopsy shows must be one of these ("pure").' : 'Met when the biopsy shows at least one of these classes.',
    ...(classes.includes('IV') ? ['Class IV also matches IV-S and IV-G.'] : []),
    ...(b.activity
      ? [
          `A class III or IV lesion must be ${joinOr(b.activity.map(a => ACTIVITY_WORDS[a]))}; unknown when the biopsy report gives no activity. A biopsy without class III or IV is decided by its classes alone.`,
        ]
      : []),
  ]
  const activity = b.activity ? `, class III/IV lesions ${joinOr(b.activity.map(a => `(${a})`))}` : ''
  return { text: `latest kidney biopsy ${when} shows ${b.only ? 'only ' : ''}ISN/RPS 2003 class ${joinOr(classes)}${activity}`, details }
}

function qualitativeOp(op: ComparisonOperator): string {
  return op === '==' ? 'is' : op === '!=' ? 'is not' : opWords(op)
}

/** Which value counts: "latest within 28 days before screening", "at the visit, value nearest its nominal day". */
function where(select: 'latest' | 'highest' | 'lowest' | 'nearest', w: Parameters<typeof windowWords>[0], ctx: DescribeContext, u: Usage): string {
  const kind = windowKind(w)
  if (kind === 'any') return select === 'nearest' ? 'value nearest the evaluation date' : `${SELECT_WORDS[select]} on record`
  const span = valueWindowWords(w, ctx.doc, u)
  if (select !== 'nearest') return `${SELECT_WORDS[select]} ${span}`
  // the value dated on the reference date is the one nearest it
  if (kind === 'at') return span
  return kind === 'visit' ? `${span}, value nearest its nominal day` : `${span}, value nearest the reference date`
}

function changeWords(c: Extract<Condition, { change: unknown }>['change'], ctx: DescribeContext, u: Usage): LeafWords {
  const { doc } = ctx
  const concept = resolveLabConcept(c.concept, ctx.dictionary)
  const egfr = egfrWords(c.concept, c.equation, doc, ctx.dictionary, u)
  const name = lowerFirst(egfr?.name ?? concept?.name ?? c.concept)
  const selected = (s: ChangeSelection['select']) => (s === undefined ? 'latest' : stringOf(s, doc, u))
  const f = kindedChangeFrom(c.from)
  const from =
    f.kind === 'visit'
      ? visitLabel(doc, f.visit)
      : f.kind === 'before_to'
        ? `the ${selected(f.from.select)} earlier value within ${spanWords(f.from.before_to, doc, u) || '0 days'} before it`
        : `the ${selected(f.from.select)} value ${windowWords(f.from.window, doc, u)}`
  const to =
    c.to === undefined || c.to === 'current'
      ? 'the visit'
      : typeof c.to === 'string'
        ? visitLabel(doc, c.to)
        : `the ${selected(c.to.select)} value ${windowWords(c.to.window, doc, u)}`
  const value = numberOf(c.value, doc, u)
  const op = opWords(c.op)
  const confirmed = c.consecutive === undefined ? '' : ` on each of the last ${numberOf(c.consecutive, doc, u)} values (confirmed)`
  const text =
    c.measure === 'ratio'
      ? `${name}: ${to} ${op} ${value} × ${from}`
      : c.measure === 'percent_of_baseline'
        ? `${name} at ${to} ${op} ${value} % of its value at ${from}`
        : c.measure === 'percent_decrease'
          ? `decrease of ${name} from ${from} to ${to} ${op} ${value} % of the earlier value`
          : `change of ${name} from ${from} to ${to} ${op} ${value}${unitWords(c.unit ?? concept?.unit) ? ` ${unitWords(c.unit ?? concept?.unit)}` : ''}`
  const details = [
    c.measure === 'ratio'
      ? 'Ratio = later / earlier, both converted to the same unit ("doubled" is a ratio ≥ 2).'
      : c.measure === 'percent_decrease'
        ? 'Decrease % = (earlier − later) / earlier × 100: an improvement when lower is better.'
        : c.measure === 'percent_of_baseline'
          ? '% of the earlier value = later / earlier × 100.'
          : 'Change = later − earlier, both converted to the same unit.',
  ]
  if (typeof c.from !== 'string' && c.consecutive === undefined) {
    details.push('The earlier value is one dated before the later value; unknown when there is none where it is looked for, or no later value.')
  }
  if (egfr) details.push(egfr.detail)
  return { text: `${text}${confirmed}`, details }
}

/** A described tree flattened, with its depth: for filters and plain-text output. */
export function walkDescribed(node: DescribedNode, visit: (n: DescribedNode, depth: number) => void, depth = 0): void {
  visit(node, depth)
  for (const c of node.children ?? []) walkDescribed(c, visit, depth + 1)
}
