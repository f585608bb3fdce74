import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AssetFilter, Store } from '../../src/app/ports.js'
import { StorageError } from '../../src/app/storage-error.js'
import { ArchiveError, type Asset } from '../../src/core/archive/index.js'
import {
  isoAt,
  makeAsset,
  makeCollection,
  makeColour,
  makeDesigner,
  makeKey,
  makeNextVersion,
  makeStudio,
  newId,
  sha256Of,
} from './factories.js'

async function expectStorageError(
  promise: Promise<unknown>,
  code: StorageError['code'],
): Promise<StorageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(StorageError)
  expect((error as StorageError).code).toBe(code)
  return error as StorageError
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The list order: created_at descending, then id descending (plain code-unit order). */
function newestFirst(a: Asset, b: Asset): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

async function listAll(
  store: Store,
  studioId: string,
  filter: AssetFilter,
  limit: number,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = []
  let cursor: string | undefined
  let pages = 0
  for (;;) {
    const page = await store.assets.list(studioId, filter, {
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    })
    pages += 1
    ids.push(...page.items.map((a) => a.id))
    if (page.nextCursor === null) return { ids, pages }
    cursor = page.nextCursor
  }
}

/**
 * The `Store` contract: every implementation must pass it. `open` returns a fresh, empty,
 * migrated store; each test closes the store it opened.
 */
