import type { Kysely, Migration } from 'kysely'

/**
 * Revoked agreements: one row per revoked agreement, never updated, so the agreement rows stay
 * insert-only. A revoked grant exports nothing and its usage from the revocation on is refused.
 */
export const revocationsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('agreement_revocations')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('agreement_id', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text', (c) => c.notNull())
      .addColumn('revoked_by', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addPrimaryKeyConstraint('agreement_revocations_pk', ['studio_id', 'agreement_id'])
      .addForeignKeyConstraint(
        'agreement_revocations_agreement_fk',
        ['studio_id', 'agreement_id'],
        'agreements',
        ['studio_id', 'id'],
      )
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('agreement_revocations').execute()
  },
}
