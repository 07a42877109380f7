/**
 * Checks an examples file against its protocol: the protocol id matches,
 * example ids are unique, expectations name existing criteria.
 */
import type { ExamplesDocument, ProtocolDocument } from '../types.ts'
import { issue, type SemanticIssue } from './issue.ts'

export function checkExamples(examples: ExamplesDocument, protocol: ProtocolDocument): SemanticIssue[] {
  const out: SemanticIssue[] = []
  if (examples.protocol !== protocol.protocol.registry_id) {
    out.push(issue('E_EXAMPLE_PROTOCOL_MISMATCH', ['protocol'], 'examples are for another protocol', protocol.protocol.registry_id, examples.protocol))
  }
  const ids = new Set(protocol.criteria.map(c => c.id))
  const seen = new Set<string>()
  examples.examples.forEach((ex, i) => {
    if (seen.has(ex.id)) out.push(issue('E_DUPLICATE_ID', ['examples', i, 'id'], `example id ${ex.id} is used twice`, 'a unique id', ex.id))
    seen.add(ex.id)
    for (const id of Object.keys(ex.expect.criteria ?? {})) {
      if (!ids.has(id)) {
        out.push(
          issue(
            'E_EXAMPLE_UNKNOWN_CRITERION',
            ['examples', i, 'expect', 'criteria', id],
            `example ${ex.id} expects criterion ${id}, which the protocol does not have`,
            [...ids].join(', '),
            id,
          ),
        )
      }
    }
  })
  return out
}
