/**
 * Checks a schema-valid protocol for what a schema cannot see: names that
 * refer to nothing (facts, definitions, dictionary entries, reference dates,
 * parameters, attestations), units that cannot convert, duplicate ids.
 * Every problem is collected, with the path of the node at fault.
 */
import type { Condition, EventSelector, ProtocolDocument, Window } from '../types.ts'
import type { Dictionary, EntryDomain } from '../dictionary/index.ts'
import { defaultDictionary, resolveLabConcept } from '../dictionary/index.ts'
import { withLabConcepts } from '../dictionary/extend.ts'
import { FACT_CATALOGUE } from '../evaluate/facts/record-facts.ts'
import type { EngineExtensions } from '../extensions.ts'
import { isParamRef } from '../compile/resolve.ts'
import type { PathSegment } from '../parse/path.ts'
import { issue, type SemanticIssue } from './issue.ts'
import { didYouMean } from './suggest.ts'
import { checkStudy } from './check-study.ts'
import { checkChange } from './check-change.ts'
import { checkMeasurement } from './check-measurement.ts'
import { checkBiopsy, checkSteroidDays } from './check-period-leaves.ts'
import { checkEgfrEquation } from './check-egfr.ts'
import { checkDefinitions, checkParameters, checkSelection } from './check-definitions.ts'
import { kindedWindow } from '../logic/window-model.ts'
import {
  childrenOf,
  conditionKind,
  EVENT_DOMAIN,
  eventSelector,
  isGroupKind,
  someCondition,
  visitCondition,
  type ConditionVisitor,
  type EventCondition,
  type EventKind,
} from '../logic/condition-model.ts'

/** The built-in comparisons a `fact:` leaf's `op` may name besides custom operators. */
const COMPARISONS = ['>', '>=', '<', '<=', '==', '!=']
const AGE_BASES = ['exact', 'completed_years']
const MEDICATION_EVENTS = ['exposure', 'dose_change', 'start_stop_or_dose_change']

/** Checks used by a leaf's own module (check-change.ts) are public. */
class Checker {
  readonly issues: SemanticIssue[] = []
  /** The dictionary the protocol is compiled against: the shipped one plus its own lab concepts. */
  readonly dictionary: Dictionary
  constructor(
    readonly doc: ProtocolDocument,
    readonly shipped: Dictionary,
    readonly skip: (path: string) => boolean,
    readonly extensions: EngineExtensions,
  ) {
    this.dictionary = withLabConcepts(shipped, doc.definitions?.lab_concepts)
  }

  run(): SemanticIssue[] {
    this.issues.push(...checkParameters(this.doc, this.skip), ...checkDefinitions(this.doc, this.shipped, this.dictionary, this.skip))
    const seen = new Map<string, number>()
    this.doc.criteria.forEach((c, i) => {
      if (this.skip(`criteria[${i}]`)) return
      const first = seen.get(c.id)
      if (first !== undefined) {
        this.issues.push(issue('E_DUPLICATE_ID', ['criteria', i, 'id'], `criterion id ${c.id} is already used by criteria[${first}]`, 'a unique id', c.id))
      } else seen.set(c.id, i)
      this.condition(c.logic, ['criteria', i, 'logic'])
      if (c.applies_if) this.condition(c.applies_if, ['criteria', i, 'applies_if'])
    })
    this.issues.push(...checkStudy(this.doc, this.dictionary, this.skip, (c, at) => this.endpointCondition(c, at)))
    return this.issues
  }

  /** Where the logic is evaluated: eligibility (once) or an endpoint (at each visit). */
  private mode: 'eligibility' | 'endpoint' = 'eligibility'

  private endpointCondition(c: Condition, at: PathSegment[]): void {
    this.mode = 'endpoint'
    try {
      this.condition(c, at)
    } finally {
      this.mode = 'eligibility'
    }
  }

  /** Visit windows, changes, steroid doses and per-visit answers only make sense at a visit. */
  endpointOnly(at: PathSegment[], what: string): boolean {
    if (this.mode === 'endpoint') return true
    this.issues.push(issue('E_SCHEMA_SHAPE', at, `${what} can only be used in endpoint logic, which is evaluated at visits`, 'an eligibility condition', what))
    return false
  }

  private selection(sel: Omit<EventSelector, 'window'>, domain: EntryDomain, at: PathSegment[]): void {
    this.issues.push(...checkSelection(sel, domain, at, this.doc, this.dictionary))
  }

