import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe } from 'vitest'
import { openPostgresStore } from '../../src/adapters/postgres/index.js'
import { openSqliteStore } from '../../src/adapters/sqlite/index.js'
import type { Store } from '../../src/app/ports.js'

/**
 * Runs a contract suite on SQLite (`:memory:`) always, and on PostgreSQL when `DATABASE_URL` is
 * set, each Postgres store in a throwaway schema of its own (test files run in parallel
 * processes) that is dropped when the file ends.
 */
export function describeOnEveryStore(
  describeSuite: (name: string, open: () => Promise<Store>) => void,
): void {
  describeSuite('sqlite :memory:', () => openSqliteStore(':memory:'))

  const url = process.env['DATABASE_URL']
  const schemas: string[] = []
  describe.skipIf(url === undefined || url === '')('postgres', () => {
    const databaseUrl = url ?? ''
    afterAll(async () => {
      const client = new pg.Client({ connectionString: databaseUrl })
      await client.connect()
      try {
        for (const schema of schemas) {
          await client.query(`drop schema if exists "${schema}" cascade`)
        }
      } finally {
        await client.end()
      }
    })
    describeSuite('postgres', () => {
      const schema = `selvedge_test_${randomBytes(6).toString('hex')}`
      schemas.push(schema)
      return openPostgresStore(databaseUrl, { schema })
    })
  })
}
