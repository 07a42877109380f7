/**
 * The `change` leaf -> an intermediate leaf: a comparison between an earlier
 * and a later value of one concept, each a visit or a value selected in a
 * window (or, for the earlier one, a span before the later value's date).
 */
import type { ChangeLeaf, ChangeSelect, ChangeSelection, ProtocolDocument, SpanBeforeTo } from '../types.ts'
import type { ChangeFrom, ChangeParams, ChangeTo, ResolvedSpan } from '../evaluate/facts/change.ts'
import type { OperatorName } from '../evaluate/operators.ts'
import { resolveLabConcept } from '../dictionary/index.ts'
import type { IrLeaf, ResolvedParameters } from './ir.ts'
import { describeWindow, opWords, visitLabel } from './labels.ts'
import { resolveNumber, resolveString, resolveWindow } from './resolve.ts'
import type { NormalizeContext } from './normalize.ts'
import { leafEgfrEquation } from './egfr-equation.ts'
import { kindedChangeFrom } from '../logic/window-model.ts'
import { plainNumber, spanWords } from '../words/windows.ts'

export const CHANGE_SELECTS: readonly ChangeSelect[] = ['latest', 'earliest', 'highest', 'lowest']

function resolveSelect(s: ChangeSelection['select'], params: ResolvedParameters): ChangeSelect {
  const v = s === undefined ? 'latest' : resolveString(s, params)
  if (!(CHANGE_SELECTS as readonly string[]).includes(v)) throw new Error(`"${v}" is not a change selection (${CHANGE_SELECTS.join(', ')})`)
  return v as ChangeSelect
}

/**
 * A span before the `to` value's date as calendar months and days, keeping
 * the span as written (resolved) for the words, as resolveWindow does.
 */
export function resolveSpan(span: SpanBeforeTo, params: ResolvedParameters): ResolvedSpan {
  const n = (x: SpanBeforeTo[keyof SpanBeforeTo]) => (x === undefined ? 0 : resolveNumber(x, params))
  const written = Object.fromEntries(
    (['years', 'months', 'weeks', 'days'] as const).flatMap(k => (span[k] === undefined ? [] : [[k, resolveNumber(span[k], params)]])),
  )
  return { months: n(span.years) * 12 + n(span.months), days: n(span.weeks) * 7 + n(span.days), span: written }
}

/** "6 months", "28 days", "1 year and 2 weeks": a resolved span in the units written (the one wording, engine/words/windows.ts). */
export function resolvedSpanWords(s: ResolvedSpan): string {
  return spanWords(s.span ?? { months: s.months, days: s.days }, plainNumber) || '0 days'
}

function resolveFrom(written: ChangeLeaf['change']['from'], params: ResolvedParameters): ChangeFrom {
  const from = kindedChangeFrom(written)
  switch (from.kind) {
    case 'visit':
      return from.visit
    case 'before_to':
      return { before_to: resolveSpan(from.from.before_to, params), select: resolveSelect(from.from.select, params) }
    case 'window':
      return { window: resolveWindow(from.from.window, params), select: resolveSelect(from.from.select, params) }
  }
}

function resolveTo(to: ChangeLeaf['change']['to'], params: ResolvedParameters): ChangeTo {
  if (to === undefined || typeof to === 'string') return to ?? 'current'
  return { window: resolveWindow(to.window, params), select: resolveSelect(to.select, params) }
}

/** The earlier value in words: "baseline", "the lowest value within 6 months before screening". */
export function fromWords(resolved: ChangeFrom, doc: ProtocolDocument): string {
  const from = kindedChangeFrom(resolved)
  switch (from.kind) {
    case 'visit':
      return visitLabel(doc, from.visit)
    case 'before_to':
      return `the ${from.from.select} earlier value within ${resolvedSpanWords(from.from.before_to)} before it`
    case 'window':
      return `the ${from.from.select} value ${describeWindow(from.from.window, doc)}`
  }
}

/** The later value in words: "the visit", "week 52", "the latest value within 28 days before screening". */
export function toWords(to: ChangeTo, doc: ProtocolDocument): string {
  if (typeof to === 'string') return to === 'current' ? 'the visit' : visitLabel(doc, to)
  return `the ${to.select} value ${describeWindow(to.window, doc)}`
}

/** One change leaf as an intermediate leaf; `operator` maps the YAML comparison. */
export function normalizeChangeLeaf(
  c: ChangeLeaf['change'],
  own: string | undefined,
  path: string,
  ctx: NormalizeContext,
  operator: (op: ChangeLeaf['change']['op']) => OperatorName,
): IrLeaf {
  const { doc, params } = ctx
  const concept = resolveLabConcept(c.concept, ctx.dictionary)
  // eGFR: the protocol's equation names the values and decides which are used
  const egfr = leafEgfrEquation(concept?.id, c.equation, params, ctx.dictionary)
  const name = egfr?.name ?? concept?.name ?? c.concept
  const value = resolveNumber(c.value, params)
  const from = resolveFrom(c.from, params)
  const to = resolveTo(c.to, params)
  const fromText = fromWords(from, doc)
  const toText = toWords(to, doc)
  const measureText =
    c.measure === 'ratio'
      ? `${name}: ${toText} / ${fromText}`
      : c.measure === 'percent_of_baseline'
        ? `${name} at ${toText} as % of ${fromText}`
        : c.measure === 'percent_decrease'
          ? `decrease of ${name} from ${fromText} to ${toText}, %`
          : `change of ${name} from ${fromText} to ${toText}${c.unit ? ` (${c.unit})` : ''}`
  const changeParams: ChangeParams = {
    concept: concept?.id ?? c.concept,
    from,
    to,
    measure: c.measure,
    ...((c.unit ?? concept?.unit) ? { unit: c.unit ?? concept?.unit } : {}),
    ...(egfr ? { equation: egfr.equation } : {}),
  }
  const base = { kind: 'leaf' as const, path, fact: 'change' as const }
  if (c.consecutive !== undefined) {
    // confirmed: the fact answers whether each of the last n values passes; a `not` then reads "not confirmed"
    const count = resolveNumber(c.consecutive, params)
    return {
      ...base,
      label: own ?? `${measureText} ${opWords(c.op)} ${value} on each of the last ${count} values (confirmed)`,
      params: { ...changeParams, confirm: { op: operator(c.op), value, count } } as unknown as Record<string, unknown>,
      operator: 'eq',
      value: true,
    }
  }
  return {
    ...base,
    label: own ?? `${measureText} ${opWords(c.op)} ${value}`,
    params: changeParams as unknown as Record<string, unknown>,
    operator: operator(c.op),
    value,
  }
}
