import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { DIALECTS, licenseeKey, makeStudio, type Studio, usageEvent, World } from './world.js'

describe.each(DIALECTS)('a revoked grant on %s', (dialect) => {
  let world: World
  let studio: Studio
  let mill: Caller
  let grant: { grantId: string; grant: string; agreementId: string }

  beforeAll(async () => {
    world = await World.create(dialect)
    const s = await world.at('2026-10-01T09:00:00.000Z')
    studio = await makeStudio(s)
    mill = await licenseeKey(s, studio.owner, 'https://mill.example/')
    await s.licences.attach(studio.owner, studio.childId, {
      kind: 'template',
      template: 'standard',
      params: {},
    })
    const agreed = await s.licences.createAgreement(mill, studio.childId, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 10,
    })
    if (agreed.kind !== 'agreed') throw new Error(agreed.decision.explanation)
    grant = agreed
  }, 60_000)
  afterAll(async () => world.dispose())

  it('accepts usage before the revocation and refuses it from then on', async () => {
    let s: Selvedge = await world.at('2026-10-05T09:00:00.000Z')
    await expect(s.licences.revokeAgreement(mill, grant.agreementId)).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    })
    const revoked = await s.licences.revokeAgreement(studio.owner, grant.agreementId, 'unpaid')
    expect(revoked.revokedAt).toBe('2026-10-05T09:00:00.000Z')
    s = await world.at('2026-10-06T09:00:00.000Z')
    // Revoking again keeps the first instant.
    expect((await s.licences.revokeAgreement(studio.owner, grant.agreementId)).revokedAt).toBe(
      '2026-10-05T09:00:00.000Z',
    )
    const report = await s.usage.ingest({ caller: mill }, [
      usageEvent(grant.grantId, 3, '2026-10-04T10:00:00Z'),
      usageEvent(grant.grantId, 3, '2026-10-05T10:00:00Z'),
    ])
    expect(report.accepted).toBe(1)
    expect(report.rejected.map((r) => r.code)).toEqual(['USAGE_GRANT_REVOKED'])
    await expect(
      s.exports.export({ grant: grant.grant }, studio.childId, {
        format: 'png',
        baseUrl: 'https://studio.example',
      }),
    ).rejects.toMatchObject({ code: 'GRANT_INVALID' })
  })
})
