import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely'
import type { AssetFilter, AssetRepository, Page } from '../../app/ports.js'
import { StorageError } from '../../app/storage-error.js'
import type { Asset, AssetMetadata, AssetVersion, Visibility } from '../../core/archive/index.js'
import {
  describedColumns,
  foldTitle,
  fromAssetRow,
  fromVersionRow,
  toAssetRow,
  toIndexRows,
  toVersionRow,
} from './asset-rows.js'
import { clampPageLimit, decodeCursor, pageOf } from './page-cursor.js'
import type { Database } from './schema.js'
import type { SqlSession } from './sql-session.js'

type AssetsScope = ExpressionBuilder<Database, 'assets'>

/**
 * Patterns and their versions over Kysely. Every statement filters by studio. Writes that touch
 * several tables (`create`, `addVersion`, `update`) are atomic, joining the caller's transaction
 * when there is one.
 */
export class KyselyAssetRepository implements AssetRepository {
  constructor(private readonly session: SqlSession) {}

  /**
   * Throws `STORAGE_CONFLICT` when the studio already holds the file (in any version) or the id
   * is taken; `STORAGE_FAILURE` when the version belongs to another asset or is not the asset's
   * current version, or when a referenced collection, designer or lineage target does not exist.
   */
  async create(asset: Asset, version: AssetVersion): Promise<void> {
    if (version.assetId !== asset.id || version.version !== asset.currentVersion) {
      throw new StorageError(
        'STORAGE_FAILURE',
        `create asset: version ${version.assetId}#${version.version} is not the current version of ${asset.id}`,
      )
    }
    await this.session.atomic('create asset', async (db) => {
      await db.insertInto('assets').values(toAssetRow(asset)).execute()
      await db.insertInto('asset_versions').values(toVersionRow(asset.studioId, version)).execute()
      await insertIndexRows(db, asset.studioId, asset.id, asset.metadata)
    })
  }

  /**
   * The new version must be the asset's current version plus one; otherwise (a concurrent
   * `addVersion` won) it throws `STORAGE_CONFLICT`, as it does when the studio already holds the
   * file. Throws `STORAGE_FAILURE` when the asset does not exist in the studio.
   */
  async addVersion(studioId: string, version: AssetVersion, updatedAt: string): Promise<void> {
    await this.session.atomic('add asset version', async (db) => {
      const moved = await db
        .updateTable('assets')
        .set({
          current_version: version.version,
          sha256: version.sha256,
          pdq_hash: version.analysis.pdq.hash,
          pdq_quality: version.analysis.pdq.quality,
          updated_at: updatedAt,
        })
        .where('studio_id', '=', studioId)
        .where('id', '=', version.assetId)
        .where('current_version', '=', version.version - 1)
        .executeTakeFirst()
      if (moved.numUpdatedRows === 0n) {
        const exists = await db
          .selectFrom('assets')
          .select('id')
          .where('studio_id', '=', studioId)
          .where('id', '=', version.assetId)
          .executeTakeFirst()
        throw exists === undefined
          ? new StorageError('STORAGE_FAILURE', `add asset version: no asset ${version.assetId}`)
          : new StorageError(
              'STORAGE_CONFLICT',
              `add asset version: asset ${version.assetId} is not at version ${version.version - 1}`,
            )
      }
      await db.insertInto('asset_versions').values(toVersionRow(studioId, version)).execute()
    })
  }

  async get(studioId: string, id: string): Promise<Asset | null> {
    const row = await this.session.read('get asset', (db) =>
      db
        .selectFrom('assets')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row === undefined ? null : fromAssetRow(row)
  }

  async findBySha256(studioId: string, sha256: string): Promise<Asset | null> {
    const row = await this.session.read('find asset by sha256', (db) =>
      db
        .selectFrom('asset_versions as v')
        .innerJoin('assets', (join) =>
          join.onRef('assets.studio_id', '=', 'v.studio_id').onRef('assets.id', '=', 'v.asset_id'),
        )
        .selectAll('assets')
        .where('v.studio_id', '=', studioId)
        .where('v.sha256', '=', sha256)
        .executeTakeFirst(),
    )
    return row === undefined ? null : fromAssetRow(row)
  }

  /** Oldest version first. */
  async versions(studioId: string, assetId: string): Promise<readonly AssetVersion[]> {
    const rows = await this.session.read('list asset versions', (db) =>
      db
        .selectFrom('asset_versions')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('asset_id', '=', assetId)
        .orderBy('version', 'asc')
        .execute(),
    )
    return rows.map(fromVersionRow)
  }

  async version(studioId: string, assetId: string, version: number): Promise<AssetVersion | null> {
    const row = await this.session.read('get asset version', (db) =>
      db
        .selectFrom('asset_versions')
        .selectAll()
        .where('studio_id', '=', studioId)
        .where('asset_id', '=', assetId)
        .where('version', '=', version)
        .executeTakeFirst(),
    )
    return row === undefined ? null : fromVersionRow(row)
  }

  /**
   * Keyset pagination over (created_at desc, id desc): a page starts strictly after the cursor's
   * row, so rows inserted meanwhile never shift a page. `limit` is clamped to 1..200. A cursor
   * this method did not make throws `ArchiveError('ASSET_QUERY_INVALID')`.
   */
  async list(
    studioId: string,
    filter: AssetFilter,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<Asset>> {
    const limit = clampPageLimit(page.limit)
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor)
    const rows = await this.session.read('list assets', (db) => {
      let query = db.selectFrom('assets').selectAll().where('studio_id', '=', studioId)
      query = query.where((eb) => eb.and(filterConditions(eb, filter)))
      if (after !== null) {
        query = query.where((eb) =>
          eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)),
        )
      }
      return query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute()
    })
    return pageOf(rows, limit, fromAssetRow)
  }

  async update(
    studioId: string,
    id: string,
    change: { readonly metadata: AssetMetadata; readonly visibility: Visibility },
    updatedAt: string,
  ): Promise<boolean> {
    return this.session.atomic('update asset', async (db) => {
      const updated = await db
        .updateTable('assets')
        .set({ ...describedColumns(change.metadata, change.visibility), updated_at: updatedAt })
        .where('studio_id', '=', studioId)
        .where('id', '=', id)
        .executeTakeFirst()
      if (updated.numUpdatedRows === 0n) return false
      for (const table of [
        'asset_tags',
        'asset_motifs',
        'asset_designers',
        'asset_colours',
        'asset_lineage',
      ] as const) {
        await db
          .deleteFrom(table)
          .where('studio_id', '=', studioId)
          .where('asset_id', '=', id)
          .execute()
      }
      await insertIndexRows(db, studioId, id, change.metadata)
      return true
    })
  }

  /** Ordered by studio, then asset id. */
  async pdqHashes(studioId?: string): Promise<
    readonly {
      readonly studioId: string
      readonly assetId: string
      readonly pdqHash: string
      readonly pdqQuality: number
    }[]
  > {
    const rows = await this.session.read('list pdq hashes', (db) => {
      let query = db.selectFrom('assets').select(['studio_id', 'id', 'pdq_hash', 'pdq_quality'])
      if (studioId !== undefined) query = query.where('studio_id', '=', studioId)
      return query.orderBy('studio_id', 'asc').orderBy('id', 'asc').execute()
    })
    return rows.map((r) => ({
      studioId: r.studio_id,
      assetId: r.id,
      pdqHash: r.pdq_hash,
      pdqQuality: r.pdq_quality,
    }))
  }
}

