/**
 * Making USDM instances: every instance carries an id unique in the whole
 * document and its class name (`instanceType`), as USDM 4.0 requires. Ids
 * are `<Class>_<n>` numbered in the order the export makes them, so the same
 * protocol always exports to the same document.
 */
import { CDISC_CODE_SYSTEM, CDISC_CT_VERSION, type CtCode } from './usdm-codes.ts'

/** One USDM instance (a JSON object of the model). */
export interface UsdmInstance {
  id: string
  instanceType: string
  [field: string]: unknown
}

export class UsdmBuilder {
  private readonly counts = new Map<string, number>()

  /** A new instance of `instanceType` with its id, its fields, and USDM's empty extension list. */
  make(instanceType: string, fields: Record<string, unknown>): UsdmInstance {
    const n = (this.counts.get(instanceType) ?? 0) + 1
    this.counts.set(instanceType, n)
    return { id: `${instanceType}_${n}`, extensionAttributes: [], ...fields, instanceType }
  }

  /** The id the next instance of `instanceType` will get (for links made before the instance). */
  peekId(instanceType: string, ahead = 0): string {
    return `${instanceType}_${(this.counts.get(instanceType) ?? 0) + 1 + ahead}`
  }

  code(c: CtCode): UsdmInstance {
    return this.make('Code', { code: c.code, codeSystem: CDISC_CODE_SYSTEM, codeSystemVersion: CDISC_CT_VERSION, decode: c.decode })
  }

  aliasCode(c: CtCode): UsdmInstance {
    return this.make('AliasCode', { standardCode: this.code(c), standardCodeAliases: [] })
  }

  quantity(value: number, unit?: CtCode): UsdmInstance {
    return this.make('Quantity', { value, unit: unit ? this.aliasCode(unit) : null })
  }

  comment(text: string): UsdmInstance {
    return this.make('CommentAnnotation', { text, codes: [] })
  }
}

/** Link a list of instances through their previousId / nextId, as USDM orders criteria, epochs and encounters. */
export function chain(items: UsdmInstance[]): void {
  items.forEach((item, i) => {
    item.previousId = items[i - 1]?.id ?? null
    item.nextId = items[i + 1]?.id ?? null
  })
}

/** An ISO 8601 duration of whole days (`P28D`). */
export const isoDays = (days: number) => `P${days}D`
