/**
 * A what-if's effect: the edited protocol checked and compiled, and the
 * screened patients re-evaluated under it beside the current one
 * (diff/amendment-impact.ts).
 */
import type { ProtocolDocument } from '../types.ts'
import { compileProtocol, type CompiledProtocol } from '../compile/compile-protocol.ts'
import { amendmentImpact, type AmendmentImpact, type ScreenedPatient } from '../diff/amendment-impact.ts'
import { validateAgainstSchema } from '../schema/validate.ts'
import { applyWhatIf, WhatIfError, type WhatIfEdits } from './what-if.ts'

/**
 * The edited protocol, checked and compiled, and the screened patients re-evaluated under it beside the current one.
 *
 * @throws WhatIfError for an edit applyWhatIf refuses, or an edited protocol that no longer validates or compiles
 */
export async function whatIfImpact<K>(
  current: CompiledProtocol,
  edits: WhatIfEdits,
  screened: Array<ScreenedPatient<K>>,
): Promise<{ document: ProtocolDocument; impact: AmendmentImpact<K> }> {
  const document = applyWhatIf(current.document, edits)
  const problem = validateAgainstSchema('protocol', document, undefined).find(d => d.severity === 'error')
  if (problem) throw new WhatIfError(`the edited protocol is not valid at ${problem.path || 'its root'}: ${problem.message}`)
  let edited: CompiledProtocol
  try {
    edited = compileProtocol(document)
  } catch (e) {
    throw new WhatIfError(`the edited protocol does not compile: ${e instanceof Error ? e.message : String(e)}`)
  }
  return { document, impact: await amendmentImpact(current, edited, screened) }
}
