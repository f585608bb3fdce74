import type { Kysely, Migration } from 'kysely'

/**
 * Content Credentials: each studio's C2PA signers (`generation` 1 is the first; the highest is
 * active, so two processes creating the first signer at once collide on the unique key) and
 * every manifest signed into an export, by the SHA-256 of its manifest store. Rows are only
 * inserted.
 */
export const credentialsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('credential_signers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('chain_pem', 'text', (c) => c.notNull())
      .addColumn('root_pem', 'text')
      .addColumn('private_key_sealed', 'text', (c) => c.notNull())
      .addColumn('ca_keys_sealed', 'text')
      .addColumn('not_after', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('credential_signers_generation_uq', ['studio_id', 'generation'])
      .addForeignKeyConstraint('credential_signers_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()
    await db.schema
      .createTable('credentials_issued')
      .addColumn('manifest_sha256', 'text', (c) => c.primaryKey())
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('signer_id', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('file_sha256', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('log_submission', 'text')
      .addForeignKeyConstraint(
        'credentials_issued_signer_fk',
        ['signer_id'],
        'credential_signers',
        ['id'],
      )
      .execute()
    await db.schema
      .createIndex('credentials_issued_asset_idx')
      .on('credentials_issued')
      .columns(['studio_id', 'asset_id', 'created_at'])
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('credentials_issued').execute()
    await db.schema.dropTable('credential_signers').execute()
  },
}