// A LIKE pattern matching `needle` literally: the wildcards and the escape character itself are
// escaped, since the needle is a client's search text.
function containsPattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function filterConditions(eb: AssetsScope, filter: AssetFilter): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = []
  if (filter.repeatType !== undefined) conditions.push(eb('repeat_type', '=', filter.repeatType))
  if (filter.collectionId !== undefined) {
    conditions.push(eb('collection_id', '=', filter.collectionId))
  }
  if (filter.visibility !== undefined) conditions.push(eb('visibility', '=', filter.visibility))
  if (filter.titleContains !== undefined) {
    const pattern = containsPattern(foldTitle(filter.titleContains))
    conditions.push(sql<SqlBool>`${eb.ref('title_folded')} like ${pattern} escape '\\'`)
  }
  if (filter.tag !== undefined) {
    const tag = filter.tag
    conditions.push(
      eb.exists(
        eb
          .selectFrom('asset_tags as t')
          .select(sql.lit(1).as('one'))
          .whereRef('t.studio_id', '=', 'assets.studio_id')
          .whereRef('t.asset_id', '=', 'assets.id')
          .where('t.tag', '=', tag),
      ),
    )
  }
  if (filter.motif !== undefined) {
    const motif = filter.motif
    conditions.push(
      eb.exists(
        eb
          .selectFrom('asset_motifs as m')
          .select(sql.lit(1).as('one'))
          .whereRef('m.studio_id', '=', 'assets.studio_id')
          .whereRef('m.asset_id', '=', 'assets.id')
          .where('m.motif', '=', motif),
      ),
    )
  }
  if (filter.designerId !== undefined) {
    const designerId = filter.designerId
    conditions.push(
      eb.exists(
        eb
          .selectFrom('asset_designers as d')
          .select(sql.lit(1).as('one'))
          .whereRef('d.studio_id', '=', 'assets.studio_id')
          .whereRef('d.asset_id', '=', 'assets.id')
          .where('d.designer_id', '=', designerId),
      ),
    )
  }
  if (filter.labBox !== undefined) {
    const box = filter.labBox
    conditions.push(
      eb.exists(
        eb
          .selectFrom('asset_colours as c')
          .select(sql.lit(1).as('one'))
          .whereRef('c.studio_id', '=', 'assets.studio_id')
          .whereRef('c.asset_id', '=', 'assets.id')
          .where('c.l', '>=', box.lMin)
          .where('c.l', '<=', box.lMax)
          .where('c.a', '>=', box.aMin)
          .where('c.a', '<=', box.aMax)
          .where('c.b', '>=', box.bMin)
          .where('c.b', '<=', box.bMax),
      ),
    )
  }
  return conditions
}

async function insertIndexRows(
  db: Kysely<Database>,
  studioId: string,
  assetId: string,
  metadata: AssetMetadata,
): Promise<void> {
  const rows = toIndexRows(studioId, assetId, metadata)
  if (rows.tags.length > 0) await db.insertInto('asset_tags').values(rows.tags).execute()
  if (rows.motifs.length > 0) await db.insertInto('asset_motifs').values(rows.motifs).execute()
  if (rows.designers.length > 0) {
    await db.insertInto('asset_designers').values(rows.designers).execute()
  }
  if (rows.colours.length > 0) await db.insertInto('asset_colours').values(rows.colours).execute()
  if (rows.lineage.length > 0) await db.insertInto('asset_lineage').values(rows.lineage).execute()
}
