import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogCheckpointRecord, LogSubmission, Store } from '../../src/app/ports.js'
import { StorageError } from '../../src/app/storage-error.js'
import { storedHashCount } from '../../src/core/tlog/index.js'
import { storeFactories } from './stores.js'

const bytes = (...b: number[]) => Uint8Array.from(b)
const hash = (fill: number) => new Uint8Array(32).fill(fill)

function submission(id: string, at = '2026-01-01T00:00:00.000Z'): LogSubmission {
  return { id, entry: new TextEncoder().encode(`{"id":"${id}"}`), submittedAt: at }
}

function checkpoint(size: number, fill = size): LogCheckpointRecord {
  return { size, rootHash: hash(fill), note: `note ${size}\n`, createdAt: '2026-01-01T00:00:00Z' }
}

/** Appends `subs` at `oldSize` with dummy hashes of the right count. */
async function appendBatch(store: Store, oldSize: number, subs: readonly LogSubmission[]) {
  const count = storedHashCount(oldSize + subs.length) - storedHashCount(oldSize)
  await store.log.append({
    oldSize,
    entries: subs,
    hashes: Array.from({ length: count }, (_, i) => hash(i)),
    checkpoint: checkpoint(oldSize + subs.length),
  })
}

for (const factory of storeFactories()) {
  describe(`LogRepository contract: ${factory.name}`, () => {
    let store: Store

    beforeEach(async () => {
      store = await factory.open(await factory.fresh())
    })
    afterEach(async () => {
      await store.close()
    })
    afterAll(async () => {
      await factory.cleanup()
    })

    it('queues submissions oldest first and reports them unsequenced', async () => {
      await store.log.submit([submission('b', '2026-01-02T00:00:00.000Z'), submission('a')])
      const pending = await store.log.pending(10)
      expect(pending.map((p) => p.id)).toEqual(['a', 'b'])
      expect(pending[0]?.entry).toEqual(new TextEncoder().encode('{"id":"a"}'))
      expect(await store.log.pending(1)).toHaveLength(1)
      const indexes = await store.log.indexesOf(['a', 'b', 'nope'])
      expect([...indexes]).toEqual(
        expect.arrayContaining([
          ['a', null],
          ['b', null],
        ]),
      )
      expect(indexes.has('nope')).toBe(false)
    })

    it('refuses a repeated submission id and keeps none of that call', async () => {
      await store.log.submit([submission('a')])
      await expect(store.log.submit([submission('c'), submission('a')])).rejects.toMatchObject({
        code: 'STORAGE_CONFLICT',
      })
      expect((await store.log.pending(10)).map((p) => p.id)).toEqual(['a'])
    })

    it('appends a batch atomically: entries, hashes, checkpoint and indexes', async () => {
      await store.log.submit([submission('a'), submission('b'), submission('c')])
      await appendBatch(store, 0, await store.log.pending(10))
      expect(await store.log.pending(10)).toEqual([])
      expect(Object.fromEntries(await store.log.indexesOf(['a', 'b', 'c']))).toEqual({
        a: 0,
        b: 1,
        c: 2,
      })
      expect(await store.log.entries(0, 10)).toHaveLength(3)
      expect(await store.log.entries(1, 2)).toEqual([new TextEncoder().encode('{"id":"b"}')])
      const hashes = await store.log.hashes([0, 1, 3, 99])
      expect([...hashes.keys()].sort()).toEqual([0, 1, 3])
      expect(await store.log.latestCheckpoint()).toEqual(checkpoint(3))
      expect(await store.log.checkpoint(3)).toEqual(checkpoint(3))
      expect(await store.log.checkpoint(2)).toBeNull()
    })

    it('stores binary entries byte for byte, empty included', async () => {
      const odd: LogSubmission[] = [
        { id: 'x', entry: bytes(0, 255, 0x0a, 0), submittedAt: '2026-01-01T00:00:00.000Z' },
        { id: 'y', entry: bytes(), submittedAt: '2026-01-01T00:00:00.001Z' },
      ]
      await store.log.submit(odd)
      await appendBatch(store, 0, await store.log.pending(10))
      expect(await store.log.entries(0, 2)).toEqual([bytes(0, 255, 0x0a, 0), bytes()])
    })

    it('never holds two checkpoints of one size, and rolls the losing batch back whole', async () => {
      await store.log.submit([submission('a'), submission('b')])
      const [a, b] = await store.log.pending(10)
      await appendBatch(store, 0, [a as LogSubmission])
      // A second writer that still believes the tree is empty.
      const error = await appendBatch(store, 0, [b as LogSubmission]).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).code).toBe('STORAGE_CONFLICT')
      expect(await store.log.entries(0, 10)).toHaveLength(1)
      expect((await store.log.pending(10)).map((p) => p.id)).toEqual(['b'])
      expect((await store.log.checkpoints(0, 10)).map((c) => c.size)).toEqual([1])
    })

    it('refuses to sequence a submission twice', async () => {
      await store.log.submit([submission('a')])
      const [a] = await store.log.pending(10)
      await appendBatch(store, 0, [a as LogSubmission])
      await expect(appendBatch(store, 1, [a as LogSubmission])).rejects.toMatchObject({
        code: 'STORAGE_CONFLICT',
      })
      expect(await store.log.latestCheckpoint()).toMatchObject({ size: 1 })
    })

    it('refuses a checkpoint whose size does not match the batch', async () => {
      await expect(
        store.log.append({ oldSize: 0, entries: [], hashes: [], checkpoint: checkpoint(2) }),
      ).rejects.toThrow()
      expect(await store.log.latestCheckpoint()).toBeNull()
    })

    it('appends big batches across statement chunks', async () => {
      const subs = Array.from({ length: 2_500 }, (_, i) =>
        submission(`s${String(i).padStart(5, '0')}`),
      )
      await store.log.submit(subs)
      await appendBatch(store, 0, await store.log.pending(5_000))
      expect(await store.log.latestCheckpoint()).toMatchObject({ size: 2_500 })
      expect((await store.log.indexesOf(subs.map((s) => s.id))).get('s02499')).toBe(2_499)
      expect(await store.log.hashes([storedHashCount(2_500) - 1])).toHaveProperty('size', 1)
    })

    it('lists checkpoints from a size', async () => {
      await appendBatch(store, 0, [])
      await store.log.submit([submission('a'), submission('b')])
      const [a, b] = await store.log.pending(10)
      await appendBatch(store, 0, [a as LogSubmission])
      await appendBatch(store, 1, [b as LogSubmission])
      expect((await store.log.checkpoints(0, 10)).map((c) => c.size)).toEqual([0, 1, 2])
      expect((await store.log.checkpoints(1, 1)).map((c) => c.size)).toEqual([1])
    })

    it('keeps one cosignature per witness and size', async () => {
      await appendBatch(store, 0, [])
      await store.log.addCosignature(0, 'w2', '— w2 AAAA\n', 'now')
      await store.log.addCosignature(0, 'w1', '— w1 BBBB\n', 'now')
      await store.log.addCosignature(0, 'w1', '— w1 CCCC\n', 'later')
      expect(await store.log.cosignatures(0)).toEqual(['— w1 CCCC\n', '— w2 AAAA\n'])
      expect(await store.log.cosignatures(1)).toEqual([])
    })

    it('prunes only sequenced submissions older than the cut', async () => {
      await store.log.submit([submission('old'), submission('queued')])
      const [old] = await store.log.pending(1)
      await appendBatch(store, 0, [old as LogSubmission])
      expect(await store.log.prunePending('2027-01-01T00:00:00.000Z')).toBe(1)
      expect((await store.log.pending(10)).map((p) => p.id)).toEqual(['queued'])
      expect((await store.log.indexesOf(['old'])).has('old')).toBe(false)
    })

    it('advances a witness state by compare-and-set', async () => {
      const first = { origin: 'example.com/log', size: 5, rootHash: hash(5), updatedAt: 't1' }
      expect(await store.witness.get('example.com/log')).toBeNull()
      expect(await store.witness.advance(null, first)).toBe(true)
      expect(await store.witness.advance(null, first)).toBe(false)
      const next = { ...first, size: 9, rootHash: hash(9), updatedAt: 't2' }
      expect(await store.witness.advance({ size: 5, rootHash: hash(6) }, next)).toBe(false)
      expect(await store.witness.advance({ size: 4, rootHash: hash(5) }, next)).toBe(false)
      expect(await store.witness.advance({ size: 5, rootHash: hash(5) }, next)).toBe(true)
      expect(await store.witness.get('example.com/log')).toEqual(next)
    })

    it('gives the leader role to one holder at a time', async () => {
      const lease = await store.leaderLock.tryAcquire('role')
      expect(lease?.isHeld).toBe(true)
      expect(await store.leaderLock.tryAcquire('role')).toBeNull()
      const other = await store.leaderLock.tryAcquire('other role')
      expect(other?.isHeld).toBe(true)
      await lease?.release()
      expect(lease?.isHeld).toBe(false)
      const again = await store.leaderLock.tryAcquire('role')
      expect(again?.isHeld).toBe(true)
      await again?.release()
      await other?.release()
    })

    it('queues inside a transaction and rolls the queue back with it', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.log.submit([submission('tx')])
          throw new Error('abort')
        }),
      ).rejects.toThrow('abort')
      expect(await store.log.pending(10)).toEqual([])
      await store.transaction((tx) => tx.log.submit([submission('tx')]))
      expect((await store.log.pending(10)).map((p) => p.id)).toEqual(['tx'])
    })
  })
}
