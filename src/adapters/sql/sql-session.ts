import { AsyncLocalStorage } from 'node:async_hooks'
import { type Kysely, sql } from 'kysely'
import { StorageError } from '../../app/storage-error.js'
import { AppError } from '../../core/shared/index.js'
import type { DialectTraits } from './dialect-traits.js'
import type { Database } from './schema.js'
import { SerialLock } from './serial-lock.js'
import { toStorageError } from './to-storage-error.js'

/** The state of one open transaction, shared by every session bound to it. */
interface TransactionState {
  isActive: boolean
  readonly lock: SerialLock
  savepoints: number
  /**
   * Set when a savepoint could not be rolled back or released: the database itself ended the
   * transaction (SQLite rolls everything back on a full disk or an I/O error), so nothing more
   * may run in it, and it must not be reported as committed.
   */
  isBroken: boolean
}

/** How a repository runs its statements: a query runner plus the rules for atomicity. */
export type Query<T> = (db: Kysely<Database>) => Promise<T>

/**
 * A handle on the database for the repositories: either the root (pooled connections) or one
 * open transaction (one held connection). It wraps driver errors in `StorageError` and makes
 * multi-statement writes atomic: in their own transaction at the root, in a savepoint inside a
 * transaction, so that a failed write caught by the caller leaves neither partial rows nor (on
 * PostgreSQL) an aborted transaction behind.
 */
export class SqlSession {
  private constructor(
    private readonly db: Kysely<Database>,
    /** The dialect's differences. */
    readonly traits: DialectTraits,
    private readonly tx: TransactionState | null,
    // Marks the async context of a running transaction callback, so that the root being used
    // from inside its own transaction fails fast instead of deadlocking (SQLite has one
    // connection) or silently writing outside the transaction (PostgreSQL).
    private readonly openTransaction: AsyncLocalStorage<TransactionState>,
  ) {}

  /** A root session over `db`. */
  static root(db: Kysely<Database>, traits: DialectTraits): SqlSession {
    return new SqlSession(db, traits, null, new AsyncLocalStorage())
  }

  /** True when bound to a transaction. */
  get isTransaction(): boolean {
    return this.tx !== null
  }

  /** Runs a read. Throws `StorageError` for a driver error. */
  async read<T>(what: string, query: Query<T>): Promise<T> {
    const tx = this.usableTransaction()
    if (tx === null) return this.guarded(what, () => query(this.db))
    return this.serialised(tx, () => this.guarded(what, () => query(this.db)))
  }

  /** Runs a single-statement write. Throws `StorageError` for a driver error. */
  async write<T>(what: string, query: Query<T>): Promise<T> {
    const tx = this.usableTransaction()
    if (tx === null) return this.guarded(what, () => query(this.db))
    return this.serialised(tx, () => this.guarded(what, () => this.inSavepoint(tx, query)))
  }

  /**
   * Runs several statements atomically: a transaction of their own at the root, a savepoint
   * inside an open transaction. Throws `StorageError` for a driver error; any other error thrown
   * by `query` rolls the statements back and propagates unchanged.
   */
  async atomic<T>(what: string, query: Query<T>): Promise<T> {
    const tx = this.usableTransaction()
    if (tx === null) return this.guarded(what, () => this.inTransaction(query))
    return this.serialised(tx, () => this.guarded(what, () => this.inSavepoint(tx, query)))
  }

