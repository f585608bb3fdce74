import type { Kysely, Migration } from 'kysely'

/**
 * Signing keys (log, grants, credentials, witness). `studio_id` is '' for instance-wide keys such
 * as the transparency log's, so that the one-active-key-per-purpose rule is a plain unique index.
 */
export const signingKeysMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('signing_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('signing_keys_purpose_idx')
      .on('signing_keys')
      .columns(['studio_id', 'purpose', 'created_at'])
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('signing_keys').execute()
  },
}
