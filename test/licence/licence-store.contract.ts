import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AgreementRecord, Store } from '../../src/app/ports.js'
import { StorageError } from '../../src/app/storage-error.js'
import { isoAt, makeAsset, makeStudio, newId } from '../contract/factories.js'

function agreement(
  studioId: string,
  assetId: string,
  over: Partial<AgreementRecord> = {},
): AgreementRecord {
  const id = over.id ?? newId('agr')
  return {
    id,
    studioId,
    assetId,
    licenceVersion: 1,
    assignee: 'https://buyer.example/a',
    action: 'http://www.w3.org/ns/odrl/2/reproduce',
    units: 100,
    grantId: newId('g')
      .replace(/[^0-9a-f]/g, '')
      .padEnd(16, '0')
      .slice(-16),
    licenceIds: [`urn:selvedge:agreement:${id}`, 'urn:test:offer'],
    exclusive: false,
    agreement: { '@type': 'Agreement', uid: `urn:selvedge:agreement:${id}` },
    createdAt: isoAt(10),
    expiresAt: isoAt(100_000),
    ...over,
  }
}

let grantCounter = 0
function grantId(): string {
  grantCounter += 1
  return (BigInt(Date.now()) * 1000n + BigInt(grantCounter))
    .toString(16)
    .padStart(16, '0')
    .slice(-16)
}

/** The licence and agreement repositories' contract; `open` returns a fresh migrated store. */
export function describeLicenceStore(name: string, open: () => Promise<Store>): void {
  describe(`licence repositories: ${name}`, () => {
    let store: Store
    let studioId: string
    let assetId: string

    beforeEach(async () => {
      store = await open()
      const studio = makeStudio()
      await store.studios.create(studio)
      const { asset, version } = makeAsset(studio.id)
      await store.assets.create(asset, version)
      studioId = studio.id
      assetId = asset.id
    })
    afterEach(async () => {
      await store.close()
    })

    const base = () => ({
      studioId,
      assetId,
      policy: { '@type': 'Offer', uid: 'urn:test:p', permission: [{ action: 'use' }] },
      source: 'policy',
      createdBy: 'key_1',
      createdAt: isoAt(1),
    })

    it('numbers licence versions and never overwrites one', async () => {
      expect(await store.licences.current(studioId, assetId)).toBeNull()
      const v1 = await store.licences.append(base())
      const v2 = await store.licences.append({
        ...base(),
        source: 'template:standard',
        createdAt: isoAt(2),
      })
      expect([v1.version, v2.version]).toEqual([1, 2])
      expect(await store.licences.current(studioId, assetId)).toEqual(v2)
      expect(await store.licences.version(studioId, assetId, 1)).toEqual(v1)
      expect(await store.licences.version(studioId, assetId, 3)).toBeNull()
      expect(await store.licences.versions(studioId, assetId)).toEqual([v1, v2])
      expect(await store.licences.current('std_other', assetId)).toBeNull()
    })

    it('gives concurrent appends distinct numbers or a conflict, never a lost version', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) =>
          store.licences.append({ ...base(), createdBy: `k${i}` }),
        ),
      )
      for (const r of results) {
        if (r.status === 'rejected') {
          expect(r.reason).toBeInstanceOf(StorageError)
          expect((r.reason as StorageError).code).toBe('STORAGE_CONFLICT')
        }
      }
      const stored = await store.licences.versions(studioId, assetId)
      const won = results.filter((r) => r.status === 'fulfilled')
      expect(stored.map((v) => v.version)).toEqual(won.map((_, i) => i + 1))
    })

    it('lists the current licence of every licensed asset', async () => {
      const { asset, version } = makeAsset(studioId)
      await store.assets.create(asset, version)
      await store.licences.append(base())
      await store.licences.append({ ...base(), source: 'v2' })
      await store.licences.append({ ...base(), assetId: asset.id })
      const all = await store.licences.currentAll(studioId)
      expect(all.map((l) => [l.assetId, l.version, l.source]).sort()).toEqual(
        [
          [assetId, 2, 'v2'],
          [asset.id, 1, 'policy'],
        ].sort(),
      )
    })

    it('stores agreements and finds them by id, grant id and assignee', async () => {
      await store.licences.append(base())
      const a = agreement(studioId, assetId, { grantId: grantId() })
      const b = agreement(studioId, assetId, {
        grantId: grantId(),
        units: null,
        createdAt: isoAt(20),
      })
      const c = agreement(studioId, assetId, {
        grantId: grantId(),
        assignee: 'https://other.example/x',
      })
      for (const r of [b, a, c]) await store.agreements.create(r)
      expect(await store.agreements.get(studioId, a.id)).toEqual(a)
      expect(await store.agreements.get('std_other', a.id)).toBeNull()
      expect(await store.agreements.findByGrantId(b.grantId)).toEqual(b)
      expect(await store.agreements.findByGrantId('0000000000000000')).toBeNull()
      expect(await store.agreements.listForAssignee(studioId, a.assignee)).toEqual([a, b])
      await expect(store.agreements.create({ ...c, id: newId('agr') })).rejects.toMatchObject({
        code: 'STORAGE_CONFLICT',
      })
    })

    it('sells exclusivity once: a second sale conflicts and writes nothing', async () => {
      await store.licences.append(base())
      expect(await store.agreements.exclusiveHolder(studioId, assetId)).toBeNull()
      const first = agreement(studioId, assetId, { grantId: grantId(), exclusive: true })
      await store.agreements.create(first)
      expect(await store.agreements.exclusiveHolder(studioId, assetId)).toEqual({
        assignee: first.assignee,
        agreementId: first.id,
      })
      const second = agreement(studioId, assetId, {
        grantId: grantId(),
        exclusive: true,
        assignee: 'https://late.example/b',
      })
      await expect(store.agreements.create(second)).rejects.toMatchObject({
        code: 'STORAGE_CONFLICT',
      })
      expect(await store.agreements.get(studioId, second.id)).toBeNull()
    })

    it('serialises agreement-making per asset inside transactions', async () => {
      await store.licences.append(base())
      const order: string[] = []
      const run = (name: string, delayMs: number) =>
        store.transaction(async (tx) => {
          await tx.agreements.lockAsset(studioId, assetId)
          order.push(`${name}:in`)
          await new Promise((r) => setTimeout(r, delayMs))
          const count = (await tx.agreements.listForAssignee(studioId, 'https://buyer.example/a'))
            .length
          await tx.agreements.create(
            agreement(studioId, assetId, { grantId: grantId(), units: count }),
          )
          order.push(`${name}:out`)
        })
      await Promise.all([run('a', 50), run('b', 0)])
      expect(order[1]).toMatch(/:out$/)
      const units = (await store.agreements.listForAssignee(studioId, 'https://buyer.example/a'))
        .map((r) => r.units)
        .sort()
      expect(units).toEqual([0, 1])
      await store.agreements.lockAsset(studioId, assetId)
    })
  })
}
