/**
 * Seeded randomness for the FHIR corpus: mulberry32 (a 32-bit PRNG with a
 * good spread for test data, not for cryptography) and the helpers the
 * generators draw from. Same seed, same sequence, on every platform.
 */

/** mulberry32: returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Mixes integers into one 32-bit seed (a corpus seed and a bundle index, a seed and a purpose...). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0
    h ^= h >>> 13
    h = Math.imul(h, 0x5bd1e995) >>> 0
    h ^= h >>> 15
  }
  return h >>> 0
}

export class Rng {
  private readonly next: () => number
  constructor(readonly seed: number) {
    this.next = mulberry32(seed)
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next()
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** A float in [min, max) rounded to `decimals`. */
  decimal(min: number, max: number, decimals: number): number {
    const f = 10 ** decimals
    return Math.round((min + this.next() * (max - min)) * f) / f
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  /** `n` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items]
    const out: T[] = []
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!)
    return out
  }

  /** A normally distributed value (Box-Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next()
    const v = this.next()
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Eight hex digits from one draw. */
  private hex8(): string {
    return (Math.floor(this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0')
  }

  /** A version-4-shaped UUID drawn from the sequence (so reproducible). */
  uuid(): string {
    const a = this.hex8()
    const b = this.hex8()
    const c = this.hex8()
    const d = this.hex8()
    const variant = ((parseInt(c.charAt(0), 16) & 0x3) | 0x8).toString(16)
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`
  }

  /** A string of `n` decimal digits. */
  digits(n: number): string {
    let out = ''
    while (out.length < n) out += String(Math.floor(this.next() * 1e8)).padStart(8, '0')
    return out.slice(0, n)
  }
}
