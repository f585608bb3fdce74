import { type Kysely, type Migration, sql } from 'kysely'

// Binary columns are `bytea`: PostgreSQL's binary type, and on SQLite a declared type with NUMERIC
// affinity, which stores a bound Buffer as a BLOB unchanged (SQLite §3.1 "Determination Of Column
// Affinity"). Indexes and sizes are bigint: a log outlives 2^31 entries.

/**
 * The transparency log: entries, Go-tlog stored hashes, signed checkpoints (one per size, so
 * the database itself refuses a fork), the durable submission queue, witness cosignatures on
 * our checkpoints, and the state this instance keeps as a witness of other logs.
 */
export const logMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('log_entries')
      .addColumn('idx', 'bigint', (c) => c.primaryKey())
      .addColumn('entry', 'bytea', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('log_hashes')
      .addColumn('idx', 'bigint', (c) => c.primaryKey())
      .addColumn('hash', 'bytea', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('log_checkpoints')
      .addColumn('size', 'bigint', (c) => c.primaryKey())
      .addColumn('root_hash', 'bytea', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('log_pending')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('entry', 'bytea', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('idx', 'bigint')
      .execute()
    // The sequencer's queue: unassigned rows, oldest first; assigned rows stay out of it.
    await db.schema
      .createIndex('log_pending_queue_idx')
      .on('log_pending')
      .columns(['submitted_at', 'id'])
      .where(sql.ref('idx'), 'is', null)
      .execute()

    await db.schema
      .createTable('log_cosignatures')
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('witness', 'text', (c) => c.notNull())
      .addColumn('line', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('log_cosignatures_pk', ['size', 'witness'])
      .execute()

    await db.schema
      .createTable('witness_logs')
      .addColumn('origin', 'text', (c) => c.primaryKey())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('root_hash', 'bytea', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'witness_logs',
      'log_cosignatures',
      'log_pending',
      'log_checkpoints',
      'log_hashes',
      'log_entries',
    ]) {
      await db.schema.dropTable(table).execute()
    }
  },
}