export function describeStore(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store

    beforeEach(async () => {
      store = await open()
    })
    afterEach(async () => {
      await store.close()
    })

    it('names its dialect', () => {
      expect(['sqlite', 'postgres']).toContain(store.dialect)
    })

    describe('studios', () => {
      it('creates, gets and finds the oldest studio', async () => {
        expect(await store.studios.first()).toBeNull()
        const later = makeStudio({ createdAt: isoAt(10) })
        const older = makeStudio({ createdAt: isoAt(5) })
        await store.studios.create(later)
        await store.studios.create(older)
        expect(await store.studios.get(later.id)).toEqual(later)
        expect(await store.studios.get('std_absent')).toBeNull()
        expect(await store.studios.first()).toEqual(older)
      })

      it('refuses a taken id with STORAGE_CONFLICT', async () => {
        const studio = makeStudio()
        await store.studios.create(studio)
        const error = await expectStorageError(
          store.studios.create({ ...studio, name: 'Other' }),
          'STORAGE_CONFLICT',
        )
        expect(error.cause).toBeDefined()
      })
    })

    describe('keys', () => {
      it('creates, gets, finds by secret hash and lists within the studio', async () => {
        const a = makeStudio()
        const b = makeStudio()
        await store.studios.create(a)
        await store.studios.create(b)
        const k1 = makeKey(a.id, { createdAt: isoAt(1), role: 'agent' })
        const k2 = makeKey(a.id, { createdAt: isoAt(2) })
        const kb = makeKey(b.id)
        for (const k of [k2, k1, kb]) await store.keys.create(k)
        expect(await store.keys.get(a.id, k1.id)).toEqual(k1)
        expect(await store.keys.get(b.id, k1.id)).toBeNull()
        expect(await store.keys.findBySecretSha256(kb.secretSha256)).toEqual(kb)
        expect(await store.keys.findBySecretSha256(sha256Of('nothing'))).toBeNull()
        expect(await store.keys.list(a.id)).toEqual([k1, k2])
        expect(await store.keys.list(b.id)).toEqual([kb])
      })

      it('refuses a secret hash used by any studio', async () => {
        const a = makeStudio()
        const b = makeStudio()
        await store.studios.create(a)
        await store.studios.create(b)
        const key = makeKey(a.id)
        await store.keys.create(key)
        await expectStorageError(
          store.keys.create(makeKey(b.id, { secretSha256: key.secretSha256 })),
          'STORAGE_CONFLICT',
        )
      })

      it('revokes idempotently, keeping the first time, and only in its studio', async () => {
        const a = makeStudio()
        const b = makeStudio()
        await store.studios.create(a)
        await store.studios.create(b)
        const key = makeKey(a.id)
        await store.keys.create(key)
        expect(await store.keys.revoke(b.id, key.id, isoAt(50))).toBe(false)
        expect(await store.keys.revoke(a.id, 'key_absent', isoAt(50))).toBe(false)
        expect((await store.keys.get(a.id, key.id))?.revokedAt).toBeNull()
        expect(await store.keys.revoke(a.id, key.id, isoAt(60))).toBe(true)
        expect(await store.keys.revoke(a.id, key.id, isoAt(70))).toBe(true)
        expect(await store.keys.findBySecretSha256(key.secretSha256)).toEqual({
          ...key,
          revokedAt: isoAt(60),
        })
      })
    })

    describe('designers and collections', () => {
      it('creates, gets, finds by exact name and lists within the studio', async () => {
        const a = makeStudio()
        const b = makeStudio()
        await store.studios.create(a)
        await store.studios.create(b)
        const d1 = makeDesigner(a.id, { name: 'Ada', partyIri: 'https://ex.org/ada' })
        const d2 = makeDesigner(a.id, { name: 'Bea', createdAt: isoAt(3) })
        const db = makeDesigner(b.id, { name: 'Ada' })
        for (const d of [d2, d1, db]) await store.designers.create(d)
        expect(await store.designers.get(a.id, d1.id)).toEqual(d1)
        expect(await store.designers.get(b.id, d1.id)).toBeNull()
        expect(await store.designers.findByName(a.id, 'Ada')).toEqual(d1)
        expect(await store.designers.findByName(b.id, 'Ada')).toEqual(db)
        expect(await store.designers.findByName(a.id, 'ada')).toBeNull()
        expect(await store.designers.list(a.id)).toEqual([d1, d2])

        const c1 = makeCollection(a.id, { name: 'Spring' })
        const cb = makeCollection(b.id, { name: 'Spring' })
        await store.collections.create(c1)
        await store.collections.create(cb)
        expect(await store.collections.get(a.id, c1.id)).toEqual(c1)
        expect(await store.collections.get(b.id, c1.id)).toBeNull()
        expect(await store.collections.findByName(a.id, 'Spring')).toEqual(c1)
        expect(await store.collections.findByName(a.id, 'spring')).toBeNull()
        expect(await store.collections.list(a.id)).toEqual([c1])
        expect(await store.collections.list(b.id)).toEqual([cb])
      })

      it('refuses a name already used in the studio', async () => {
        const a = makeStudio()
        await store.studios.create(a)
        await store.designers.create(makeDesigner(a.id, { name: 'Ada' }))
        await store.collections.create(makeCollection(a.id, { name: 'Spring' }))
        await expectStorageError(
          store.designers.create(makeDesigner(a.id, { name: 'Ada' })),
          'STORAGE_CONFLICT',
        )
        await expectStorageError(
          store.collections.create(makeCollection(a.id, { name: 'Spring' })),
          'STORAGE_CONFLICT',
        )
      })
    })

    describe('assets', () => {
      let studio: string
      let other: string

      beforeEach(async () => {
        const a = makeStudio()
        const b = makeStudio()
        await store.studios.create(a)
        await store.studios.create(b)
        studio = a.id
        other = b.id
      })

      it('round-trips an asset and its version', async () => {
        const designer = makeDesigner(studio)
        const collection = makeCollection(studio)
        await store.designers.create(designer)
        await store.collections.create(collection)
        const target = makeAsset(studio)
        await store.assets.create(target.asset, target.version)
        const { asset, version } = makeAsset(studio, {
          visibility: 'published',
          metadata: {
            designers: [{ designerId: designer.id, name: designer.name, shareBps: 10_000 }],
            collectionId: collection.id,
            lineage: [{ relation: 'colourwayOf', assetId: target.asset.id }],
            palette: [
              makeColour('#112233', [12.34, -5.5, 20]),
              { hex: '#fefefe', lab: [99.5, 0, -0.25], coverage: 0.125 },
            ],
          },
        })
        await store.assets.create(asset, version)
        expect(await store.assets.get(studio, asset.id)).toEqual(asset)
        expect(await store.assets.findBySha256(studio, version.sha256)).toEqual(asset)
        expect(await store.assets.versions(studio, asset.id)).toEqual([version])
        expect(await store.assets.version(studio, asset.id, 1)).toEqual(version)
        expect(await store.assets.version(studio, asset.id, 2)).toBeNull()
        expect(await store.assets.get(studio, 'ast_absent')).toBeNull()
      })

      it('never shows one studio the rows of another', async () => {
        const { asset, version } = makeAsset(studio, { visibility: 'published' })
        await store.assets.create(asset, version)
        expect(await store.assets.get(other, asset.id)).toBeNull()
        expect(await store.assets.findBySha256(other, version.sha256)).toBeNull()
        expect(await store.assets.versions(other, asset.id)).toEqual([])
        expect(await store.assets.version(other, asset.id, 1)).toBeNull()
        expect((await store.assets.list(other, {}, { limit: 50 })).items).toEqual([])
        expect((await store.assets.list(other, { tag: 'floral' }, { limit: 50 })).items).toEqual([])
        expect(await store.assets.pdqHashes(other)).toEqual([])
        const change = { metadata: asset.metadata, visibility: 'private' as const }
        expect(await store.assets.update(other, asset.id, change, isoAt(9))).toBe(false)
        await expectStorageError(
          store.assets.addVersion(other, makeNextVersion(asset), isoAt(9)),
          'STORAGE_FAILURE',
        )
        expect(await store.assets.get(studio, asset.id)).toEqual(asset)
      })

      it('stores a file once per studio: a second asset with it is a conflict and leaves nothing', async () => {
        const first = makeAsset(studio)
        await store.assets.create(first.asset, first.version)
        const dup = makeAsset(studio, { sha256: first.version.sha256, metadata: { tags: ['dup'] } })
        await expectStorageError(store.assets.create(dup.asset, dup.version), 'STORAGE_CONFLICT')
        expect(await store.assets.get(studio, dup.asset.id)).toBeNull()
        expect((await store.assets.list(studio, { tag: 'dup' }, { limit: 10 })).items).toEqual([])
        expect((await store.assets.list(studio, {}, { limit: 10 })).items).toHaveLength(1)

        const elsewhere = makeAsset(other, { sha256: first.version.sha256 })
        await store.assets.create(elsewhere.asset, elsewhere.version)
        expect(await store.assets.findBySha256(other, first.version.sha256)).toEqual(
          elsewhere.asset,
        )
      })

      it('refuses a taken asset id', async () => {
        const first = makeAsset(studio)
        await store.assets.create(first.asset, first.version)
        const again = makeAsset(studio, { id: first.asset.id, sha256: sha256Of(newId('file')) })
        await expectStorageError(
          store.assets.create(again.asset, again.version),
          'STORAGE_CONFLICT',
        )
        expect(await store.assets.findBySha256(studio, again.version.sha256)).toBeNull()
      })

      it('refuses a reference to a collection, designer or asset the studio lacks', async () => {
        const foreign = makeCollection(other)
        await store.collections.create(foreign)
        const cases = [
          makeAsset(studio, { metadata: { collectionId: foreign.id } }),
          makeAsset(studio, {
            metadata: { designers: [{ designerId: 'dsg_absent', name: 'X', shareBps: 10_000 }] },
          }),
          makeAsset(studio, {
            metadata: { lineage: [{ relation: 'derivedFrom', assetId: 'ast_x' }] },
          }),
        ]
        for (const c of cases) {
          await expectStorageError(store.assets.create(c.asset, c.version), 'STORAGE_FAILURE')
          expect(await store.assets.get(studio, c.asset.id)).toBeNull()
          expect(await store.assets.findBySha256(studio, c.version.sha256)).toBeNull()
        }
      })

      it('adds versions in sequence and moves the current file and PDQ hash', async () => {
        const { asset, version } = makeAsset(studio)
        await store.assets.create(asset, version)
        const v2 = makeNextVersion(asset)
        await store.assets.addVersion(studio, v2, isoAt(200))
        const moved = await store.assets.get(studio, asset.id)
        expect(moved).toEqual({
          ...asset,
          currentVersion: 2,
          sha256: v2.sha256,
          pdqHash: v2.analysis.pdq.hash,
          pdqQuality: v2.analysis.pdq.quality,
          updatedAt: isoAt(200),
        })
        expect(await store.assets.versions(studio, asset.id)).toEqual([version, v2])
        expect(await store.assets.version(studio, asset.id, 2)).toEqual(v2)
        expect((await store.assets.findBySha256(studio, version.sha256))?.id).toBe(asset.id)
        expect((await store.assets.findBySha256(studio, v2.sha256))?.id).toBe(asset.id)
        expect(await store.assets.pdqHashes(studio)).toEqual([
          {
            studioId: studio,
            assetId: asset.id,
            pdqHash: v2.analysis.pdq.hash,
            pdqQuality: v2.analysis.pdq.quality,
          },
        ])
      })

      it('refuses an out-of-sequence version, a stored file and an unknown asset, changing nothing', async () => {
        const { asset, version } = makeAsset(studio)
        await store.assets.create(asset, version)
        const other1 = makeAsset(studio)
        await store.assets.create(other1.asset, other1.version)

        await expectStorageError(
          store.assets.addVersion(studio, makeNextVersion(asset, { version: 3 }), isoAt(9)),
          'STORAGE_CONFLICT',
        )
        await expectStorageError(
          store.assets.addVersion(studio, makeNextVersion(asset, { version: 1 }), isoAt(9)),
          'STORAGE_CONFLICT',
        )
        await expectStorageError(
          store.assets.addVersion(
            studio,
            makeNextVersion(asset, { sha256: other1.version.sha256 }),
            isoAt(9),
          ),
          'STORAGE_CONFLICT',
        )
        await expectStorageError(
          store.assets.addVersion(
            studio,
            { ...makeNextVersion(asset), assetId: 'ast_absent' },
            isoAt(9),
          ),
          'STORAGE_FAILURE',
        )
        expect(await store.assets.get(studio, asset.id)).toEqual(asset)
        expect(await store.assets.versions(studio, asset.id)).toEqual([version])
      })

      it('lets exactly one of two racing addVersion calls win', async () => {
        const { asset, version } = makeAsset(studio)
        await store.assets.create(asset, version)
        const results = await Promise.allSettled([
          store.assets.addVersion(
            studio,
            makeNextVersion(asset, { sha256: sha256Of('r1') }),
            isoAt(5),
          ),
          store.assets.addVersion(
            studio,
            makeNextVersion(asset, { sha256: sha256Of('r2') }),
            isoAt(6),
          ),
        ])
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
        expect(reasons).toEqual([expect.objectContaining({ code: 'STORAGE_CONFLICT' })])
        expect(reasons[0]).toBeInstanceOf(StorageError)
        expect(await store.assets.versions(studio, asset.id)).toHaveLength(2)
      })

      it('update replaces metadata, visibility and every derived index row', async () => {
        const designer = makeDesigner(studio)
        await store.designers.create(designer)
        const collection = makeCollection(studio)
        await store.collections.create(collection)
        const { asset, version } = makeAsset(studio, {
          metadata: {
            title: 'Old title',
            tags: ['old'],
            motifs: ['rose'],
            designers: [{ designerId: designer.id, name: designer.name, shareBps: 10_000 }],
            palette: [makeColour('#ff0000', [53.24, 80.09, 67.2])],
          },
        })
        await store.assets.create(asset, version)
        const metadata = {
          ...asset.metadata,
          title: 'New Title',
          tags: ['new', 'new'],
          motifs: ['tulip'],
          designers: [],
          collectionId: collection.id,
          repeat: { type: 'half-drop' as const, tileWidthPx: 100, tileHeightPx: 200 },
          palette: [makeColour('#0000ff', [32.3, 79.19, -107.86])],
        }
        expect(
          await store.assets.update(
            studio,
            asset.id,
            { metadata, visibility: 'published' },
            isoAt(77),
          ),
        ).toBe(true)
        expect(
          await store.assets.update(
            studio,
            'ast_absent',
            { metadata, visibility: 'published' },
            isoAt(77),
          ),
        ).toBe(false)
        const updated = await store.assets.get(studio, asset.id)
        expect(updated).toEqual({
          ...asset,
          metadata,
          visibility: 'published',
          updatedAt: isoAt(77),
        })

        const ids = async (filter: AssetFilter) =>
          (await store.assets.list(studio, filter, { limit: 10 })).items.map((a) => a.id)
        const red = { lMin: 50, lMax: 56, aMin: 77, aMax: 83, bMin: 64, bMax: 70 }
        const blue = { lMin: 30, lMax: 35, aMin: 75, aMax: 85, bMin: -110, bMax: -100 }
        expect(await ids({ tag: 'old' })).toEqual([])
        expect(await ids({ tag: 'new' })).toEqual([asset.id])
        expect(await ids({ motif: 'rose' })).toEqual([])
        expect(await ids({ motif: 'tulip' })).toEqual([asset.id])
        expect(await ids({ designerId: designer.id })).toEqual([])
        expect(await ids({ collectionId: collection.id })).toEqual([asset.id])
        expect(await ids({ repeatType: 'block' })).toEqual([])
        expect(await ids({ repeatType: 'half-drop' })).toEqual([asset.id])
        expect(await ids({ labBox: red })).toEqual([])
        expect(await ids({ labBox: blue })).toEqual([asset.id])
        expect(await ids({ titleContains: 'old' })).toEqual([])
        expect(await ids({ titleContains: 'new t' })).toEqual([asset.id])
        expect(await ids({ visibility: 'private' })).toEqual([])
        expect(await ids({ visibility: 'published' })).toEqual([asset.id])
      })

      it('lists every pdq hash, or one studio’s', async () => {
        const a1 = makeAsset(studio)
        const a2 = makeAsset(studio)
        const b1 = makeAsset(other)
        for (const f of [a2, b1, a1]) await store.assets.create(f.asset, f.version)
        const row = (f: typeof a1) => ({
          studioId: f.asset.studioId,
          assetId: f.asset.id,
          pdqHash: f.asset.pdqHash,
          pdqQuality: f.asset.pdqQuality,
        })
        expect(await store.assets.pdqHashes(studio)).toEqual([row(a1), row(a2)])
        const all = await store.assets.pdqHashes()
        expect(all).toHaveLength(3)
        expect(all).toEqual(expect.arrayContaining([row(a1), row(a2), row(b1)]))
      })
    })

    describe('asset filters', () => {
      let studio: string
      let fixtures: Record<string, Asset>
      let designerId: string
      let collectionId: string

      beforeEach(async () => {
        const s = makeStudio()
        const o = makeStudio()
        await store.studios.create(s)
        await store.studios.create(o)
        studio = s.id
        const designer = makeDesigner(studio)
        const collection = makeCollection(studio)
        await store.designers.create(designer)
        await store.collections.create(collection)
        designerId = designer.id
        collectionId = collection.id
        const specs = {
          rose: makeAsset(studio, {
            createdAt: isoAt(1),
            visibility: 'published',
            metadata: {
              title: 'Rose Garden 100%',
              tags: ['floral', 'summer'],
              motifs: ['rose'],
              repeat: { type: 'half-drop', tileWidthPx: 10, tileHeightPx: 10 },
              palette: [makeColour('#ff0000', [53.24, 80.09, 67.2])],
              designers: [{ designerId, name: designer.name, shareBps: 10_000 }],
            },
          }),
          stripe: makeAsset(studio, {
            createdAt: isoAt(2),
            metadata: {
              title: 'ÄRMEL stripe_a',
              tags: ['geometric'],
              motifs: ['stripe'],
              repeat: { type: 'block', tileWidthPx: 10, tileHeightPx: 10 },
              palette: [makeColour('#0000ff', [32.3, 79.19, -107.86])],
              collectionId,
            },
          }),
          leaf: makeAsset(studio, {
            createdAt: isoAt(3),
            visibility: 'published',
            metadata: {
              title: 'Leaf stripeXa',
              tags: ['floral'],
              motifs: ['leaf', 'stripe'],
              repeat: { type: 'mirror', tileWidthPx: 10, tileHeightPx: 10 },
              palette: [
                makeColour('#00ff00', [87.73, -86.18, 83.18]),
                makeColour('#ffffff', [100, 0, 0]),
              ],
              collectionId,
              designers: [{ designerId, name: designer.name, shareBps: 10_000 }],
            },
          }),
        }
        // The other studio holds an asset matching every filter; it must never show.
        const decoy = makeAsset(o.id, {
          createdAt: isoAt(4),
          visibility: 'published',
          metadata: {
            title: 'Rose ärmel stripe_a 100%',
            tags: ['floral', 'geometric', 'summer'],
            motifs: ['rose', 'stripe', 'leaf'],
            palette: [makeColour('#ff0000', [53.24, 80.09, 67.2])],
          },
        })
        for (const f of [...Object.values(specs), decoy])
          await store.assets.create(f.asset, f.version)
        fixtures = Object.fromEntries(Object.entries(specs).map(([k, f]) => [k, f.asset]))
      })

      const cases: [
        string,
        (ids: { designerId: string; collectionId: string }) => AssetFilter,
        string[],
      ][] = [
        ['no filter', () => ({}), ['leaf', 'stripe', 'rose']],
        ['repeatType', () => ({ repeatType: 'half-drop' }), ['rose']],
        ['repeatType none', () => ({ repeatType: 'none' }), []],
        ['tag', () => ({ tag: 'floral' }), ['leaf', 'rose']],
        ['tag is exact', () => ({ tag: 'flor' }), []],
        ['motif', () => ({ motif: 'stripe' }), ['leaf', 'stripe']],
        ['collectionId', (x) => ({ collectionId: x.collectionId }), ['leaf', 'stripe']],
        ['designerId', (x) => ({ designerId: x.designerId }), ['leaf', 'rose']],
        ['visibility published', () => ({ visibility: 'published' }), ['leaf', 'rose']],
        ['visibility private', () => ({ visibility: 'private' }), ['stripe']],
        ['titleContains, any case', () => ({ titleContains: 'rOSE gar' }), ['rose']],
        ['titleContains, beyond ASCII', () => ({ titleContains: 'ärmel' }), ['stripe']],
        ['titleContains, literal _', () => ({ titleContains: 'stripe_a' }), ['stripe']],
        ['titleContains, literal %', () => ({ titleContains: '0%' }), ['rose']],
        ['titleContains, no match', () => ({ titleContains: '%%' }), []],
        [
          'labBox around red',
          () => ({ labBox: { lMin: 50, lMax: 55, aMin: 75, aMax: 85, bMin: 60, bMax: 70 } }),
          ['rose'],
        ],
        [
          'labBox, bounds inclusive',
          () => ({ labBox: { lMin: 100, lMax: 100, aMin: 0, aMax: 0, bMin: 0, bMax: 0 } }),
          ['leaf'],
        ],
        [
          'labBox between colours',
          () => ({ labBox: { lMin: 60, lMax: 80, aMin: -10, aMax: 10, bMin: -10, bMax: 10 } }),
          [],
        ],
        [
          'filters combine with AND',
          (x) => ({
            tag: 'floral',
            motif: 'stripe',
            visibility: 'published',
            collectionId: x.collectionId,
          }),
          ['leaf'],
        ],
      ]

      for (const [label, filter, expected] of cases) {
        it(`filters by ${label}`, async () => {
          const page = await store.assets.list(studio, filter({ designerId, collectionId }), {
            limit: 50,
          })
          expect(page.items.map((a) => a.id)).toEqual(expected.map((k) => fixtures[k]!.id))
          expect(page.nextCursor).toBeNull()
        })
      }

      it('pages through a filter', async () => {
        const walk = await listAll(store, studio, { motif: 'stripe' }, 1)
        expect(walk.ids).toEqual([fixtures['leaf']!.id, fixtures['stripe']!.id])
      })
    })

    describe('asset pagination', () => {
      it('walks every row exactly once, newest first, at any page size, with ties', async () => {
        const s = makeStudio()
        await store.studios.create(s)
        const assets: Asset[] = []
        await store.transaction(async (tx) => {
          for (let i = 0; i < 23; i++) {
            // Four distinct times only: most rows tie on created_at and are ordered by id.
            const f = makeAsset(s.id, {
              createdAt: isoAt(i % 4),
              id: newId(i % 2 === 0 ? 'ast' : 'asx'),
            })
            await tx.assets.create(f.asset, f.version)
            assets.push(f.asset)
          }
        })
        const expected = [...assets].sort(newestFirst).map((a) => a.id)
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: 30 }), async (limit) => {
            const walk = await listAll(store, s.id, {}, limit)
            expect(walk.ids).toEqual(expected)
            expect(walk.pages).toBe(Math.max(1, Math.ceil(23 / limit)))
          }),
          { numRuns: 12 },
        )
      })

      it('is stable when newer rows arrive between pages', async () => {
        const s = makeStudio()
        await store.studios.create(s)
        const original: string[] = []
        for (let i = 0; i < 6; i++) {
          const f = makeAsset(s.id, { createdAt: isoAt(10 + (i % 2)) })
          await store.assets.create(f.asset, f.version)
          original.push(f.asset.id)
        }
        const first = await store.assets.list(s.id, {}, { limit: 4 })
        const newer = makeAsset(s.id, { createdAt: isoAt(99) })
        await store.assets.create(newer.asset, newer.version)
        const second = await store.assets.list(s.id, {}, { limit: 4, cursor: first.nextCursor! })
        const seen = [...first.items, ...second.items].map((a) => a.id)
        expect(new Set(seen).size).toBe(seen.length)
        expect([...seen].sort()).toEqual([...original].sort())
        expect(second.nextCursor).toBeNull()
      })

      it('clamps the limit to 1..200', async () => {
        const s = makeStudio()
        await store.studios.create(s)
        await store.transaction(async (tx) => {
          for (let i = 0; i < 201; i++) {
            const f = makeAsset(s.id, { createdAt: isoAt(i) })
            await tx.assets.create(f.asset, f.version)
          }
        })
        expect((await store.assets.list(s.id, {}, { limit: 0 })).items).toHaveLength(1)
        expect((await store.assets.list(s.id, {}, { limit: -3 })).items).toHaveLength(1)
        expect((await store.assets.list(s.id, {}, { limit: Number.NaN })).items).toHaveLength(1)
        const big = await store.assets.list(s.id, {}, { limit: 10_000 })
        expect(big.items).toHaveLength(200)
        expect(big.nextCursor).not.toBeNull()
        const rest = await store.assets.list(s.id, {}, { limit: 10_000, cursor: big.nextCursor! })
        expect(rest.items).toHaveLength(1)
        expect(rest.nextCursor).toBeNull()
      })

      it('refuses a cursor it did not make with ASSET_QUERY_INVALID', async () => {
        const s = makeStudio()
        await store.studios.create(s)
        for (const cursor of [
          'not a cursor',
          '',
          'e30',
          Buffer.from('[1,2]').toString('base64url'),
        ]) {
          const error = await store.assets.list(s.id, {}, { limit: 5, cursor }).then(
            () => null,
            (e: unknown) => e,
          )
          expect(error).toBeInstanceOf(ArchiveError)
          expect((error as ArchiveError).code).toBe('ASSET_QUERY_INVALID')
        }
      })
    })

    describe('transactions', () => {
      it('commits every write when fn resolves', async () => {
        const s = makeStudio()
        const result = await store.transaction(async (tx) => {
          await tx.studios.create(s)
          const f = makeAsset(s.id)
          await tx.assets.create(f.asset, f.version)
          expect(await tx.assets.get(s.id, f.asset.id)).toEqual(f.asset)
          return f.asset.id
        })
        expect(await store.studios.get(s.id)).toEqual(s)
        expect(await store.assets.get(s.id, result)).not.toBeNull()
      })

      it('rolls back everything when fn throws, and rethrows the same error', async () => {
        const s = makeStudio()
        const f = makeAsset(s.id)
        const designer = makeDesigner(s.id)
        const boom = new Error('boom')
        const thrown = await store
          .transaction(async (tx) => {
            await tx.studios.create(s)
            await tx.designers.create(designer)
            await tx.keys.create(makeKey(s.id))
            await tx.assets.create(f.asset, f.version)
            await tx.assets.addVersion(s.id, makeNextVersion(f.asset), isoAt(3))
            throw boom
          })
          .then(
            () => null,
            (e: unknown) => e,
          )
        expect(thrown).toBe(boom)
        expect(await store.studios.get(s.id)).toBeNull()
        expect(await store.designers.get(s.id, designer.id)).toBeNull()
        expect(await store.keys.list(s.id)).toEqual([])
        expect(await store.assets.get(s.id, f.asset.id)).toBeNull()
        expect(await store.assets.findBySha256(s.id, f.version.sha256)).toBeNull()
        expect(await store.assets.pdqHashes()).toEqual([])
      })

      it('runs a nested transaction in the same transaction', async () => {
        const outer = makeStudio()
        const inner = makeStudio()
        await expect(
          store.transaction(async (tx) => {
            await tx.studios.create(outer)
            await tx.transaction(async (tx2) => {
              await tx2.studios.create(inner)
            })
            expect(await tx.studios.get(inner.id)).toEqual(inner)
            throw new Error('undo both')
          }),
        ).rejects.toThrow('undo both')
        expect(await store.studios.get(outer.id)).toBeNull()
        expect(await store.studios.get(inner.id)).toBeNull()
      })

      it('undoes a failed savepoint and commits the rest of the transaction', async () => {
        const kept = makeStudio()
        const undone = makeStudio()
        const after = makeStudio()
        const boom = new Error('boom')
        await store.transaction(async (tx) => {
          await tx.savepoint(async (sp) => {
            await sp.studios.create(kept)
          })
          const thrown = await tx
            .savepoint(async (sp) => {
              await sp.studios.create(undone)
              await sp.keys.create(makeKey(undone.id))
              throw boom
            })
            .catch((e: unknown) => e)
          expect(thrown).toBe(boom)
          expect(await tx.studios.get(undone.id)).toBeNull()
          await tx.studios.create(after)
        })
        expect(await store.studios.get(kept.id)).toEqual(kept)
        expect(await store.studios.get(undone.id)).toBeNull()
        expect(await store.keys.list(undone.id)).toEqual([])
        expect(await store.studios.get(after.id)).toEqual(after)
      })

      it('undoes a savepoint whose statement failed, leaving the transaction usable', async () => {
        const s = makeStudio()
        await store.studios.create(s)
        const later = makeStudio()
        await store.transaction(async (tx) => {
          // On PostgreSQL a failed statement aborts the transaction unless rolled back to a
          // savepoint: the next statement proves it was.
          await expectStorageError(
            tx.savepoint((sp) => sp.studios.create(s)),
            'STORAGE_CONFLICT',
          )
          await tx.studios.create(later)
        })
        expect(await store.studios.get(later.id)).toEqual(later)
      })

      it('undoes a savepoint whose read failed (PostgreSQL would abort the transaction)', async () => {
        const undone = makeStudio()
        const later = makeStudio()
        await store.transaction(async (tx) => {
          const thrown = await tx
            .savepoint(async (sp) => {
              await sp.studios.create(undone)
              // PostgreSQL refuses a NUL in text, failing the read itself (reads take no
              // savepoint of their own); SQLite reads it as an unknown id.
              const found = await sp.studios.get('std_\u0000')
              throw new Error(`read returned ${String(found)}`)
            })
            .catch((e: unknown) => e)
          expect(thrown).toBeInstanceOf(Error)
          await tx.studios.create(later)
        })
        expect(await store.studios.get(undone.id)).toBeNull()
        expect(await store.studios.get(later.id)).toEqual(later)
      })

      it('runs a savepoint on the root store as a transaction of its own', async () => {
        const s = makeStudio()
        await expect(
          store.savepoint(async (tx) => {
            await tx.studios.create(s)
            throw new Error('undo')
          }),
        ).rejects.toThrow('undo')
        expect(await store.studios.get(s.id)).toBeNull()
      })

      it('survives a caught conflict: the failed write leaves nothing, the rest commits', async () => {
        const s = makeStudio()
        await store.studios.create(s)
        const first = makeAsset(s.id)
        await store.assets.create(first.asset, first.version)
        const dup = makeAsset(s.id, { sha256: first.version.sha256, metadata: { tags: ['dup'] } })
        const later = makeStudio()
        await store.transaction(async (tx) => {
          await expectStorageError(tx.assets.create(dup.asset, dup.version), 'STORAGE_CONFLICT')
          await expectStorageError(tx.studios.create(s), 'STORAGE_CONFLICT')
          await tx.studios.create(later)
        })
        expect(await store.studios.get(later.id)).toEqual(later)
        expect(await store.assets.get(s.id, dup.asset.id)).toBeNull()
        expect((await store.assets.list(s.id, { tag: 'dup' }, { limit: 5 })).items).toEqual([])
      })

      it('keeps concurrent transactions and plain writes apart', async () => {
        const doomed = makeStudio()
        const kept = makeStudio()
        const plain = makeStudio()
        let release!: () => void
        const opened = new Promise<void>((resolve) => {
          release = resolve
        })
        const a = store.transaction(async (tx) => {
          await tx.studios.create(doomed)
          release()
          await sleep(50)
          throw new Error('roll back a')
        })
        await opened
        const b = store.transaction(async (tx) => {
          await tx.studios.create(kept)
          expect(await tx.studios.get(doomed.id)).toBeNull()
        })
        const c = store.studios.create(plain)
        const peek = store.studios.get(doomed.id)
        const [ra, rb, rc, rPeek] = await Promise.allSettled([a, b, c, peek])
        expect(ra.status).toBe('rejected')
        expect(rb.status).toBe('fulfilled')
        expect(rc.status).toBe('fulfilled')
        expect(rPeek).toEqual({ status: 'fulfilled', value: null })
        expect(await store.studios.get(doomed.id)).toBeNull()
        expect(await store.studios.get(kept.id)).toEqual(kept)
        expect(await store.studios.get(plain.id)).toEqual(plain)
      })

      it('runs many concurrent transactions, each all or nothing', async () => {
        const s = makeStudio()
        await store.studios.create(s)
        const runs = Array.from({ length: 12 }, (_, i) =>
          store.transaction(async (tx) => {
            const f = makeAsset(s.id, { metadata: { tags: [`run${i}`] } })
            await tx.assets.create(f.asset, f.version)
            await sleep(i % 3)
            await tx.designers.create(makeDesigner(s.id, { name: `designer ${i}` }))
            if (i % 2 === 1) throw new Error(`odd ${i}`)
            return f.asset.id
          }),
        )
        const results = await Promise.allSettled(runs)
        const kept = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
        expect(kept).toHaveLength(6)
        const listed = (await store.assets.list(s.id, {}, { limit: 50 })).items.map((a) => a.id)
        expect([...listed].sort()).toEqual([...kept].sort())
        expect(await store.designers.list(s.id)).toHaveLength(6)
      })

      it('refuses the root store inside its own transaction instead of deadlocking', async () => {
        const s = makeStudio()
        await expect(
          store.transaction(async (tx) => {
            await tx.studios.create(s)
            await expectStorageError(store.studios.get(s.id), 'STORAGE_FAILURE')
            await expectStorageError(
              store.transaction(async () => undefined),
              'STORAGE_FAILURE',
            )
            return 'done'
          }),
        ).resolves.toBe('done')
        expect(await store.studios.get(s.id)).toEqual(s)
      })

      it('settles writes left unawaited inside the transaction, never outside it', async () => {
        const committed = makeStudio()
        const late = makeStudio()
        await store.transaction(async (tx) => {
          void tx.studios.create(committed)
        })
        expect(await store.studios.get(committed.id)).toEqual(committed)

        const rolledBack = makeStudio()
        let pending: Promise<void> | undefined
        await expect(
          store.transaction(async (tx) => {
            await tx.studios.create(rolledBack)
            pending = tx.studios.create(late)
            pending.catch(() => undefined)
            throw new Error('abort')
          }),
        ).rejects.toThrow('abort')
        await pending?.catch(() => undefined)
        expect(await store.studios.get(rolledBack.id)).toBeNull()
        expect(await store.studios.get(late.id)).toBeNull()
      })

      it('refuses a transaction store once its transaction has ended', async () => {
        let escaped: Store | undefined
        await store.transaction(async (tx) => {
          escaped = tx
        })
        await expectStorageError(escaped!.studios.first(), 'STORAGE_FAILURE')
      })
    })
  })
}
