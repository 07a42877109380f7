// @vitest-environment happy-dom
/**
 * The protocol tab bar offers Evaluate only to who may evaluate that
 * protocol (issue 17): clinicians for an active protocol, admins (who also
 * edit protocols) for drafts and retired ones too, as a preview; never to a
 * role without the evaluate permission.
 */
import { describe, expect, it } from 'vitest'
import { offersEvaluate } from '../../web/components/tp-app.ts'

describe('the Evaluate tab', () => {
  it('is offered to a clinician for an active protocol only', () => {
    expect(offersEvaluate('clinician', 'active')).toBe(true)
    expect(offersEvaluate('clinician', 'draft')).toBe(false)
    expect(offersEvaluate('clinician', 'retired')).toBe(false)
    expect(offersEvaluate('clinician', undefined)).toBe(false) // while the status loads
    expect(offersEvaluate('clinician', 'unreadable')).toBe(true) // the screen then says why
  })
  it('is offered to an admin for every status (a draft as a preview), never to a role that cannot evaluate', () => {
    for (const status of ['active', 'draft', 'retired', undefined] as const) expect(offersEvaluate('admin', status)).toBe(true)
    for (const role of ['designer', 'viewer'] as const) for (const status of ['active', 'draft'] as const) expect(offersEvaluate(role, status)).toBe(false)
  })
})
