import { describe, expect, it } from 'vitest'
import { req, testApp } from './helpers.ts'

describe('GET /me', () => {
  it.each([
    ['admin', ['read', 'edit_protocols', 'evaluate', 'manage_subjects', 'admin', 'unblinded']],
    ['designer', ['read', 'edit_protocols']],
    ['clinician', ['read', 'evaluate', 'manage_subjects']],
    ['viewer', ['read']],
  ] as const)('names a %s token and what it may do', async (role, permissions) => {
    const { app, tokenFor } = await testApp()
    const res = await req(app, 'GET', '/me', { token: tokenFor(role) })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ role, permissions })
  })

  it('401 without a token', async () => {
    const { app } = await testApp()
    expect((await req(app, 'GET', '/me')).status).toBe(401)
  })
})