  /** A visit id used by endpoint logic: `current` or a declared visit. */
  visitRef(name: string, at: PathSegment[]): void {
    const ids = (this.doc.visits ?? []).map(v => v.id)
    if (name !== 'current' && !ids.includes(name)) {
      this.issues.push(issue('E_UNKNOWN_VISIT', at, `visit "${name}" is not declared in visits${didYouMean(name, ids)}`, ['current', ...ids].join(', '), name))
    }
  }

  /** A concept id used by a measurement or change leaf. */
  concept(id: string, at: PathSegment[]): void {
    if (!resolveLabConcept(id, this.dictionary)) {
      this.issues.push(
        issue(
          'E_UNKNOWN_CONCEPT',
          at,
          `unknown lab concept "${id}"${didYouMean(
            id,
            this.dictionary.labConcepts.map(c => c.id),
          )}`,
          `one of ${this.dictionary.labConcepts.map(c => c.id).join(', ')}`,
          id,
        ),
      )
    }
  }

  private refDate(name: string, at: PathSegment[]): void {
    if (!this.doc.reference_dates[name]) {
      this.issues.push(
        issue(
          'E_UNKNOWN_REFERENCE_DATE',
          at,
          `reference date "${name}" is not declared in reference_dates${didYouMean(name, Object.keys(this.doc.reference_dates))}`,
          Object.keys(this.doc.reference_dates).join(', '),
          name,
        ),
      )
    }
  }

  /** A `{ param: name }` or literal; checks the parameter exists and has the wanted type. */
  paramOr(value: unknown, at: PathSegment[], want: 'number' | 'string', allowed?: string[]): void {
    if (!isParamRef(value)) {
      if (allowed && typeof value === 'string' && !allowed.includes(value)) {
        this.issues.push(issue('E_PARAMETER_VALUE', at, `"${value}" is not allowed here`, allowed.join(', '), value))
      }
      return
    }
    const def = this.doc.parameters?.[value.param]
    if (!def) {
      this.issues.push(
        issue(
          'E_UNKNOWN_PARAMETER',
          [...at, 'param'],
          `parameter "${value.param}" is not declared in parameters${didYouMean(value.param, Object.keys(this.doc.parameters ?? {}))}`,
          Object.keys(this.doc.parameters ?? {}).join(', ') || 'a declared parameter',
          value.param,
        ),
      )
      return
    }
    if (typeof def.value !== want || (allowed && !allowed.includes(String(def.value)))) {
      this.issues.push(
        issue(
          'E_PARAMETER_VALUE',
          [...at, 'param'],
          `parameter "${value.param}" has the wrong kind of value here`,
          allowed ? allowed.join(', ') : `a ${want}`,
          `${typeof def.value} ${JSON.stringify(def.value)}`,
        ),
      )
    }
  }

  window(written: Window | undefined, at: PathSegment[], allowPlanned: boolean): void {
    const k = kindedWindow(written)
    if (k.kind === 'any') return
    if (k.kind === 'planned') {
      if (!allowPlanned)
        this.issues.push(
          issue('E_SCHEMA_SHAPE', at, 'a planned window only applies to events (vaccinations, procedures)', 'a window before a reference date', 'planned'),
        )
      return
    }
    if (k.kind === 'at') {
      this.refDate(k.window.at, [...at, 'at'])
      return
    }
    if (k.kind === 'visit') {
      if (this.endpointOnly([...at, 'visit'], 'a visit window')) this.visitRef(k.window.visit, [...at, 'visit'])
      return
    }
    if (k.kind === 'study_days') {
      const w = k.window
      this.refDate(w.ref, [...at, 'ref'])
      this.paramOr(w.from_day, [...at, 'from_day'], 'number')
      this.paramOr(w.to_day, [...at, 'to_day'], 'number')
      const from = this.numberOf(w.from_day)
      const to = this.numberOf(w.to_day)
      if (from !== undefined && to !== undefined && from > to) {
        this.issues.push(
          issue('E_SCHEMA_RANGE', [...at, 'to_day'], `the window ends (day ${to}) before it starts (day ${from})`, `a day ≥ ${from}`, String(to)),
        )
      }
      return
    }
    const w = k.window
    this.refDate(w.before, [...at, 'before'])
    if (w.weeks !== undefined) this.paramOr(w.weeks, [...at, 'weeks'], 'number')
    if (w.days !== undefined) this.paramOr(w.days, [...at, 'days'], 'number')
    for (const key of ['months', 'years'] as const) {
      const v = w[key]
      if (v === undefined) continue
      this.paramOr(v, [...at, key], 'number')
      const n = this.numberOf(v)
      // calendar arithmetic steps whole months: "6.5 months" has no calendar date
      if (n !== undefined && !Number.isInteger(n))
        this.issues.push(issue('E_SCHEMA_TYPE', [...at, key], `${key} must be a whole number`, 'a whole number', String(n)))
    }
  }

