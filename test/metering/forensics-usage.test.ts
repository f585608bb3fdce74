import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { buildRepeat } from '../../src/core/repeat/index.js'
import { encode, flatTile } from '../support/images.js'
import { licenseeKey, usageEvent, World } from './world.js'

const T0 = '2026-10-01T09:00:00.000Z'
const T1 = '2026-10-12T09:00:00.000Z'

// A copy found in the wild under a live grant is licensed until metering shows the licensee
// reported more than the agreement allows where nothing prices the excess.
describe('forensics reads what the licensee reported', () => {
  let world: World
  let s: Selvedge
  let owner: Caller
  let grantId: string
  let exported: Uint8Array

  beforeAll(async () => {
    world = await World.create('sqlite')
    s = await world.at(T0)
    const { ownerKey } = await s.studios.init()
    owner = await s.keys.authenticate(ownerKey)
    const png = await encode(
      buildRepeat(
        flatTile(90, 70, [
          [0x1f, 0x3a, 0x5f],
          [0xe8, 0xd8, 0xb0],
          [0xc4, 0x5a, 0x2c],
        ]),
        'half-brick',
        400,
        360,
      ),
    )
    const asset = await s.assets.ingest(owner, {
      bytes: png,
      metadata: { title: 'Capped print', visibility: 'published' },
    })
    // The standard template caps units with no price above the cap.
    await s.licences.attach(owner, asset.asset.id, {
      kind: 'template',
      template: 'standard',
      params: { unitCap: '1000' },
    })
    const mill = await licenseeKey(s, owner, 'https://mill.example/')
    const agreed = await s.licences.createAgreement(mill, asset.asset.id, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 100,
    })
    if (agreed.kind !== 'agreed') throw new Error(agreed.decision.explanation)
    grantId = agreed.grantId
    exported = (
      await s.exports.export({ grant: agreed.grant }, asset.asset.id, {
        format: 'png',
        baseUrl: 'https://studio.example',
      })
    ).bytes
  }, 120_000)
  afterAll(async () => world.dispose())

  it('is licensed while reported use stays within the agreement', async () => {
    s = await world.at(T1)
    await s.usage.ingest({ caller: owner }, [usageEvent(grantId, 80, '2026-10-05T10:00:00Z')])
    const scan = await s.forensics.scan(owner, exported)
    expect(scan.watermark.payload).toBe(grantId)
    expect(scan.finding.kind).toBe('licensed')
  }, 60_000)

  it('is over-use once reported units exceed the agreement and nothing prices the excess', async () => {
    s = await world.at(T1)
    await s.usage.ingest({ caller: owner }, [usageEvent(grantId, 40, '2026-10-06T10:00:00Z')])
    const scan = await s.forensics.scan(owner, exported)
    expect(scan.finding.kind).toBe('over-use')
  }, 60_000)
})
