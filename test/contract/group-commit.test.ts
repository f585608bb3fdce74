import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { GroupCommit } from '../../src/app/group-commit.js'
import type { Store } from '../../src/app/ports.js'
import { describeOnEveryStore } from '../support/each-store.js'
import { makeKey, makeStudio } from './factories.js'

describeOnEveryStore((name, open) => {
  describe(`GroupCommit on ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await open()
    })
    afterEach(async () => {
      await store.close()
    })

    it('runs units that arrive together in one transaction, in order, each with its result', async () => {
      const transactions = vi.spyOn(store, 'transaction')
      const group = new GroupCommit(store)
      const order: number[] = []
      const studios = Array.from({ length: 10 }, () => makeStudio())
      const results = await Promise.all(
        studios.map((s, i) =>
          group.run('k', async (tx) => {
            order.push(i)
            await tx.studios.create(s)
            return s.id
          }),
        ),
      )
      expect(results).toEqual(studios.map((s) => s.id))
      expect(order).toEqual([...studios.keys()])
      expect(transactions).toHaveBeenCalledTimes(1)
      for (const s of studios) expect(await store.studios.get(s.id)).toEqual(s)
    })

    it('undoes a failing unit alone: its writes are gone, the others commit', async () => {
      const group = new GroupCommit(store)
      const kept = makeStudio()
      const undone = makeStudio()
      const later = makeStudio()
      const boom = new Error('boom')
      const outcomes = await Promise.allSettled([
        group.run('k', (tx) => tx.studios.create(kept)),
        group.run('k', async (tx) => {
          await tx.studios.create(undone)
          await tx.keys.create(makeKey(undone.id))
          throw boom
        }),
        // A statement that fails (a conflict) inside a unit: on PostgreSQL it would abort the
        // whole transaction if the unit were not in a savepoint.
        group.run('k', (tx) => tx.studios.create(kept)),
        group.run('k', (tx) => tx.studios.create(later)),
      ])
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'rejected',
        'rejected',
        'fulfilled',
      ])
      expect((outcomes[1] as PromiseRejectedResult).reason).toBe(boom)
      expect(await store.studios.get(kept.id)).toEqual(kept)
      expect(await store.studios.get(undone.id)).toBeNull()
      expect(await store.keys.list(undone.id)).toEqual([])
      expect(await store.studios.get(later.id)).toEqual(later)
    })

    it('keeps keys apart, takes at most maxUnits a transaction, and goes on afterwards', async () => {
      const transactions = vi.spyOn(store, 'transaction')
      const group = new GroupCommit(store, 3)
      const studios = Array.from({ length: 7 }, () => makeStudio())
      await Promise.all(
        studios.map((s, i) => group.run(i % 2 === 0 ? 'a' : 'b', (tx) => tx.studios.create(s))),
      )
      // a: 4 units → 2 transactions (3 + 1); b: 3 units → 1.
      expect(transactions).toHaveBeenCalledTimes(3)
      // Once idle, the next unit starts a transaction of its own.
      const last = makeStudio()
      await group.run('a', (tx) => tx.studios.create(last))
      expect(transactions).toHaveBeenCalledTimes(4)
      for (const s of [...studios, last]) expect(await store.studios.get(s.id)).toEqual(s)
    })
  })
})

describe('GroupCommit when the commit fails', () => {
  it('fails every unit of that transaction with the commit error', async () => {
    const failure = new Error('commit failed')
    const store = {
      transaction: async (fn: (tx: Store) => Promise<unknown>) => {
        await fn(store as unknown as Store)
        throw failure
      },
      savepoint: (fn: (tx: Store) => Promise<unknown>) => fn(store as unknown as Store),
    } as unknown as Store
    const group = new GroupCommit(store)
    const outcomes = await Promise.allSettled([
      group.run('k', async () => 1),
      group.run('k', async () => 2),
    ])
    expect(outcomes).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ])
  })
})
