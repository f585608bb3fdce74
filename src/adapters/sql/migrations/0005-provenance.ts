import type { Kysely, Migration } from 'kysely'

/**
 * The authorship journal (steps per asset, numbered from 1, never updated) and each journalled
 * asset's derived provenance tier, kept beside the journal so listings need not re-derive it.
 */
export const provenanceMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('authorship_steps')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('step_sha256', 'text', (c) => c.notNull())
      .addColumn('step_when', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('log_submission', 'text')
      .addPrimaryKeyConstraint('authorship_steps_pk', ['studio_id', 'asset_id', 'seq'])
      .addForeignKeyConstraint('authorship_steps_asset_fk', ['studio_id', 'asset_id'], 'assets', [
        'studio_id',
        'id',
      ])
      .execute()

    await db.schema
      .createTable('authorship_tiers')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('authorship_tiers_pk', ['studio_id', 'asset_id'])
      .addForeignKeyConstraint('authorship_tiers_asset_fk', ['studio_id', 'asset_id'], 'assets', [
        'studio_id',
        'id',
      ])
      .execute()
    await db.schema
      .createIndex('authorship_tiers_tier_idx')
      .on('authorship_tiers')
      .columns(['studio_id', 'tier'])
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('authorship_tiers').execute()
    await db.schema.dropTable('authorship_steps').execute()
  },
}
