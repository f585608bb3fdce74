import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Database, KyselyStore } from '../../src/adapters/sql/index.js'
import { openSqliteStore, SQLITE_TRAITS } from '../../src/adapters/sqlite/index.js'
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
      const group = new GroupCommit(store, { maxUnits: 3, maxWeight: 1_000 })
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

describeOnEveryStore((name, open) => {
  describe(`GroupCommit weights on ${name}`, () => {
    it('fills a transaction up to maxWeight, and sends a heavier unit alone', async () => {
      const store = await open()
      try {
        const transactions = vi.spyOn(store, 'transaction')
        const group = new GroupCommit(store, { maxUnits: 64, maxWeight: 10 })
        const studios = Array.from({ length: 5 }, () => makeStudio())
        // Weights 4, 4, 4, 30, 1: [4, 4] · [4] (4 + 30 > 10) · [30] alone · [1].
        const weights = [4, 4, 4, 30, 1]
        await Promise.all(
          studios.map((s, i) => group.run('k', (tx) => tx.studios.create(s), weights[i])),
        )
        expect(transactions).toHaveBeenCalledTimes(4)
        for (const s of studios) expect(await store.studios.get(s.id)).toEqual(s)
      } finally {
        await store.close()
      }
    })
  })
})

describe('GroupCommit limits', () => {
  it('refuses limits with no room for a unit', async () => {
    const store = {} as Store
    expect(() => new GroupCommit(store, { maxUnits: 0, maxWeight: 10 })).toThrow(RangeError)
    expect(() => new GroupCommit(store, { maxUnits: 10, maxWeight: 0 })).toThrow(RangeError)
  })
})

describe('GroupCommit when the database ends the transaction', () => {
  it('commits nothing when SQLite rolls back a unit on a full disk, and fails every unit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'selvedge-group-commit-'))
    const path = join(dir, 'full.db')
    await (await openSqliteStore(path)).close()
    // A connection that may grow the file by 30 pages only: a 2 MB row fills it (SQLITE_FULL),
    // and SQLite then rolls the whole transaction back, savepoints and all.
    const connection = new BetterSqlite3(path)
    connection.pragma('journal_mode = WAL')
    const pages = connection.pragma('page_count', { simple: true }) as number
    connection.pragma(`max_page_count = ${pages + 30}`)
    const store = KyselyStore.over(
      new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) }),
      SQLITE_TRAITS,
    )
    try {
      const group = new GroupCommit(store)
      const one = makeStudio()
      const big = makeStudio({ name: 'x'.repeat(2_000_000) })
      const three = makeStudio()
      const outcomes = await Promise.allSettled([
        group.run('k', (tx) => tx.studios.create(one)),
        group.run('k', (tx) => tx.studios.create(big)),
        group.run('k', (tx) => tx.studios.create(three)),
      ])
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected'])
      // Before the fix, the unit after the failure opened a transaction of its own and committed.
      for (const s of [one, big, three]) expect(await store.studios.get(s.id)).toBeNull()
      // The store stays usable.
      const after = makeStudio()
      await group.run('k', (tx) => tx.studios.create(after))
      expect(await store.studios.get(after.id)).toEqual(after)
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('GroupCommit when the commit fails', () => {
  it('fails the units that had succeeded with the commit error; the others keep their own', async () => {
    const failure = new Error('commit failed')
    const store = {
      transaction: async (fn: (tx: Store) => Promise<unknown>) => {
        await fn(store as unknown as Store)
        throw failure
      },
      savepoint: (fn: (tx: Store) => Promise<unknown>) => fn(store as unknown as Store),
    } as unknown as Store
    const group = new GroupCommit(store)
    const own = new Error('own')
    const outcomes = await Promise.allSettled([
      group.run('k', async () => 1),
      group.run('k', async () => {
        throw own
      }),
      group.run('k', async () => 3),
    ])
    expect(outcomes).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: own },
      { status: 'rejected', reason: failure },
    ])
  })
})
