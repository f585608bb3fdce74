import { type Kysely, Migrator } from 'kysely'
import { StorageError } from '../../app/storage-error.js'
import { MIGRATIONS } from './migrations/index.js'

/**
 * Applies every pending migration of `MIGRATIONS`, in name order. `schema` names the schema that
 * holds Kysely's bookkeeping tables (PostgreSQL): without it, Kysely would take a
 * `kysely_migration` table in any other schema of the database for its own. Throws
 * `StorageError('STORAGE_FAILURE')` with the failing migration's error as `cause`.
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  opts: { readonly schema?: string } = {},
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    ...(opts.schema === undefined ? {} : { migrationTableSchema: opts.schema }),
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    throw new StorageError(
      'STORAGE_FAILURE',
      failed === undefined ? 'migrating the database failed' : `migration ${failed} failed`,
      { cause: error },
    )
  }
}