  /**
   * Runs `fn` in one transaction with a session bound to it; commits when it resolves, rolls back
   * when it throws. Inside a transaction it runs `fn` with this same session. Errors thrown by `fn`
   * propagate unchanged; a failure to begin or commit throws `StorageError`.
   */
  async transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    if (this.usableTransaction() !== null) return fn(this)
    const state: TransactionState = {
      isActive: true,
      lock: new SerialLock(),
      savepoints: 0,
      isBroken: false,
    }
    const outcome: { fnError?: { readonly error: unknown } } = {}
    try {
      return await this.inTransaction(async (db) => {
        const session = new SqlSession(db, this.traits, state, this.openTransaction)
        try {
          const result = await this.openTransaction.run(state, () => fn(session))
          // Statements `fn` started without awaiting run before the commit.
          await state.lock.run(async () => undefined)
          if (state.isBroken) {
            // A later statement would have opened, and the commit closed, a new transaction
            // holding only part of `fn`'s work; what ran before the break was already undone.
            throw new StorageError('STORAGE_FAILURE', 'the database ended the transaction')
          }
          return result
        } catch (error) {
          outcome.fnError = { error }
          // Statements still queued are refused, and the one running finishes, before the
          // rollback: none may run after it, outside the transaction, on the same connection.
          state.isActive = false
          await state.lock.run(async () => undefined)
          throw error
        } finally {
          state.isActive = false
        }
      })
    } catch (error) {
      if (outcome.fnError !== undefined && outcome.fnError.error === error) throw error
      throw toStorageError(this.traits, error, 'transaction')
    }
  }

  /**
   * Inside a transaction, runs `fn` in a savepoint: if it throws, its writes are rolled back and
   * the transaction goes on (the error propagates). `fn` runs its statements on this session, one
   * after another; nothing else may use the transaction meanwhile. Outside a transaction, throws.
   */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const tx = this.usableTransaction()
    if (tx === null) throw new StorageError('STORAGE_FAILURE', 'a savepoint needs a transaction')
    tx.savepoints += 1
    const name = `sp_${tx.savepoints}`
    const run = (statement: string) =>
      this.serialised(tx, () =>
        this.guarded('savepoint', () => sql.raw(statement).execute(this.db)),
      )
    await run(`savepoint ${name}`)
    let result: T
    try {
      result = await fn()
    } catch (error) {
      await run(`rollback to savepoint ${name}`)
        .then(() => run(`release savepoint ${name}`))
        .catch(() => this.broke(tx))
      throw error
    }
    await run(`release savepoint ${name}`).catch((error: unknown) => {
      this.broke(tx)
      throw error
    })
    return result
  }

  // The savepoint is gone with the transaction: refuse everything after, and the commit.
  private broke(tx: TransactionState): void {
    tx.isBroken = true
    tx.isActive = false
  }

  private usableTransaction(): TransactionState | null {
    if (this.tx !== null) {
      if (!this.tx.isActive) {
        throw new StorageError('STORAGE_FAILURE', 'the transaction has already ended')
      }
      return this.tx
    }
    if (this.openTransaction.getStore()?.isActive === true) {
      throw new StorageError(
        'STORAGE_FAILURE',
        'the store was used inside its own transaction; use the store passed to the callback',
      )
    }
    return null
  }

  // Runs statements of a transaction one at a time (a savepoint must not interleave with another
  // statement); a task that reaches the front after the transaction ended is refused.
  private serialised<T>(tx: TransactionState, task: () => Promise<T>): Promise<T> {
    return tx.lock.run(async () => {
      if (!tx.isActive)
        throw new StorageError('STORAGE_FAILURE', 'the transaction has already ended')
      return task()
    })
  }

  private async guarded<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (isDriverError(error)) throw toStorageError(this.traits, error, what)
      throw error
    }
  }

  private inTransaction<T>(query: Query<T>): Promise<T> {
    return this.db.connection().execute(async (db) => {
      await sql.raw(this.traits.beginSql).execute(db)
      let result: T
      try {
        result = await query(db)
        await sql.raw('commit').execute(db)
      } catch (error) {
        await sql
          .raw('rollback')
          .execute(db)
          .catch(() => undefined)
        throw error
      }
      return result
    })
  }

  private async inSavepoint<T>(tx: TransactionState, query: Query<T>): Promise<T> {
    tx.savepoints += 1
    const name = `sp_${tx.savepoints}`
    await sql.raw(`savepoint ${name}`).execute(this.db)
    let result: T
    try {
      result = await query(this.db)
    } catch (error) {
      await sql
        .raw(`rollback to savepoint ${name}`)
        .execute(this.db)
        .then(() => sql.raw(`release savepoint ${name}`).execute(this.db))
        .catch(() => this.broke(tx))
      throw error
    }
    await sql
      .raw(`release savepoint ${name}`)
      .execute(this.db)
      .catch((error: unknown) => {
        this.broke(tx)
        throw error
      })
    return result
  }
}

// Errors our own code throws on purpose (StorageError, ArchiveError, …) pass through; anything
// else reaching here came from Kysely or the driver.
function isDriverError(error: unknown): boolean {
  return !(error instanceof AppError)
}
