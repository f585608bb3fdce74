import type { Kysely, Migration } from 'kysely'

/**
 * Forensics findings: what a scanned file proved (watermark, grant, near duplicates) and the
 * kind decided from it. Rows are only inserted; the log submission ties each to its
 * `finding.recorded` entry.
 */
export const findingsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('findings')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('file_sha256', 'text', (c) => c.notNull())
      .addColumn('watermark', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('agreement_id', 'text')
      .addColumn('assignee', 'text')
      .addColumn('similar', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('log_submission', 'text')
      .addPrimaryKeyConstraint('findings_pk', ['studio_id', 'id'])
      .addForeignKeyConstraint('findings_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()
    await db.schema
      .createIndex('findings_list_idx')
      .on('findings')
      .columns(['studio_id', 'created_at', 'id'])
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('findings').execute()
  },
}
