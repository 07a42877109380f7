/** The state of one import: the record being built and the account of every resource. */
import type { Reference, Resource } from '@medplum/fhirtypes'
import type { Dictionary } from '../dictionary/index.ts'
import type { HistorySection, IsoDate, PatientRecord, UnrecognisedEntry } from '../types.ts'
import { fhirDate } from './dates.ts'
import type { MappedItem, UnmappedItem, UnmappedReason } from './types.ts'

/** Where a resource sits in the bundle. */
export interface Where {
  resourceType: string
  id?: string
  /** Path of the resource, e.g. `entry[3].resource`. */
  path: string
}

export class ImportContext {
  readonly record: PatientRecord = {}
  readonly mapped: MappedItem[] = []
  readonly unmapped: UnmappedItem[] = []
  /** Items that hold one value (a fact, a reference date): the latest kept. */
  private readonly singular = new Map<string, { date: IsoDate | undefined; where: Where; target: string }>()

  constructor(
    readonly dict: Dictionary,
    /** Resources by every way a reference may name them (`Medication/x`, `urn:uuid:…`). */
    readonly byReference: Map<string, Resource>,
    /** References naming the bundle's patient; undefined when the bundle has no Patient. */
    readonly patientRefs: Set<string> | undefined,
  ) {}

  miss(where: Where, sub: string, reason: UnmappedReason, message: string, imported = false): void {
    this.unmapped.push({ resourceType: where.resourceType, ...(where.id ? { id: where.id } : {}), path: join(where.path, sub), reason, message, imported })
  }

  /**
   * Keep an item that could not be recognised in the record
   * (`unrecognised.<section>`), so the criteria it could decide stay unknown,
   * and report it with where it was kept. The section itself becomes present:
   * the source has a history for it, incomplete as it is.
   */
  keep(where: Where, sub: string, section: HistorySection, item: Omit<UnrecognisedEntry, 'source'>, reason: UnmappedReason, message: string): void {
    ;(this.record[section] as unknown[] | undefined) ??= []
    const list = ((this.record.unrecognised ??= {})[section] ??= [])
    const kept = `unrecognised.${section}[${list.length}]`
    list.push({ ...item, source: join(where.path, sub) })
    this.unmapped.push({
      resourceType: where.resourceType,
      ...(where.id ? { id: where.id } : {}),
      path: join(where.path, sub),
      reason,
      message,
      imported: true,
      kept,
    })
  }

  hit(where: Where, target: string, match: MappedItem['match'], matched?: string, note?: string, sub = ''): void {
    this.mapped.push({
      resourceType: where.resourceType,
      ...(where.id ? { id: where.id } : {}),
      path: join(where.path, sub),
      target,
      match,
      ...(matched ? { matched } : {}),
      ...(note ? { note } : {}),
    })
  }

  /**
   * Set an item that holds one value (a fact, a reference date) unless a
   * later-dated value of it was already set; the value not kept is reported.
   */
  setSingular(key: string, date: IsoDate | undefined, where: Where, target: string, apply: () => void): boolean {
    const prior = this.singular.get(key)
    if (prior && prior.date !== undefined && date !== undefined && prior.date > date) {
      this.miss(where, '', 'SUPERSEDED', `${key}: a later value (${prior.date}, ${prior.where.path}) was kept`)
      return false
    }
    if (prior) {
      const i = this.mapped.findIndex(m => m.path === prior.where.path && m.target === prior.target)
      if (i >= 0) this.mapped.splice(i, 1)
      this.miss(prior.where, '', 'SUPERSEDED', `${key}: replaced by ${where.path}${date ? ` (${date})` : ''}`)
    }
    this.singular.set(key, { date, where, target })
    apply()
    return true
  }

  /** Whether a subject/patient reference names someone else than the bundle's patient (reported). */
  otherPatient(where: Where, sub: string, ref: Reference | undefined): boolean {
    if (!this.patientRefs || !ref?.reference) return false
    if (this.patientRefs.has(ref.reference)) return false
    this.miss(where, sub, 'OTHER_PATIENT', `refers to ${ref.reference}, not the bundle's patient`)
    return true
  }

  /**
   * The first date among candidates that is present, as an ISO date; reports
   * an imprecise or invalid one (and a missing one when `required`).
   */
  date(
    where: Where,
    candidates: Array<{ sub: string; value: unknown }>,
    what: string,
    opts: { required: boolean; imported: boolean },
  ): { date?: IsoDate; sub?: string } {
    const found = candidates.find(c => c.value !== undefined && c.value !== null)
    if (!found) {
      if (opts.required) this.miss(where, '', 'MISSING_DATE', `no ${what} (${candidates.map(c => c.sub).join(', ')})`, opts.imported)
      return {}
    }
    const d = fhirDate(found.value)
    if (!d.ok) {
      this.miss(where, found.sub, d.why === 'imprecise' ? 'IMPRECISE_DATE' : 'MISSING_DATE', `${what}: ${d.message}`, opts.imported)
      return {}
    }
    return { date: d.date, sub: found.sub }
  }
}

function join(base: string, sub: string): string {
  if (!sub) return base
  return sub.startsWith('[') ? `${base}${sub}` : `${base}.${sub}`
}

/** The references a resource makes to a medication (statements and requests), for the "referenced" check. */
export function referenceKeys(resource: Resource): string[] {
  const ref = (resource as { medicationReference?: Reference }).medicationReference?.reference
  return ref ? [ref] : []
}
