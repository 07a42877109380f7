/**
 * The one place that tells the sources of a `time_to_first_event` endpoint
 * (engine/types/study.ts `DatedEventSource`) apart, beside the condition
 * model: the semantic checks, the description, the endpoint itself and the
 * web's visit form dispatch on `kind`.
 *
 * Imports only types, so the browser bundle may import it
 * (test/web/boundaries.test.ts WEB_SHARED).
 */
import type { DatedEventSource } from '../types.ts'

/** Every source by its kind; the kind is the source's own key (`death:`, `ratio_to_baseline:`...). */
export interface EventSourceByKind {
  death: Extract<DatedEventSource, { death: unknown }>
  condition: Extract<DatedEventSource, { condition: unknown }>
  procedure: Extract<DatedEventSource, { procedure: unknown }>
  ratio_to_baseline: Extract<DatedEventSource, { ratio_to_baseline: unknown }>
  attestation: Extract<DatedEventSource, { attestation: unknown }>
}
export type EventSourceKind = keyof EventSourceByKind

/** Every kind, in the order of the type. */
export const EVENT_SOURCE_KINDS = ['death', 'condition', 'procedure', 'ratio_to_baseline', 'attestation'] as const satisfies readonly EventSourceKind[]

// compile-time: the list names every kind, and the map holds exactly the union's members
type Unlisted = Exclude<EventSourceKind, (typeof EVENT_SOURCE_KINDS)[number]>
type Unmapped = Exclude<DatedEventSource, EventSourceByKind[EventSourceKind]>
const complete: [Unlisted, Unmapped] extends [never, never] ? true : false = true
void complete

/** A source with its kind, narrowed together: `if (k.kind === 'condition') k.source.condition.set`. */
export type KindedEventSource = { [K in EventSourceKind]: { kind: K; source: EventSourceByKind[K] } }[EventSourceKind]

/** The source with its kind (the single dispatch point over source shapes). */
export function kindedEventSource(s: DatedEventSource): KindedEventSource {
  if ('death' in s) return { kind: 'death', source: s }
  if ('condition' in s) return { kind: 'condition', source: s }
  if ('procedure' in s) return { kind: 'procedure', source: s }
  if ('ratio_to_baseline' in s) return { kind: 'ratio_to_baseline', source: s }
  return { kind: 'attestation', source: s }
}

export function eventSourceKind(s: DatedEventSource): EventSourceKind {
  return kindedEventSource(s).kind
}
