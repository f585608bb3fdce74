import type { Selectable } from 'kysely'
import type { BillingDocumentRecord, BillingRepository } from '../../app/ports.js'
import type { BillingDocumentsTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/** Closed periods and their documents over Kysely: the primary key closes a period once. */
export class KyselyBillingRepository implements BillingRepository {
  constructor(private readonly session: SqlSession) {}

  async close(
    period: {
      readonly studioId: string
      readonly period: string
      readonly closedAt: string
      readonly closedBy: string
    },
    documents: readonly BillingDocumentRecord[],
  ): Promise<void> {
    await this.session.atomic('close billing period', async (db) => {
      await db
        .insertInto('billing_periods')
        .values({
          studio_id: period.studioId,
          period: period.period,
          closed_at: period.closedAt,
          closed_by: period.closedBy,
        })
        .execute()
      for (let i = 0; i < documents.length; i += 200) {
        await db
          .insertInto('billing_documents')
          .values(
            documents.slice(i, i + 200).map((d) => ({
              studio_id: d.studioId,
              id: d.id,
              period: d.period,
              kind: d.kind,
              party: d.party,
              currency: d.currency,
              total_minor: d.totalMinor,
              document: d.document,
              created_at: d.createdAt,
              log_submission: d.logSubmission,
            })),
          )
          .execute()
      }
    })
  }

  async closedPeriods(studioId: string): Promise<readonly string[]> {
    const rows = await this.session.read('list closed periods', (db) =>
      db
        .selectFrom('billing_periods')
        .select('period')
        .where('studio_id', '=', studioId)
        .orderBy('period')
        .execute(),
    )
    return rows.map((r) => r.period)
  }

  async documents(studioId: string, period: string): Promise<readonly BillingDocumentRecord[]> {
    const rows = await this.session.read('list billing documents', (db) =>
      db
        .selectFrom('billing_documents')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('period', '=', period)
        .orderBy('kind')
        .orderBy('id')
        .execute(),
    )
    return rows.map(toRecord)
  }

  async document(studioId: string, id: string): Promise<BillingDocumentRecord | null> {
    const row = await this.session.read('read billing document', (db) =>
      db
        .selectFrom('billing_documents')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toRecord(row)
  }
}

function toRecord(row: Selectable<BillingDocumentsTable>): BillingDocumentRecord {
  return {
    id: row.id,
    studioId: row.studio_id,
    period: row.period,
    kind: row.kind === 'statement' ? 'statement' : 'invoice',
    party: row.party,
    currency: row.currency,
    totalMinor: Number(row.total_minor),
    document: row.document,
    createdAt: row.created_at,
    logSubmission: row.log_submission ?? null,
  }
}
