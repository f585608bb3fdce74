import type { Kysely, Migration } from 'kysely'

/**
 * Licences (every attached policy kept as a numbered version), agreements (each with its grant
 * id), and exclusive sales. `exclusive_sales` has one row per asset at most: its primary key is
 * what makes an exclusive buyout atomic when two buyers race.
 */
export const licencesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('licence_versions')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('licence_versions_pk', ['studio_id', 'asset_id', 'version'])
      .addForeignKeyConstraint('licence_versions_asset_fk', ['studio_id', 'asset_id'], 'assets', [
        'studio_id',
        'id',
      ])
      .execute()

    await db.schema
      .createTable('agreements')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('licence_version', 'integer', (c) => c.notNull())
      .addColumn('assignee', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('units', 'bigint')
      .addColumn('grant_id', 'text', (c) => c.notNull())
      .addColumn('licence_ids', 'text', (c) => c.notNull())
      .addColumn('exclusive', 'integer', (c) => c.notNull())
      .addColumn('agreement', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('agreements_pk', ['studio_id', 'id'])
      .addUniqueConstraint('agreements_grant_uq', ['grant_id'])
      .addForeignKeyConstraint(
        'agreements_licence_fk',
        ['studio_id', 'asset_id', 'licence_version'],
        'licence_versions',
        ['studio_id', 'asset_id', 'version'],
      )
      .execute()
    await db.schema
      .createIndex('agreements_assignee_idx')
      .on('agreements')
      .columns(['studio_id', 'assignee', 'asset_id'])
      .execute()

    await db.schema
      .createTable('exclusive_sales')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('agreement_id', 'text', (c) => c.notNull())
      .addColumn('assignee', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('exclusive_sales_pk', ['studio_id', 'asset_id'])
      .addForeignKeyConstraint(
        'exclusive_sales_agreement_fk',
        ['studio_id', 'agreement_id'],
        'agreements',
        ['studio_id', 'id'],
      )
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('exclusive_sales').execute()
    await db.schema.dropTable('agreements').execute()
    await db.schema.dropTable('licence_versions').execute()
  },
}
