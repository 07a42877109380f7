/**
 * The corpus generator's entry points: one bundle from (seed, profile,
 * options), a mixed corpus from (count, seed), and the profile and seed of
 * any corpus index (so one bundle of a corpus can be rebuilt alone).
 */
import { addDays } from './dates.ts'
import { mergeStories, paddingStory, buildStory } from './model.ts'
import { Rng, mixSeed } from './random.ts'
import { writeSynthea } from './synthea.ts'
import { writeUsCore } from './us-core.ts'
import type { CorpusProfile, GenerateOptions, GeneratedBundle } from './types.ts'
import type { PatientStory } from './model.ts'
import type { Json } from './fhir.ts'

export const DEFAULT_SCREENING_DATE = '2026-11-16'

function write(story: PatientStory, seed: number, profile: CorpusProfile) {
  const rng = new Rng(mixSeed(seed, 2))
  return profile === 'synthea' ? writeSynthea(story, rng) : writeUsCore(story, rng, profile)
}

function size(bundle: Json): number {
  return JSON.stringify(bundle).length
}

/**
 * A bundle and its ground truth. Deterministic: the same (seed, profile,
 * options) give the same JSON. Every date is placed relative to
 * `options.screeningDate` (default 2026-11-16) with UTC calendar arithmetic.
 */
export function generateBundle(seed: number, profile: CorpusProfile, options: GenerateOptions = {}): GeneratedBundle {
  const screeningDate = options.screeningDate ?? DEFAULT_SCREENING_DATE
  if (!/^\d{4}-\d{2}-\d{2}$/.test(screeningDate) || Number.isNaN(Date.parse(`${screeningDate}T00:00:00Z`)) || addDays(screeningDate, 0) !== screeningDate) {
    throw new Error(`screeningDate must be an ISO date (YYYY-MM-DD), got ${screeningDate}`)
  }
  let story = buildStory(new Rng(mixSeed(seed, 1)), profile, screeningDate, options.include)
  let out = write(story, seed, profile)
  const target = options.targetBytes
  if (target !== undefined && target > 0) {
    let current = size(out.bundle)
    if (current < target) {
      // measure one padding visit, then add about as many as the target needs
      const one = write(mergeStories(story, paddingStory(new Rng(mixSeed(seed, 3)), profile, story, 1)), seed, profile)
      const perVisit = Math.max(size(one.bundle) - current, 1000)
      let count = Math.ceil((target - current) / perVisit)
      for (let round = 0; round < 4 && current < target * 0.97; round++) {
        const padded = mergeStories(story, paddingStory(new Rng(mixSeed(seed, 3, round)), profile, story, count))
        const next = write(padded, seed, profile)
        const nextSize = size(next.bundle)
        story = padded
        out = next
        count = Math.ceil((target - nextSize) / perVisit)
        current = nextSize
      }
    }
  }
  return { id: `${profile}-${seed >>> 0}`, profile, bundle: out.bundle, truth: out.truth, screeningDate }
}

/** The profile and bundle seed of index `index` of the corpus `seed`: about 60 % Synthea, the rest spread over US Core 6.1, 8.0 and 9.0. */
export function corpusMember(seed: number, index: number): { seed: number; profile: CorpusProfile } {
  const rng = new Rng(mixSeed(seed, index, 0x5eed))
  const x = rng.float()
  const profile: CorpusProfile = x < 0.6 ? 'synthea' : x < 0.7333 ? 'us-core-6.1' : x < 0.8667 ? 'us-core-8.0' : 'us-core-9.0'
  return { seed: mixSeed(seed, index), profile }
}

/** `count` bundles mixing the four profiles; bundle `i` is `generateBundle(corpusMember(seed, i).seed, corpusMember(seed, i).profile)`. */
export function generateCorpus(count: number, seed = 1): GeneratedBundle[] {
  return Array.from({ length: count }, (_, i) => {
    const m = corpusMember(seed, i)
    return { ...generateBundle(m.seed, m.profile), id: `corpus-${seed}-${i}-${m.profile}` }
  })
}
