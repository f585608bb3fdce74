import type { Store } from './ports.js'

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown }

interface Job {
  readonly work: (tx: Store) => Promise<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

/**
 * Group commit: units of work under one key that arrive while a transaction of that key runs
 * wait for it, then share the next transaction, each in a savepoint of its own. One commit (and,
 * for usage, one log append and one signed checkpoint) then serves many small requests instead
 * of one each; a unit that throws is undone alone and fails alone. A unit arriving when nothing
 * runs starts at once, so an idle server adds no delay. The units of a key run one after another
 * in arrival order; a failure of the commit itself fails every unit of that transaction.
 */
export class GroupCommit {
  private readonly queues = new Map<string, Job[]>()

  constructor(
    private readonly store: Store,
    /** The most units one transaction carries. */
    private readonly maxUnits = 64,
  ) {}

  run<T>(key: string, work: (tx: Store) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = { work, resolve: resolve as (value: unknown) => void, reject }
      const queue = this.queues.get(key)
      if (queue !== undefined) {
        queue.push(job)
        return
      }
      this.queues.set(key, [job])
      // The drain starts after the I/O callbacks of this turn of the event loop, so requests
      // read in the same turn join the first transaction (with a synchronous driver, a running
      // transaction never yields to I/O, so nothing would ever arrive while it runs).
      setImmediate(() => void this.drain(key))
    })
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(key) ?? []
      if (queue.length === 0) {
        this.queues.delete(key)
        return
      }
      const jobs = queue.splice(0, this.maxUnits)
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

  private commit(jobs: readonly Job[]): Promise<Outcome[]> {
    // Alone, a unit needs no savepoint: the transaction is its own.
    const only = jobs.length === 1 ? jobs[0] : undefined
    if (only !== undefined) {
      return this.store.transaction(async (tx) => [{ ok: true, value: await only.work(tx) }])
    }
    return this.store.transaction(async (tx) => {
      const outcomes: Outcome[] = []
      for (const job of jobs) {
        try {
          outcomes.push({ ok: true, value: await tx.savepoint((sp) => job.work(sp)) })
        } catch (error) {
          outcomes.push({ ok: false, error })
        }
      }
      return outcomes
    })
  }
}
