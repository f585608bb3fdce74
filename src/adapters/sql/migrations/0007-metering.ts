import type { Kysely, Migration } from 'kysely'

/**
 * Metering and royalties: usage events (idempotent on their key forever), the batches their
 * log entries commit to, cumulative meters per grant, holds on grants whose usage awaits
 * payment, the double-entry ledger, wallet top-ups, price plans, and closed billing periods
 * with their documents. Money is integer minor units (bigint); nothing here is ever updated
 * except a payment's status, a meter's running total and a hold.
 */
export const meteringMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('usage_batches')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('event_count', 'integer', (c) => c.notNull())
      .addColumn('units', 'bigint', (c) => c.notNull())
      .addColumn('merkle_root', 'text', (c) => c.notNull())
      .addColumn('log_entry', 'text', (c) => c.notNull())
      .addColumn('log_submission', 'text')
      .addPrimaryKeyConstraint('usage_batches_pk', ['studio_id', 'id'])
      .addForeignKeyConstraint('usage_batches_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()
    await db.schema
      .createTable('usage_events')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('event_key', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('batch_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('grant_id', 'text', (c) => c.notNull())
      .addColumn('agreement_id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.notNull())
      .addColumn('assignee', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('units', 'bigint', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('canonical', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('usage_events_pk', ['studio_id', 'event_key'])
      .execute()
    await db.schema
      .createIndex('usage_events_period_idx')
      .on('usage_events')
      .columns(['studio_id', 'period', 'grant_id'])
      .execute()
    await db.schema
      .createIndex('usage_events_batch_idx')
      .on('usage_events')
      .columns(['studio_id', 'batch_id', 'seq'])
      .execute()
    await db.schema
      .createTable('usage_meters')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('units', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('usage_meters_pk', ['studio_id', 'grant_id', 'kind'])
      .execute()
    await db.schema
      .createTable('grant_holds')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('grant_holds_pk', ['studio_id', 'grant_id'])
      .execute()
    await db.schema
      .createTable('ledger_transactions')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('memo', 'text')
      .addColumn('refs', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ledger_transactions_pk', ['studio_id', 'id'])
      .addForeignKeyConstraint('ledger_transactions_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()
    await db.schema
      .createIndex('ledger_transactions_period_idx')
      .on('ledger_transactions')
      .columns(['studio_id', 'period', 'created_at'])
      .execute()
    await db.schema
      .createTable('ledger_entries')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('tx_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ledger_entries_pk', ['studio_id', 'tx_id', 'seq'])
      .addForeignKeyConstraint(
        'ledger_entries_tx_fk',
        ['studio_id', 'tx_id'],
        'ledger_transactions',
        ['studio_id', 'id'],
      )
      .execute()
    await db.schema
      .createIndex('ledger_entries_account_idx')
      .on('ledger_entries')
      .columns(['studio_id', 'account', 'currency'])
      .execute()
    await db.schema
      .createTable('payments')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('party', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('confirmed_at', 'text')
      .addColumn('confirmed_by', 'text')
      .addPrimaryKeyConstraint('payments_pk', ['studio_id', 'id'])
      .addForeignKeyConstraint('payments_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()
    await db.schema
      .createTable('price_plans')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('price_plans_pk', ['studio_id', 'id'])
      .addForeignKeyConstraint('price_plans_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()
    await db.schema
      .createTable('billing_periods')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text', (c) => c.notNull())
      .addColumn('closed_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('billing_periods_pk', ['studio_id', 'period'])
      .addForeignKeyConstraint('billing_periods_studio_fk', ['studio_id'], 'studios', ['id'])
      .execute()
    await db.schema
      .createTable('billing_documents')
      .addColumn('studio_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('party', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('total_minor', 'bigint', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('billing_documents_pk', ['studio_id', 'id'])
      .addForeignKeyConstraint(
        'billing_documents_period_fk',
        ['studio_id', 'period'],
        'billing_periods',
        ['studio_id', 'period'],
      )
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'billing_documents',
      'billing_periods',
      'price_plans',
      'payments',
      'ledger_entries',
      'ledger_transactions',
      'grant_holds',
      'usage_meters',
      'usage_events',
      'usage_batches',
    ]) {
      await db.schema.dropTable(table).execute()
    }
  },
}
