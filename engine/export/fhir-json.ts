/**
 * The FHIR JSON the export writes, as plain object types of its own (the
 * export serves R4 and R5 alike, and engine code must not need the
 * @medplum devDependencies), with the few datatypes it builds and the ids,
 * names and canonical URLs every resource of a bundle shares.
 */

/** JSON as FHIR's JSON format holds it; `undefined` members are pruned before a bundle is returned. */
export type Json = string | number | boolean | Json[] | JsonObject
export interface JsonObject {
  [key: string]: Json | undefined
}

export type FhirRelease = 'R4' | 'R5'

export interface FhirResource extends JsonObject {
  resourceType: string
  id: string
}

export interface FhirBundleEntry extends JsonObject {
  fullUrl: string
  resource: FhirResource
}

/** A `collection` Bundle: the protocol's resources, nothing to be processed by a server. */
export interface FhirBundle extends JsonObject {
  resourceType: 'Bundle'
  id: string
  type: 'collection'
  entry: FhirBundleEntry[]
}

/**
 * Base of every canonical URL and fullUrl of the export: the same home as
 * the record code system of the FHIR import (engine/fhir/codes.ts
 * RECORD_SYSTEM), so both directions name this project's artefacts alike.
 */
export const CANONICAL_BASE = 'https://ln-trial-rules.dev/fhir'

/** UCUM, the unit system FHIR Quantity and Duration require (http://hl7.org/fhir/R4/datatypes.html#Duration). */
export const UCUM = 'http://unitsofmeasure.org'

const ID_LENGTH = 64

/** FNV-1a, 32 bits, as 8 hex digits: keeps a shortened id distinct and stable across runs. */
function hash8(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

/**
 * A FHIR `id` (`[A-Za-z0-9\-\.]{1,64}`) from our ids: `_` and anything else
 * outside the pattern become `-` (our snake_case ids have no `-`, so distinct
 * ids stay distinct); a longer id keeps its start and a hash of the whole.
 */
export function fhirId(raw: string): string {
  const safe = raw.replace(/[^A-Za-z0-9\-.]/g, '-') || 'x'
  return safe.length <= ID_LENGTH ? safe : `${safe.slice(0, ID_LENGTH - 9)}-${hash8(raw)}`
}

/** A computer-friendly `name` (FHIR canonical resources' cnl-0 warning: `[A-Z]([A-Za-z0-9_]){0,254}`). */
export function machineName(...parts: string[]): string {
  const words = parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
  const name = words.map(w => w[0]!.toUpperCase() + w.slice(1)).join('')
  return /^[A-Z]/.test(name) ? name.slice(0, 255) : `P${name}`.slice(0, 255)
}

/** The canonical URL of a resource, also its entry's fullUrl (relative references resolve against CANONICAL_BASE). */
export function canonicalUrl(resourceType: string, id: string): string {
  return `${CANONICAL_BASE}/${resourceType}/${id}`
}

export function reference(resourceType: string, id: string, display?: string): JsonObject {
  return { reference: `${resourceType}/${id}`, display }
}

export function coding(system: string, code: string, display?: string): JsonObject {
  return { system, code, display }
}

/** A number of days as a FHIR Duration (drt-1: a UCUM code; `d` is UCUM's day, http://unitsofmeasure.org). */
export function days(value: number): JsonObject {
  return { value, unit: Math.abs(value) === 1 ? 'day' : 'days', system: UCUM, code: 'd' }
}

/** A UCUM quantity; `unit` is the human form shown beside the code. */
export function ucumQuantity(value: number, code: string, unit: string): JsonObject {
  return { value, unit, system: UCUM, code }
}

/** Drops `undefined` members, empty arrays and empty objects, which FHIR forbids (ele-1), recursively. */
export function pruned<T extends Json>(value: T): T {
  return prune(value) as T
}

function prune(value: Json): Json | undefined {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v): v is Json => v !== undefined)
    return items.length ? items : undefined
  }
  if (typeof value !== 'object') return value
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(value)) {
    const p = v === undefined ? undefined : prune(v)
    if (p !== undefined) out[k] = p
  }
  return Object.keys(out).length ? out : undefined
}
