import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openPostgresStore } from '../../src/adapters/postgres/index.js'
import { makeStudio } from './factories.js'
import { describeStore } from './store.contract.js'

const url = process.env['DATABASE_URL']
const schemas: string[] = []

// Test files run in parallel processes, so every store gets a schema of its own.
function freshSchema(): string {
  const schema = `selvedge_test_${randomBytes(6).toString('hex')}`
  schemas.push(schema)
  return schema
}

describe.skipIf(url === undefined || url === '')('postgres', () => {
  const databaseUrl = url ?? ''

  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`)
    } finally {
      await client.end()
    }
  })

  describeStore('postgres', () => openPostgresStore(databaseUrl, { schema: freshSchema() }))

  describe('openPostgresStore', () => {
    it('keeps data across reopening the same schema and migrates only once', async () => {
      const schema = freshSchema()
      const studio = makeStudio()
      const first = await openPostgresStore(databaseUrl, { schema })
      await first.studios.create(studio)
      await first.close()
      const [a, b] = await Promise.all([
        openPostgresStore(databaseUrl, { schema }),
        openPostgresStore(databaseUrl, { schema }),
      ])
      expect(await a.studios.get(studio.id)).toEqual(studio)
      expect(await b.studios.get(studio.id)).toEqual(studio)
      await a.close()
      await b.close()
    })

    it('refuses a schema name that would need quoting', async () => {
      await expect(
        openPostgresStore(databaseUrl, { schema: 'x"; drop table y; --' }),
      ).rejects.toMatchObject({ code: 'STORAGE_FAILURE' })
    })
  })
})
