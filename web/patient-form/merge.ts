/**
 * One form for several protocols: the union of what each protocol's
 * criteria read (deriveFields per protocol), so a patient started in one
 * trial's form can be completed for the others it is matched against. The
 * record keys fields by name (a reference date, a fact, a lab concept, an
 * attestation), so a field two protocols share is asked once; the criteria
 * beside it are named with their protocol (`NCT05631717:IN02`).
 */
import type { EventSection, PatientFormFields } from './fields.ts'

export interface ProtocolFields {
  /** Shown before each criterion id (the registry id). */
  label: string
  fields: PatientFormFields
}

type Used = { usedBy: string[] }

const addUsed = (into: Used, from: Used, label: string) => {
  for (const id of from.usedBy) {
    const named = `${label}:${id}`
    if (!into.usedBy.includes(named)) into.usedBy.push(named)
  }
}

/** Merge items of one kind by their key: the first protocol's wording wins, criteria add up. */
function byKey<T extends Used>(lists: Array<{ label: string; items: readonly T[] }>, key: (t: T) => string, more?: (into: T, from: T) => void): T[] {
  const out = new Map<string, T>()
  for (const { label, items } of lists) {
    for (const item of items) {
      const k = key(item)
      let into = out.get(k)
      if (!into) out.set(k, (into = { ...structuredClone(item), usedBy: [] }))
      else more?.(into, item)
      addUsed(into, item, label)
    }
  }
  return [...out.values()]
}

const single = (list: ProtocolFields[], pick: (f: PatientFormFields) => Used | undefined): Used | undefined => {
  let into: Used | undefined
  for (const { label, fields } of list) {
    const u = pick(fields)
    if (u) addUsed((into ??= { usedBy: [] }), u, label)
  }
  return into
}

/**
 * The union form of several protocols' fields, in the order the protocols
 * are given (the one the user started from first).
 *
 * @example mergeFields([{ label: 'NCT05631717', fields: a }, { label: 'NCT01639339', fields: b }]).attestations.length
 */
export function mergeFields(list: ProtocolFields[]): PatientFormFields {
  const of = <T extends Used>(pick: (f: PatientFormFields) => readonly T[]) => list.map(({ label, fields }) => ({ label, items: pick(fields) }))
  const events: PatientFormFields['events'] = {}
  const suggestions: PatientFormFields['suggestions'] = {}
  for (const section of ['medications', 'conditions', 'procedures', 'vaccinations'] as const satisfies readonly EventSection[]) {
    const present = list.filter(({ fields }) => fields.events[section])
    if (present.length)
      events[section] = byKey(
        present.map(({ label, fields }) => ({ label, items: fields.events[section]! })),
        h => `${h.label}|${h.window ?? ''}|${h.filters.join()}`,
      )
    const names = [...new Set(list.flatMap(({ fields }) => fields.suggestions[section] ?? []))]
    if (names.length) suggestions[section] = names
  }
  return {
    birthDate: single(list, f => f.birthDate),
    sex: single(list, f => f.sex),
    referenceDates: byKey(
      of(f => f.referenceDates),
      d => d.name,
    ),
    facts: byKey(
      of(f => f.facts),
      x => x.name,
    ),
    acr1997: single(list, f => f.acr1997),
    measurements: byKey(
      of(f => f.measurements),
      m => m.concept,
      (into, from) => {
        for (const u of from.units) if (!into.units.includes(u)) into.units.push(u)
        for (const w of from.windows) if (!into.windows.includes(w)) into.windows.push(w)
      },
    ),
    pregnancyTests: byKey(
      of(f => f.pregnancyTests),
      t => t.specimen,
    ),
    attestations: byKey(
      of(f => f.attestations),
      a => a.name,
    ),
    events,
    suggestions,
    unsupported: byKey(
      of(f => f.unsupported),
      u => u.what,
    ),
  }
}
