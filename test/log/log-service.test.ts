import { afterAll, describe, expect, it } from 'vitest'
import type { LogService } from '../../src/app/log/index.js'
import type { Store } from '../../src/app/ports.js'
import {
  EMPTY_TREE_HASH,
  hashesEqual,
  MAX_ENTRY_SIZE,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyProofFile,
} from '../../src/core/tlog/index.js'
import { allCheckpoints, allEntries, expectConsistentLog, testLog } from './log-fixtures.js'
import { storeFactories } from './stores.js'

const text = (s: string) => new TextEncoder().encode(s)
const entry = (i: number) => ({
  type: 'test.entry',
  studio: 'std_test',
  time: '2026-01-01T00:00:00Z',
  i,
})

for (const factory of storeFactories()) {
  describe(`LogService and sequencer: ${factory.name}`, () => {
    const open: { store: Store; log: LogService }[] = []
    async function openLog(location?: string, config = {}) {
      const store = await factory.open(location ?? (await factory.fresh()))
      const log = testLog(store, config)
      open.push({ store, log })
      return { store, log }
    }
    async function closeLog(handle: { store: Store; log: LogService }) {
      await handle.log.close()
      await handle.store.close()
      open.splice(open.indexOf(handle), 1)
    }
    afterAll(async () => {
      for (const h of [...open]) await closeLog(h)
      await factory.cleanup()
    })

    it('starts with a signed checkpoint of the empty tree and serves its verifier key', async () => {
      const h = await openLog()
      const checkpoint = await h.log.checkpoint()
      expect(checkpoint).toMatchObject({ origin: 'selvedge.local/log', size: 0 })
      expect(hashesEqual(checkpoint.rootHash, EMPTY_TREE_HASH)).toBe(true)
      const vkey = await h.log.vkey()
      expect(vkey).toMatch(/^selvedge\.local\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/)
      expect(parseVerifierKey(vkey).name).toBe('selvedge.local/log')
      const opened = openNote(checkpoint.note, [vkey])
      expect(opened.text).toBe(
        `selvedge.local/log\n0\n${Buffer.from(EMPTY_TREE_HASH).toString('base64')}\n`,
      )
      await closeLog(h)
    })

    it('batches concurrent submissions under few checkpoints, each entry provable', async () => {
      const h = await openLog()
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => h.log.append([entry(i), entry(1000 + i)])),
      )
      const indexes = results.flat()
      expect(new Set(indexes).size).toBe(80)
      expect(Math.max(...indexes)).toBe(79)
      const checkpoints = await allCheckpoints(h.store)
      // Group commit: far fewer checkpoints than submissions.
      expect(checkpoints.length).toBeLessThan(40)
      const vkey = await h.log.vkey()
      await expectConsistentLog(h.store, vkey)
      for (const index of [0, 17, 79]) {
        const proofFile = await h.log.proof(index)
        const verdict = verifyProofFile({ vkey, proofFile, entry: await h.log.entry(index) })
        expect(verdict).toMatchObject({ ok: true, index, size: 80 })
        expect(verifyProofFile({ vkey, proofFile, entry: text('forged') }).ok).toBe(false)
      }
      await closeLog(h)
    })

    it('submits in bulk and waits once', async () => {
      const h = await openLog()
      const ids = await h.log.submit(Array.from({ length: 5_000 }, (_, i) => entry(i)))
      const indexes = await h.log.waitFor(ids)
      expect(indexes).toEqual(Array.from({ length: 5_000 }, (_, i) => i))
      expect((await allCheckpoints(h.store)).length).toBeLessThanOrEqual(3)
      await closeLog(h)
    })

    it('encodes entries as canonical JSON and refuses bad ones', async () => {
      const h = await openLog()
      const [index] = await h.log.append([
        { time: 't', type: 'x', studio: 's', b: 1, a: [true, null] },
      ])
      expect(new TextDecoder().decode(await h.log.entry(index as number))).toBe(
        '{"a":[true,null],"b":1,"studio":"s","time":"t","type":"x"}',
      )
      await expect(h.log.submit([{ type: '', studio: 's', time: 't' }])).rejects.toMatchObject({
        code: 'LOG_ENTRY_INVALID',
      })
      await expect(h.log.submit([new Uint8Array(MAX_ENTRY_SIZE + 1)])).rejects.toMatchObject({
        code: 'LOG_ENTRY_TOO_LARGE',
      })
      expect((await h.log.append([new Uint8Array(MAX_ENTRY_SIZE)]))[0]).toBe(1)
      await expect(h.log.waitFor(['lsb_unknown'])).rejects.toMatchObject({
        code: 'LOG_SUBMISSION_UNKNOWN',
      })
      await expect(h.log.entry(2)).rejects.toMatchObject({ code: 'LOG_INDEX_OUT_OF_RANGE' })
      await expect(h.log.proof(2)).rejects.toMatchObject({ code: 'LOG_INDEX_OUT_OF_RANGE' })
      await expect(h.log.consistency(2, 1)).rejects.toMatchObject({ code: 'LOG_SIZE_INVALID' })
      await expect(h.log.consistency(1, 3)).rejects.toMatchObject({
        code: 'LOG_INDEX_OUT_OF_RANGE',
      })
      await closeLog(h)
    })

    it('recovers after a restart and continues the same tree', async () => {
      const location = await factory.fresh()
      const first = await openLog(location)
      await first.log.append(Array.from({ length: 300 }, (_, i) => entry(i)))
      const before = await first.log.checkpoint()
      const vkey = await first.log.vkey()
      // Queued but never sequenced: the process "dies" before its sequencer runs.
      await first.log.queue(first.store, [entry(300), entry(301)])
      await closeLog(first)

      const second = await openLog(location)
      expect(await second.log.vkey()).toBe(vkey)
      await second.log.append([entry(302)])
      const after = await second.log.checkpoint()
      expect(after.size).toBe(303)
      const proof = await second.log.consistency(before.size, after.size)
      expect(
        verifyConsistency(before.size, after.size, before.rootHash, after.rootHash, proof),
      ).toBe(true)
      expect((await allEntries(second.store)).length).toBe(303)
      await expectConsistentLog(second.store, vkey)
      await closeLog(second)
    })

    // SQLite: one store per file per process (better-sqlite3 blocks the event loop on a
    // second connection's lock), so two sequencers on one file run in separate processes in
    // crash.test.ts instead.
    it.skipIf(factory.name === 'sqlite')(
      'never forks when two sequencers share the database',
      async () => {
        const location = await factory.fresh()
        const a = await openLog(location)
        const b = await openLog(location)
        const submitters = Array.from({ length: 30 }, (_, i) =>
          (i % 2 === 0 ? a : b).log.append([entry(i)]),
        )
        const indexes = (await Promise.all(submitters)).flat()
        expect(new Set(indexes).size).toBe(30)
        const sizes = await expectConsistentLog(a.store, await a.log.vkey())
        expect(new Set(sizes).size).toBe(sizes.length)
        expect(sizes.at(-1)).toBe(30)
        // Only one of them held the sequencer role; the other waited on the database.
        expect([a.log.isSequencer, b.log.isSequencer].filter(Boolean)).toHaveLength(1)
        await closeLog(a)
        await closeLog(b)
      },
    )

    it.skipIf(factory.name === 'sqlite')(
      'hands the sequencer role over when its holder stops',
      async () => {
        const location = await factory.fresh()
        const a = await openLog(location)
        await a.log.append([entry(0)])
        expect(a.log.isSequencer).toBe(true)
        const b = await openLog(location)
        b.log.start()
        await new Promise((resolve) => setTimeout(resolve, 100))
        expect(b.log.isSequencer).toBe(false)
        await closeLog(a)
        // b takes over within a batch interval and sequences what it queues.
        expect(await b.log.append([entry(1)])).toEqual([1])
        expect(b.log.isSequencer).toBe(true)
        await closeLog(b)
      },
    )

    it('refuses to sequence when stored hashes disagree with the checkpoint', async () => {
      const location = await factory.fresh()
      const h = await openLog(location)
      await h.log.append([entry(1), entry(2), entry(3)])
      await closeLog(h)
      await factory.exec(
        location,
        'update log_hashes set hash = (select hash from log_hashes where idx = 0) where idx = 2',
      )
      const store = await factory.open(location)
      const { LogSequencer } = await import('../../src/app/log/index.js')
      const { systemClock } = await import('../../src/adapters/node-runtime/index.js')
      const sequencer = new LogSequencer({
        store,
        clock: systemClock,
        signer: () => Promise.reject(new Error('must not sign')),
        options: { origin: 'selvedge.local/log', batchIntervalMs: 10, maxBatch: 10 },
        onCommit: () => undefined,
      })
      await expect(sequencer.load()).rejects.toMatchObject({ code: 'LOG_STATE_INVALID' })
      await store.close()
    })

    it('uses the stored origin, not a new configuration, for an existing log', async () => {
      const location = await factory.fresh()
      const h = await openLog(location, { origin: 'example.com/first' })
      await h.log.append([entry(0)])
      await closeLog(h)
      const again = await openLog(location, { origin: 'example.com/second' })
      await again.log.append([entry(1)])
      const c = await again.log.checkpoint()
      expect(parseCheckpoint(c.note.slice(0, c.note.indexOf('\n\n') + 1)).origin).toBe(
        'example.com/first',
      )
      expect(await again.log.vkey()).toMatch(/^example\.com\/first\+/)
      await closeLog(again)
    })
  })
}
