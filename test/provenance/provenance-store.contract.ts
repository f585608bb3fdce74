import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuthorshipStepRecord, Store } from '../../src/app/ports.js'
import { StorageError } from '../../src/app/storage-error.js'
import { isoAt, makeAsset, makeStudio, sha256Of } from '../contract/factories.js'

function record(
  studioId: string,
  assetId: string,
  seq: number,
  over: Partial<AuthorshipStepRecord> = {},
): AuthorshipStepRecord {
  return {
    studioId,
    assetId,
    seq,
    step: {
      actor: { kind: 'human', name: 'Ada Weaver', tool: { name: 'Procreate', version: '5' } },
      action: 'c2pa.drawing',
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation',
      when: isoAt(seq * 10),
      parameters: { brush: 'ink', sizes: [1, 2.5], nested: { ok: true, none: null } },
      rationale: 'hand-drawn paisley, “teardrop” motif',
    },
    stepSha256: sha256Of(`step:${assetId}:${seq}`),
    createdBy: 'key_1',
    createdAt: isoAt(seq * 10 + 1),
    logSubmission: seq % 2 === 0 ? null : `lsb_${seq}`,
    ...over,
  }
}

/** The authorship repository's contract; `open` returns a fresh migrated store. */
export function describeAuthorshipStore(name: string, open: () => Promise<Store>): void {
  describe(`authorship repository: ${name}`, () => {
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

    it('starts empty with the tier unknown', async () => {
      expect(await store.authorship.steps(studioId, assetId)).toEqual([])
      expect(await store.authorship.tier(studioId, assetId)).toBe('unknown')
    })

    it('appends steps in order, round-trips them exactly and keeps the latest tier', async () => {
      const one = record(studioId, assetId, 1)
      const two = record(studioId, assetId, 2, {
        step: {
          actor: {
            kind: 'ai',
            name: 'SDXL',
            model: { name: 'sdxl', loras: [{ id: 'x', weight: 0.5 }] },
          },
          action: 'c2pa.created',
          when: isoAt(30),
        },
      })
      await store.authorship.append(one, 'human-made')
      await store.authorship.append(two, 'synthetic')
      expect(await store.authorship.steps(studioId, assetId)).toEqual([one, two])
      expect(await store.authorship.tier(studioId, assetId)).toBe('synthetic')
    })

    it('refuses a second step with the same number and writes nothing for it', async () => {
      await store.authorship.append(record(studioId, assetId, 1), 'human-made')
      const dup = record(studioId, assetId, 1, { stepSha256: sha256Of('other') })
      const err = await store.authorship.append(dup, 'synthetic').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(StorageError)
      expect((err as StorageError).code).toBe('STORAGE_CONFLICT')
      expect((await store.authorship.steps(studioId, assetId)).length).toBe(1)
      expect(await store.authorship.tier(studioId, assetId)).toBe('human-made')
    })

    it('rolls a step back with its transaction', async () => {
      await store
        .transaction(async (tx) => {
          await tx.authorship.append(record(studioId, assetId, 1), 'human-made')
          throw new Error('abort')
        })
        .catch(() => undefined)
      expect(await store.authorship.steps(studioId, assetId)).toEqual([])
      expect(await store.authorship.tier(studioId, assetId)).toBe('unknown')
    })

    it('scopes journals by studio and refuses steps on unknown assets', async () => {
      const other = makeStudio()
      await store.studios.create(other)
      await store.authorship.append(record(studioId, assetId, 1), 'human-made')
      expect(await store.authorship.steps(other.id, assetId)).toEqual([])
      expect(await store.authorship.tier(other.id, assetId)).toBe('unknown')
      const err = await store.authorship
        .append(record(other.id, assetId, 1), 'human-made')
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(StorageError)
    })
  })
}
