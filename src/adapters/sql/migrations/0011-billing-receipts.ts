import type { Kysely, Migration } from 'kysely'

/**
 * The log submission of each billing document's `*.issued` entry, from which its receipt is
 * proven. Null for documents closed before receipts existed: those have no receipt.
 */
export const billingReceiptsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('billing_documents').addColumn('log_submission', 'text').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('billing_documents').dropColumn('log_submission').execute()
  },
}
