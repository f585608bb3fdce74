import type { Selectable } from 'kysely'
import type { PricePlanRecord, PricePlanRepository } from '../../app/ports.js'
import { parsePriceModel } from '../../core/metering/index.js'
import type { PricePlansTable } from './schema.js'
import type { SqlSession } from './sql-session.js'

/** Price plans over Kysely: a change is a new row; the newest applies. */
export class KyselyPricePlanRepository implements PricePlanRepository {
  constructor(private readonly session: SqlSession) {}

  async add(record: PricePlanRecord): Promise<void> {
    await this.session.write('add price plan', (db) =>
      db
        .insertInto('price_plans')
        .values({
          studio_id: record.studioId,
          id: record.id,
          asset_id: record.assetId,
          kind: record.kind,
          model: JSON.stringify(record.model),
          created_at: record.createdAt,
        })
        .execute(),
    )
  }

  async current(studioId: string, assetId: string, kind: string): Promise<PricePlanRecord | null> {
    const rows = await this.session.read('read price plan', (db) =>
      db
        .selectFrom('price_plans')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('kind', '=', kind)
        .where((eb) => eb.or([eb('asset_id', '=', assetId), eb('asset_id', 'is', null)]))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),
    )
    const own = rows.find((r) => r.asset_id === assetId) ?? rows.find((r) => r.asset_id === null)
    return own === undefined ? null : toRecord(own)
  }

  async list(studioId: string): Promise<readonly PricePlanRecord[]> {
    const rows = await this.session.read('list price plans', (db) =>
      db
        .selectFrom('price_plans')
        .selectAll()
        .where('studio_id', '=', studioId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    )
    return rows.map(toRecord)
  }
}

function toRecord(row: Selectable<PricePlansTable>): PricePlanRecord {
  return {
    id: row.id,
    studioId: row.studio_id,
    assetId: row.asset_id,
    kind: row.kind,
    model: parsePriceModel(JSON.parse(row.model)),
    createdAt: row.created_at,
  }
}
