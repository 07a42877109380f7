/**
 * What-if on a protocol's eligibility, without saving a version: switch
 * criteria off and move the numbers a designer tunes (a criterion's
 * thresholds and windows, and the numeric parameters they read), as edits
 * of the protocol document. The edited document is what amendment impact
 * compares with the current one (what-if-impact.ts), and what a "save as
 * draft amendment" stores. Pure: the web UI lists the knobs with it.
 */
import type { ProtocolDocument } from '../types.ts'

/** A place in the protocol document: keys and array indexes from its root. */
export type DocPath = Array<string | number>

/** A number a designer may move. */
export interface WhatIfKnob {
  path: DocPath
  kind: 'threshold' | 'window' | 'parameter'
  /** What it is, in words: `urine_protein_creatinine_ratio > 1 g/g`, `window: 24 weeks before screening`. */
  label: string
  value: number
}

export interface CriterionKnobs {
  id: string
  kind: string
  title: string
  knobs: WhatIfKnob[]
  /** Numeric parameters the criterion reads (`{ param: name }`), moved in `parameters`. */
  parameters: string[]
}

export interface WhatIfKnobs {
  criteria: CriterionKnobs[]
  parameters: Array<WhatIfKnob & { name: string; usedBy: string[] }>
}

export interface WhatIfEdits {
  /** Criteria switched off (left out of the edited document). */
  disabled?: string[]
  /** New values for knobs, by path. */
  values?: Array<{ path: DocPath; value: number }>
}

/** Records a what-if re-evaluates at most in one uploaded extract (the route's bound; the UI says it before sending). */
export const WHAT_IF_MAX_RECORDS = 2000

/** An edit that names no criterion or knob of the document: said with what was given. */
export class WhatIfError extends Error {}

const WINDOW_UNITS = ['days', 'weeks', 'months', 'years'] as const
const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x)
const pathKey = (path: DocPath) => JSON.stringify(path)

/** A leaf's words for its threshold: the fact and what it measures, the operator, the number and its unit. */
function thresholdLabel(fact: string, leaf: Record<string, unknown>, field: 'value' | 'years'): string {
  const what = typeof leaf.concept === 'string' ? leaf.concept : typeof leaf.set === 'string' ? leaf.set : fact
  const unit = field === 'years' ? ' years' : typeof leaf.unit === 'string' ? ` ${leaf.unit}` : ''
  return `${what} ${String(leaf.op)} ${String(leaf[field])}${unit}`
}

/** Walk a criterion's logic, collecting its thresholds, windows and the parameters it reads. */
function collect(node: unknown, path: DocPath, out: CriterionKnobs, fact = ''): void {
  if (Array.isArray(node)) {
    for (const [i, x] of node.entries()) collect(x, [...path, i], out, fact)
    return
  }
  if (!isObject(node)) return
  if (typeof node.param === 'string' && Object.keys(node).length === 1) {
    if (!out.parameters.includes(node.param)) out.parameters.push(node.param)
    return
  }
  if (typeof node.op === 'string') {
    for (const field of ['value', 'years'] as const)
      if (typeof node[field] === 'number')
        out.knobs.push({ path: [...path, field], kind: 'threshold', label: thresholdLabel(fact, node, field), value: node[field] as number })
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === 'window' && isObject(child)) {
      const anchor = typeof child.before === 'string' ? ` before ${child.before}` : typeof child.after === 'string' ? ` after ${child.after}` : ''
      // what the window is of (a set, a concept, items), so that a criterion's several windows can be told apart
      const of =
        typeof node.set === 'string' ? node.set : typeof node.concept === 'string' ? node.concept : Array.isArray(node.items) ? node.items.join(', ') : ''
      for (const unit of WINDOW_UNITS)
        if (typeof child[unit] === 'number')
          out.knobs.push({
            path: [...path, key, unit],
            kind: 'window',
            label: `${fact || 'window'}${of ? ` ${of}` : ''}: ${child[unit]} ${unit}${anchor}`,
            value: child[unit] as number,
          })
    }
    collect(child, [...path, key], out, key === 'all' || key === 'any' || key === 'not' || key === 'either' || /^\d+$/.test(key) ? fact : key)
  }
}

/**
 * Every number a designer may move, by criterion, and the numeric parameters the criteria read.
 *
 * @example whatIfKnobs(doc).criteria.find(c => c.id === 'EX01a')!.knobs // [{ path: ['criteria', 9, 'logic', 'medication', 'window', 'weeks'], kind: 'window', value: 24, … }]
 */
export function whatIfKnobs(doc: ProtocolDocument): WhatIfKnobs {
  const criteria = doc.criteria.map((c, i): CriterionKnobs => {
    const out: CriterionKnobs = { id: c.id, kind: c.kind, title: c.title ?? c.text, knobs: [], parameters: [] }
    for (const part of ['applies_if', 'logic'] as const) if (c[part] !== undefined) collect(c[part], ['criteria', i, part], out)
    return out
  })
  const parameters = Object.entries(doc.parameters ?? {}).flatMap(([name, p]) => {
    const usedBy = criteria.filter(c => c.parameters.includes(name)).map(c => c.id)
    return typeof p.value === 'number' && usedBy.length > 0
      ? [{ name, usedBy, path: ['parameters', name, 'value'], kind: 'parameter' as const, label: name, value: p.value }]
      : []
  })
  return { criteria, parameters }
}

/**
 * The document with the edits applied (the original is not changed).
 *
 * @throws WhatIfError for a criterion the document lacks, a path that is not one of its knobs, or a value that is not a finite number
 */
export function applyWhatIf(doc: ProtocolDocument, edits: WhatIfEdits): ProtocolDocument {
  const knobs = whatIfKnobs(doc)
  const allowed = new Set([...knobs.criteria.flatMap(c => c.knobs), ...knobs.parameters].map(k => pathKey(k.path)))
  const ids = new Set(doc.criteria.map(c => c.id))
  for (const id of edits.disabled ?? []) if (!ids.has(id)) throw new WhatIfError(`no criterion ${id} to switch off (the protocol has ${[...ids].join(', ')})`)
  const edited = structuredClone(doc)
  for (const { path, value } of edits.values ?? []) {
    if (!allowed.has(pathKey(path))) throw new WhatIfError(`${path.join('.')} is not a threshold, window or numeric parameter of this protocol`)
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new WhatIfError(`${path.join('.')}: ${JSON.stringify(value)} is not a number`)
    let at: unknown = edited
    for (const key of path.slice(0, -1)) at = (at as Record<string | number, unknown>)[key]
    ;(at as Record<string | number, unknown>)[path.at(-1)!] = value
  }
  const off = new Set(edits.disabled ?? [])
  // criteria switched off go last, after the values (their paths count positions in the original list)
  edited.criteria = edited.criteria.filter(c => !off.has(c.id))
  return edited
}
