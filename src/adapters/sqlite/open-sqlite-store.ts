import BetterSqlite3 from 'better-sqlite3'
import { Kysely, type SqliteDatabase, SqliteDialect, sql } from 'kysely'
import type { Store } from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'
import { type Database, KyselyStore, migrateToLatest } from '../sql/index.js'
import { sqliteTraits } from './sqlite-traits.js'

/** The part of better-sqlite3's `Database` this adapter uses. */
interface SqliteConnection extends SqliteDatabase {
  pragma(source: string): unknown
}

/** How long a statement waits for another process's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000

/**
 * Opens (creating if absent) the SQLite database at `path`, or a private in-memory one for
 * `:memory:`, and migrates it. WAL journal, foreign keys on, `synchronous=NORMAL` (a process crash
 * loses no commit; a power cut may lose the last ones but never corrupts the file). One connection
 * serves the process: Kysely queues statements, and a transaction holds the connection until it
 * ends, so concurrent transactions never interleave. Open one store per file per process:
 * better-sqlite3 is synchronous, so a second connection in the same process waiting for the
 * first one's write lock blocks the event loop for the whole busy timeout. Several processes may
 * share a file; migrations run in one `BEGIN IMMEDIATE` transaction, so concurrent openers
 * migrate once. Throws `StorageError('STORAGE_FAILURE')`.
 */
export async function openSqliteStore(path: string): Promise<Store> {
  const connection = connect(path)
  const cached = withStatementCache(connection)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) })
  try {
    await migrateExclusively(db)
  } catch (error) {
    await db.destroy()
    if (error instanceof StorageError) throw error
    throw new StorageError('STORAGE_FAILURE', 'migrating the SQLite database failed', {
      cause: error,
    })
  }
  return KyselyStore.over(db, sqliteTraits(cached))
}

function connect(path: string): SqliteConnection {
  let connection: SqliteConnection | undefined
  try {
    connection = new BetterSqlite3(path)
    // The busy timeout comes first: switching to WAL needs the lock another process may hold.
    connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`)
    connection.pragma('journal_mode = WAL')
    connection.pragma('foreign_keys = ON')
    connection.pragma('synchronous = NORMAL')
    return connection
  } catch (error) {
    connection?.close()
    throw new StorageError('STORAGE_FAILURE', 'opening the SQLite database failed', {
      cause: error,
    })
  }
}

/** How many prepared statements the connection keeps for reuse. */
const STATEMENT_CACHE_SIZE = 512

/**
 * Kysely prepares every statement it runs; preparing is a good part of a short query's cost
 * (13% of CPU under the single-event usage load). The queries are few distinct texts run again
 * and again, so keep the prepared statements, least recently used out first. SQLite recompiles
 * a cached statement by itself after a schema change, and one connection runs one statement
 * at a time, so sharing them is safe.
 */
function withStatementCache(connection: SqliteConnection): SqliteDatabase {
  const cache = new Map<string, ReturnType<SqliteDatabase['prepare']>>()
  return {
    close: () => {
      cache.clear()
      connection.close()
    },
    prepare: (text: string) => {
      let statement = cache.get(text)
      if (statement === undefined) {
        statement = connection.prepare(text)
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next().value
          if (oldest !== undefined) cache.delete(oldest)
        }
      } else {
        cache.delete(text)
      }
      cache.set(text, statement)
      return statement
    },
  }
}

// Kysely neither locks nor wraps SQLite migrations in a transaction, so two processes opening a
// new file at once would both create the tables, and a crash could leave half a migration.
// SQLite's DDL is transactional: one IMMEDIATE transaction makes the run atomic, and the write
// lock makes a second opener wait (busy_timeout) and then find the migrations applied.
async function migrateExclusively(db: Kysely<Database>): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection)
    try {
      await migrateToLatest(connection)
      await sql`commit`.execute(connection)
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined)
      throw error
    }
  })
}
