import { CompiledQuery, Kysely, PostgresDialect, type PostgresPool, sql } from 'kysely'
import pg from 'pg'
import type { Store } from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'
import { type Database, KyselyStore, migrateToLatest } from '../sql/index.js'
import { PostgresLeaderLock } from './postgres-leader-lock.js'
import { POSTGRES_TRAITS } from './postgres-traits.js'

/** The part of node-postgres's `Pool` this adapter uses. */
interface PgPool extends PostgresPool {
  on(event: 'error', listener: (error: Error) => void): unknown
}

/** Options for `openPostgresStore`. */
export interface PostgresStoreOptions {
  /**
   * The schema to keep every table in (created when absent): lower-case letters, digits and
   * underscores, at most 63 characters. Without it, the connection's default `search_path`.
   */
  readonly schema?: string
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Opens a connection pool to the PostgreSQL database at `url` and migrates it. With `schema`,
 * every pooled connection gets `search_path` set to that schema alone, so separate schemas
 * isolate separate stores (tests use a throwaway one each). Migrations hold Kysely's advisory
 * lock, so several processes may open the same database at once. Throws
 * `StorageError('STORAGE_FAILURE')`.
 */
export async function openPostgresStore(
  url: string,
  opts: PostgresStoreOptions = {},
): Promise<Store> {
  const { schema } = opts
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StorageError(
      'STORAGE_FAILURE',
      `${JSON.stringify(schema)} is not a usable schema name`,
    )
  }
  const pool: PgPool = new pg.Pool({ connectionString: url })
  // An idle pooled client that loses its server emits `error` on the pool; unheard, it would end
  // the process. The pool drops that client and the next query gets a fresh one.
  pool.on('error', () => undefined)
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      ...(schema === undefined
        ? {}
        : {
            onCreateConnection: async (connection) => {
              await connection.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`))
            },
          }),
    }),
  })
  let currentSchema: string
  try {
    if (schema !== undefined) await createSchema(db, schema)
    const current = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
      db,
    )
    currentSchema = current.rows[0]?.schema ?? 'public'
    await migrateToLatest(db, { schema: currentSchema })
  } catch (error) {
    await db.destroy().catch(() => undefined)
    if (error instanceof StorageError) throw error
    throw new StorageError('STORAGE_FAILURE', 'opening the PostgreSQL database failed', {
      cause: error,
    })
  }
  return KyselyStore.over(db, POSTGRES_TRAITS, {
    leaderLock: new PostgresLeaderLock(url, currentSchema),
  })
}

async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
  } catch (error) {
    // Two processes creating the schema at once can both pass `if not exists`; the loser gets a
    // unique violation on pg_namespace although the schema is there.
    const found = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db)
    if (found.rows.length === 0) throw error
  }
}
