import { sql } from 'kysely'
import type { LicenceRepository, LicenceVersionRecord } from '../../app/ports.js'
import type { LicenceVersionsTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/** Licence versions over Kysely: rows are only ever inserted. */
export class KyselyLicenceRepository implements LicenceRepository {
  constructor(private readonly session: SqlSession) {}

  async append(record: Omit<LicenceVersionRecord, 'version'>): Promise<LicenceVersionRecord> {
    return this.session.atomic('attach licence', async (db) => {
      const latest = await db
        .selectFrom('licence_versions')
        .select((eb) => eb.fn.max('version').as('latest'))
        .where('studio_id', '=', record.studioId)
        .where('asset_id', '=', record.assetId)
        .executeTakeFirst()
      const version = Number(latest?.latest ?? 0) + 1
      // Two writers that read the same latest both insert `version`: the primary key lets one in.
      await db
        .insertInto('licence_versions')
        .values({
          studio_id: record.studioId,
          asset_id: record.assetId,
          version,
          policy: JSON.stringify(record.policy),
          source: record.source,
          created_by: record.createdBy,
          created_at: record.createdAt,
        })
        .execute()
      return { ...record, version }
    })
  }

  async current(studioId: string, assetId: string): Promise<LicenceVersionRecord | null> {
    const row = await this.session.read('read licence', (db) =>
      db
        .selectFrom('licence_versions')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('asset_id', '=', assetId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toRecord(row)
  }

  async version(
    studioId: string,
    assetId: string,
    version: number,
  ): Promise<LicenceVersionRecord | null> {
    const row = await this.session.read('read licence version', (db) =>
      db
        .selectFrom('licence_versions')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('asset_id', '=', assetId)
        .where('version', '=', version)
        .executeTakeFirst(),
    )
    return row === undefined ? null : toRecord(row)
  }

  async versions(studioId: string, assetId: string): Promise<readonly LicenceVersionRecord[]> {
    const rows = await this.session.read('list licence versions', (db) =>
      db
        .selectFrom('licence_versions')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('asset_id', '=', assetId)
        .orderBy('version', 'asc')
        .execute(),
    )
    return rows.map(toRecord)
  }

  async currentAll(studioId: string): Promise<readonly LicenceVersionRecord[]> {
    const rows = await this.session.read('list current licences', (db) =>
      db
        .selectFrom('licence_versions as l')
        .selectAll('l')
        .where('l.studio_id', '=', studioId)
        .where(({ eb, selectFrom }) =>
          eb(
            'l.version',
            '=',
            selectFrom('licence_versions as m')
              .select(sql<number>`max(m.version)`.as('v'))
              .whereRef('m.studio_id', '=', 'l.studio_id')
              .whereRef('m.asset_id', '=', 'l.asset_id'),
          ),
        )
        .orderBy('l.asset_id', 'asc')
        .execute(),
    )
    return rows.map(toRecord)
  }
}

function toRecord(row: LicenceVersionsTable): LicenceVersionRecord {
  return {
    studioId: row.studio_id,
    assetId: row.asset_id,
    version: Number(row.version),
    policy: JSON.parse(row.policy) as Record<string, unknown>,
    source: row.source,
    createdBy: row.created_by,
    createdAt: row.created_at,
  }
}
