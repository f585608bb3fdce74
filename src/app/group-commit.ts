import { AsyncResource } from 'node:async_hooks'
import type { Store } from './ports.js'

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown }

interface Job {
  readonly work: (tx: Store) => Promise<unknown>
  readonly weight: number
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

export interface GroupCommitLimits {
  /** The most units one transaction carries. */
  readonly maxUnits: number
  /** The most total weight (for usage: events) one transaction carries; a heavier unit goes alone. */
  readonly maxWeight: number
}

/**
 * Group commit: units of work under one key that are submitted in the same turn of the event
 * loop (and while a transaction of that key runs) share the next transaction, each in a
 * savepoint of its own. One commit (and, for usage, one log append and one signed checkpoint)
 * then serves many small requests instead of one each; a unit that throws is undone alone and
 * fails alone with its own error. A transaction starts once the I/O callbacks of the current
 * turn have run (`setImmediate`): with a synchronous driver a running transaction never yields
 * to I/O, so without that wait nothing would ever join it, and an idle server waits for nothing
 * else. The units of a key run one after another in submission order. If the commit fails,
 * every unit that had succeeded fails with the commit's error. A unit must not submit work
 * under its own key (it would wait for itself).
 */
export class GroupCommit {
  private readonly queues = new Map<string, Job[]>()
  // Drains run in the async context the group was made in, not in that of whichever caller
  // happened to start one (which may itself be inside a transaction).
  private readonly context = new AsyncResource('GroupCommit')

  constructor(
    private readonly store: Store,
    private readonly limits: GroupCommitLimits = { maxUnits: 64, maxWeight: 1_000 },
  ) {
    if (!(limits.maxUnits >= 1 && limits.maxWeight >= 1)) {
      throw new RangeError('a group commit needs room for at least one unit')
    }
  }

  run<T>(key: string, work: (tx: Store) => Promise<T>, weight = 1): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = { work, weight, resolve: resolve as (value: unknown) => void, reject }
      const queue = this.queues.get(key)
      if (queue !== undefined) {
        queue.push(job)
        return
      }
      this.queues.set(key, [job])
      this.context.runInAsyncScope(() => setImmediate(() => void this.drain(key)))
    })
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(key) ?? []
      if (queue.length === 0) {
        this.queues.delete(key)
        return
      }
      const jobs = this.take(queue)
      let outcomes: Outcome[]
      try {
        outcomes = await this.commit(jobs)
      } catch (error) {
        outcomes = jobs.map(() => ({ ok: false, error }))
      }
      jobs.forEach((job, i) => {
        const outcome = outcomes[i] as Outcome
        if (outcome.ok) job.resolve(outcome.value)
        else job.reject(outcome.error)
      })
    }
  }

  // The next units of the queue, within the limits (always at least one).
  private take(queue: Job[]): Job[] {
    let count = 1
    let weight = (queue[0] as Job).weight
    while (count < queue.length && count < this.limits.maxUnits) {
      const next = (queue[count] as Job).weight
      if (weight + next > this.limits.maxWeight) break
      weight += next
      count++
    }
    return queue.splice(0, count)
  }

  private async commit(jobs: readonly Job[]): Promise<Outcome[]> {
    // Alone, a unit needs no savepoint: the transaction is its own.
    const only = jobs.length === 1 ? jobs[0] : undefined
    if (only !== undefined) {
      return this.store.transaction(async (tx) => [{ ok: true, value: await only.work(tx) }])
    }
    const outcomes: Outcome[] = []
    try {
      await this.store.transaction(async (tx) => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: await tx.savepoint((sp) => job.work(sp)) })
          } catch (error) {
            outcomes.push({ ok: false, error })
          }
        }
      })
    } catch (error) {
      // Nothing was committed: the units that had succeeded fail with the reason; those that
      // had failed keep their own error.
      return jobs.map((_, i) => {
        const outcome = outcomes[i]
        return outcome === undefined || outcome.ok ? { ok: false, error } : outcome
      })
    }
    return outcomes
  }
}
