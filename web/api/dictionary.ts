/** The engine's lab concepts, fetched once per page (GET /dictionary/lab-concepts) rather than bundled with the shell. */
import type { LabConcept } from '../../engine/index.ts'
import { json } from '../api.ts'

let labConcepts: Promise<LabConcept[]> | undefined

/** The lab concepts; a failed request is not cached, so the next call tries again. */
export function getLabConcepts(signal?: AbortSignal): Promise<LabConcept[]> {
  labConcepts ??= json<LabConcept[]>('/dictionary/lab-concepts', { signal }).catch((e: unknown) => {
    labConcepts = undefined
    throw e
  })
  return labConcepts
}

/** Forget what this page fetched: a test file that shares modules with the ones before it starts as a new page. */
export function forgetLabConcepts(): void {
  labConcepts = undefined
}