  /** A literal number, or the value of the number parameter it names; undefined otherwise. */
  numberOf(v: unknown): number | undefined {
    if (typeof v === 'number') return v
    if (!isParamRef(v)) return undefined
    const value = this.doc.parameters?.[v.param]?.value
    return typeof value === 'number' ? value : undefined
  }

  /** `consecutive: n` (a confirmed comparison): a whole number ≥ 1. */
  consecutive(v: unknown, at: PathSegment[]): void {
    this.wholeCount(v, at, 'consecutive counts measurements')
  }

  /** A count (of measurements, of days): a whole number ≥ 1, or a parameter that is one. */
  private wholeCount(v: unknown, at: PathSegment[], what: string): void {
    if (v === undefined) return
    this.paramOr(v, at, 'number')
    const n = this.numberOf(v)
    if (n !== undefined && (!Number.isInteger(n) || n < 1))
      this.issues.push(issue('E_SCHEMA_RANGE', at, `${what}: a whole number of at least 1`, 'a whole number ≥ 1', String(n)))
  }

  /** Check a node and, through the handlers of its kind, its children; a shape the schema rejected is skipped. */
  private condition(c: Condition, at: PathSegment[]): void {
    visitCondition(c, this.checks, [at], () => undefined)
  }

  private children(c: Condition, at: PathSegment[]): void {
    for (const child of childrenOf(c)) this.condition(child.node, [...at, ...child.at])
  }

