import { type Selectable, sql } from 'kysely'
import type { AgreementRecord, AgreementRepository } from '../../app/ports.js'
import type { AgreementsTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

// The first key of PostgreSQL's two-key advisory lock: a constant naming "agreements on an
// asset", so these locks never collide with another feature's.
const AGREEMENT_LOCK_CLASS = 0x534c_4147

/** Agreements and exclusive sales over Kysely. */
export class KyselyAgreementRepository implements AgreementRepository {
  constructor(private readonly session: SqlSession) {}

  async create(record: AgreementRecord): Promise<void> {
    await this.session.atomic('create agreement', async (db) => {
      await db
        .insertInto('agreements')
        .values({
          studio_id: record.studioId,
          id: record.id,
          asset_id: record.assetId,
          licence_version: record.licenceVersion,
          assignee: record.assignee,
          action: record.action,
          units: record.units,
          grant_id: record.grantId,
          licence_ids: JSON.stringify(record.licenceIds),
          exclusive: record.exclusive ? 1 : 0,
          agreement: JSON.stringify(record.agreement),
          created_at: record.createdAt,
          expires_at: record.expiresAt,
        })
        .execute()
      if (record.exclusive) {
        await db
          .insertInto('exclusive_sales')
          .values({
            studio_id: record.studioId,
            asset_id: record.assetId,
            agreement_id: record.id,
            assignee: record.assignee,
            created_at: record.createdAt,
          })
          .execute()
      }
    })
  }

  async revoke(
    studioId: string,
    agreementId: string,
    revocation: { readonly at: string; readonly by: string; readonly reason: string | null },
  ): Promise<boolean> {
    const result = await this.session.write('revoke agreement', (db) =>
      db
        .insertInto('agreement_revocations')
        .values({
          studio_id: studioId,
          agreement_id: agreementId,
          revoked_at: revocation.at,
          revoked_by: revocation.by,
          reason: revocation.reason,
        })
        .onConflict((oc) => oc.columns(['studio_id', 'agreement_id']).doNothing())
        .executeTakeFirst(),
    )
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
  }

  async revokedAt(studioId: string, agreementId: string): Promise<string | null> {
    const row = await this.session.read('read agreement revocation', (db) =>
      db
        .selectFrom('agreement_revocations')
        .select('revoked_at')
        .where('studio_id', '=', studioId)
        .where('agreement_id', '=', agreementId)
        .executeTakeFirst(),
    )
    return row?.revoked_at ?? null
  }

  async get(studioId: string, id: string): Promise<AgreementRecord | null> {
    const row = await this.session.read('read agreement', (db) =>
      db
        .selectFrom('agreements')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toRecord(row)
  }

  async findByGrantId(grantId: string): Promise<AgreementRecord | null> {
    const row = await this.session.read('find agreement by grant', (db) =>
      db.selectFrom('agreements').selectAll().where('grant_id', '=', grantId).executeTakeFirst(),
    )
    return row === undefined ? null : toRecord(row)
  }

  async listForAssignee(studioId: string, assignee: string): Promise<readonly AgreementRecord[]> {
    const rows = await this.session.read('list agreements', (db) =>
      db
        .selectFrom('agreements')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('assignee', '=', assignee)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute(),
    )
    return rows.map(toRecord)
  }

  async exclusiveHolder(
    studioId: string,
    assetId: string,
  ): Promise<{ assignee: string; agreementId: string } | null> {
    const row = await this.session.read('read exclusive sale', (db) =>
      db
        .selectFrom('exclusive_sales')
        .select(['assignee', 'agreement_id'])
        .where('studio_id', '=', studioId)
        .where('asset_id', '=', assetId)
        .executeTakeFirst(),
    )
    return row === undefined ? null : { assignee: row.assignee, agreementId: row.agreement_id }
  }

  async lockAsset(studioId: string, assetId: string): Promise<void> {
    if (!this.session.isTransaction) return
    switch (this.session.traits.name) {
      case 'sqlite':
        // `begin immediate` already holds the database's one write lock for the whole
        // transaction, so SQLite transactions that make agreements never interleave.
        return
      case 'postgres':
        await this.session.read('lock asset for agreements', (db) =>
          sql`select pg_advisory_xact_lock(${AGREEMENT_LOCK_CLASS}, hashtext(${`${studioId}/${assetId}`}))`.execute(
            db,
          ),
        )
        return
    }
  }
}

function toRecord(row: Selectable<AgreementsTable>): AgreementRecord {
  return {
    id: row.id,
    studioId: row.studio_id,
    assetId: row.asset_id,
    licenceVersion: Number(row.licence_version),
    assignee: row.assignee,
    action: row.action,
    units: row.units === null ? null : Number(row.units),
    grantId: row.grant_id,
    licenceIds: JSON.parse(row.licence_ids) as string[],
    exclusive: Number(row.exclusive) === 1,
    agreement: JSON.parse(row.agreement) as Record<string, unknown>,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }
}
