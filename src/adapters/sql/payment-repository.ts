import type { Selectable } from 'kysely'
import type { PaymentRecord, PaymentRepository } from '../../app/ports.js'
import type { PaymentsTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/** Wallet top-ups over Kysely; only the status of a pending payment ever changes. */
export class KyselyPaymentRepository implements PaymentRepository {
  constructor(private readonly session: SqlSession) {}

  async create(record: PaymentRecord): Promise<void> {
    await this.session.write('create payment', (db) =>
      db
        .insertInto('payments')
        .values({
          studio_id: record.studioId,
          id: record.id,
          party: record.party,
          currency: record.currency,
          amount_minor: record.amountMinor,
          provider: record.provider,
          status: record.status,
          created_at: record.createdAt,
          created_by: record.createdBy,
          confirmed_at: record.confirmedAt,
          confirmed_by: record.confirmedBy,
        })
        .execute(),
    )
  }

  async get(studioId: string, id: string): Promise<PaymentRecord | null> {
    const row = await this.session.read('read payment', (db) =>
      db
        .selectFrom('payments')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toRecord(row)
  }

  async confirm(studioId: string, id: string, at: string, by: string): Promise<boolean> {
    const result = await this.session.write('confirm payment', (db) =>
      db
        .updateTable('payments')
        .set({ status: 'confirmed', confirmed_at: at, confirmed_by: by })
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    )
    return Number(result.numUpdatedRows) === 1
  }

  async list(studioId: string, party?: string): Promise<readonly PaymentRecord[]> {
    const rows = await this.session.read('list payments', (db) => {
      let q = db.selectFrom('payments').selectAll().where('studio_id', '=', studioId)
      if (party !== undefined) q = q.where('party', '=', party)
      return q.orderBy('created_at').orderBy('id').execute()
    })
    return rows.map(toRecord)
  }
}

function toRecord(row: Selectable<PaymentsTable>): PaymentRecord {
  return {
    id: row.id,
    studioId: row.studio_id,
    party: row.party,
    currency: row.currency,
    amountMinor: Number(row.amount_minor),
    provider: row.provider,
    status: row.status === 'confirmed' ? 'confirmed' : 'pending',
    createdAt: row.created_at,
    createdBy: row.created_by,
    confirmedAt: row.confirmed_at,
    confirmedBy: row.confirmed_by,
  }
}
