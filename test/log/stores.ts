import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { openPostgresStore } from '../../src/adapters/postgres/index.js'
import { openSqliteStore } from '../../src/adapters/sqlite/index.js'
import type { Store } from '../../src/app/ports.js'

/** `DATABASE_URL` when set and not empty. */
export const DATABASE_URL =
  process.env['DATABASE_URL'] === undefined || process.env['DATABASE_URL'] === ''
    ? undefined
    : process.env['DATABASE_URL']

/** How to open (and reopen) one fresh database of a dialect, and how to clean up after. */
export interface StoreFactory {
  readonly name: string
  /** A new empty database location (a file path or a schema). */
  fresh(): Promise<string>
  /** Opens the store at a location from `fresh` (again and again). */
  open(location: string): Promise<Store>
  /** Runs one SQL statement on the location out of band (tests that tamper with storage). */
  exec(location: string, statement: string): Promise<void>
  /** Removes every location made. */
  cleanup(): Promise<void>
}

/** SQLite files in temp folders. */
export function sqliteFactory(): StoreFactory {
  const dirs: string[] = []
  return {
    name: 'sqlite',
    async fresh() {
      const dir = await mkdtemp(join(tmpdir(), 'selvedge-log-'))
      dirs.push(dir)
      return join(dir, 'selvedge.db')
    },
    open: (path) => openSqliteStore(path),
    async exec(path, statement) {
      const db = new BetterSqlite3(path)
      try {
        db.exec(statement)
      } finally {
        db.close()
      }
    },
    async cleanup() {
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
    },
  }
}

/** PostgreSQL schemas of their own, dropped at cleanup. */
export function postgresFactory(url: string): StoreFactory {
  const schemas: string[] = []
  return {
    name: 'postgres',
    async fresh() {
      const schema = `selvedge_log_${randomBytes(6).toString('hex')}`
      schemas.push(schema)
      return schema
    },
    open: (schema) => openPostgresStore(url, { schema }),
    async exec(schema, statement) {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        await client.query(`set search_path to "${schema}"`)
        await client.query(statement)
      } finally {
        await client.end()
      }
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`)
      } finally {
        await client.end()
      }
    },
  }
}

/** SQLite always, PostgreSQL when `DATABASE_URL` is set. */
export function storeFactories(): StoreFactory[] {
  return DATABASE_URL === undefined
    ? [sqliteFactory()]
    : [sqliteFactory(), postgresFactory(DATABASE_URL)]
}