  private readonly checks: ConditionVisitor<void, [PathSegment[]]> = {
    all: (c, at) => this.children(c, at),
    any: (c, at) => this.children(c, at),
    not: (c, at) => {
      if (someCondition(c.not, v => v.kind === 'either'))
        this.issues.push(
          issue(
            'E_SCHEMA_SHAPE',
            [...at, 'not'],
            '`either` cannot be negated: "not measured" paths have no sound negation',
            'a condition without either',
            'either',
          ),
        )
      this.children(c, at)
    },
    either: (c, at) => {
      for (const child of childrenOf(c)) {
        if (isGroupKind(conditionKind(child.node))) {
          this.issues.push(
            issue(
              'E_SCHEMA_SHAPE',
              [...at, ...child.at],
              '`either` alternatives must be leaves (one measurement or change each)',
              'a leaf',
              Object.keys(child.node).join(', '),
            ),
          )
        } else this.condition(child.node, [...at, ...child.at])
      }
    },
    at_least: (c, at) => {
      const { n, of } = c.at_least
      if (n > of.length) {
        this.issues.push(
          issue('E_SCHEMA_RANGE', [...at, 'at_least', 'n'], `at_least needs ${n} of only ${of.length} clauses`, `at most ${of.length}`, String(n)),
        )
      }
      this.children(c, at)
    },
    fact: (c, at) => {
      const facts = [...Object.keys(FACT_CATALOGUE), ...Object.keys(this.extensions.facts ?? {})]
      if (!facts.includes(c.fact)) {
        this.issues.push(issue('E_UNKNOWN_FACT', [...at, 'fact'], `unknown fact "${c.fact}"${didYouMean(c.fact, facts)}`, `one of ${facts.join(', ')}`, c.fact))
      }
      if (c.op !== undefined) {
        const ops = [...COMPARISONS, ...Object.keys(this.extensions.operators ?? {})]
        if (!ops.includes(c.op)) {
          this.issues.push(issue('E_UNKNOWN_OPERATOR', [...at, 'op'], `unknown operator "${c.op}"${didYouMean(c.op, ops)}`, `one of ${ops.join(', ')}`, c.op))
        }
      }
    },
    attestation: (c, at) => {
      if (c.at !== undefined && this.endpointOnly([...at, 'at'], 'an attestation at a visit')) this.visitRef(c.at, [...at, 'at'])
      if (!this.doc.attestations?.[c.attestation]) {
        this.issues.push(
          issue(
            'E_UNKNOWN_ATTESTATION',
            [...at, 'attestation'],
            `attestation "${c.attestation}" is not declared in attestations${didYouMean(c.attestation, Object.keys(this.doc.attestations ?? {}))}`,
            Object.keys(this.doc.attestations ?? {}).join(', ') || 'a declared attestation',
            c.attestation,
          ),
        )
      }
    },
    parameter: (c, at) => {
      const def = this.doc.parameters?.[c.parameter]
      if (!def) {
        this.issues.push(
          issue(
            'E_UNKNOWN_PARAMETER',
            [...at, 'parameter'],
            `parameter "${c.parameter}" is not declared in parameters${didYouMean(c.parameter, Object.keys(this.doc.parameters ?? {}))}`,
            'a declared parameter',
            c.parameter,
          ),
        )
      } else if (typeof def.value !== typeof c.is) {
        this.issues.push(
          issue(
            'E_PARAMETER_VALUE',
            [...at, 'is'],
            `parameter "${c.parameter}" holds a ${typeof def.value}`,
            `a ${typeof def.value}`,
            `${typeof c.is} ${JSON.stringify(c.is)}`,
          ),
        )
      }
    },
    age: (c, at) => {
      this.refDate(c.age.at, [...at, 'age', 'at'])
      this.paramOr(c.age.years, [...at, 'age', 'years'], 'number')
      this.paramOr(c.age.basis, [...at, 'age', 'basis'], 'string', AGE_BASES)
    },
    measurement: (c, at) => checkMeasurement(c.measurement, [...at, 'measurement'], this),
    change: (c, at) => {
      this.equation(c.change.concept, c.change.equation, [...at, 'change', 'equation'])
      checkChange(c.change, [...at, 'change'], this)
    },
    steroid_dose: (c, at) => {
      if (!this.endpointOnly([...at, 'steroid_dose'], 'a steroid dose at a visit')) return
      this.visitRef(c.steroid_dose.at, [...at, 'steroid_dose', 'at'])
      this.paramOr(c.steroid_dose.value, [...at, 'steroid_dose', 'value'], 'number')
      this.wholeCount(c.steroid_dose.over_days, [...at, 'steroid_dose', 'over_days'], 'over_days counts days up to the visit')
    },
    pregnancy_test: (c, at) => this.window(c.pregnancy_test.window, [...at, 'pregnancy_test', 'window'], false),
    steroid_days: (c, at) => checkSteroidDays(c.steroid_days, [...at, 'steroid_days'], this),
    biopsy: (c, at) => checkBiopsy(c.biopsy, [...at, 'biopsy'], this),
    medication: (c, at) => this.eventLeaf(c, at),
    condition: (c, at) => this.eventLeaf(c, at),
    procedure: (c, at) => this.eventLeaf(c, at),
    vaccination: (c, at) => this.eventLeaf(c, at),
  }

  /** An event leaf: its selection in its dictionary, its medication event, its window. */
  private eventLeaf(c: EventCondition, at: PathSegment[]): void {
    const key = conditionKind(c) as EventKind
    const sel = eventSelector(c)
    const where = [...at, key]
    this.selection(sel, EVENT_DOMAIN[key], where)
    if (key === 'medication' && sel.event !== undefined) this.paramOr(sel.event, [...where, 'event'], 'string', MEDICATION_EVENTS)
    // medications are taken over a period, never "planned" in this language
    this.window(sel.window, [...where, 'window'], key !== 'medication')
  }

  /** `equation:` of a measurement or change leaf (eGFR only). */
  equation(conceptId: string, equation: unknown, at: PathSegment[]): void {
    checkEgfrEquation(conceptId, equation, at, {
      issues: this.issues,
      dictionary: this.dictionary,
      paramOr: (v, where, want, allowed) => this.paramOr(v, where, want, allowed),
    })
  }
}

/**
 * Semantic checks of a protocol. Parts that failed the JSON Schema are
 * skipped (`skip` gets readable paths such as `criteria[3]`), so a designer
 * sees schema and semantic errors of the rest in one pass.
 *
 * @returns every problem found, each with the path of the node at fault
 * @example
 * checkProtocol(doc).map((i) => i.code) // ['E_UNKNOWN_FACT', 'E_UNIT_INCONVERTIBLE']
 */
export function checkProtocol(
  doc: ProtocolDocument,
  dictionary: Dictionary = defaultDictionary,
  skip: (path: string) => boolean = () => false,
  extensions: EngineExtensions = {},
): SemanticIssue[] {
  return new Checker(doc, dictionary, skip, extensions).run()
}
