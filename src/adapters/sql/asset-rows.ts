import type { Insertable, Selectable } from 'kysely'
import type {
  AnalysisFacts,
  Asset,
  AssetMetadata,
  AssetVersion,
  Visibility,
} from '../../core/archive/index.js'
import type {
  AssetColoursTable,
  AssetDesignersTable,
  AssetLineageTable,
  AssetMotifsTable,
  AssetsTable,
  AssetTagsTable,
  AssetVersionsTable,
} from './schema.js'

/** The index rows derived from one asset's metadata, for the list filters. */
export interface AssetIndexRows {
  readonly tags: Insertable<AssetTagsTable>[]
  readonly motifs: Insertable<AssetMotifsTable>[]
  readonly designers: Insertable<AssetDesignersTable>[]
  readonly colours: Insertable<AssetColoursTable>[]
  readonly lineage: Insertable<AssetLineageTable>[]
}

/**
 * Folds a title for case-insensitive search. Folding in JavaScript (rather than with SQL `lower`
 * or `ILIKE`) gives the same answer on both databases, beyond ASCII too: SQLite's `lower` and
 * `LIKE` only fold ASCII.
 */
export function foldTitle(title: string): string {
  return title.normalize('NFC').toLowerCase()
}

/** The columns of `assets` that derive from the metadata and visibility. */
export function describedColumns(
  metadata: AssetMetadata,
  visibility: Visibility,
): Pick<
  Insertable<AssetsTable>,
  'visibility' | 'title' | 'title_folded' | 'repeat_type' | 'collection_id' | 'metadata'
> {
  return {
    visibility,
    title: metadata.title,
    title_folded: foldTitle(metadata.title),
    repeat_type: metadata.repeat.type,
    collection_id: metadata.collectionId,
    metadata: JSON.stringify(metadata),
  }
}

/** The `assets` row of an asset. */
export function toAssetRow(asset: Asset): Insertable<AssetsTable> {
  return {
    studio_id: asset.studioId,
    id: asset.id,
    ...describedColumns(asset.metadata, asset.visibility),
    current_version: asset.currentVersion,
    sha256: asset.sha256,
    pdq_hash: asset.pdqHash,
    pdq_quality: asset.pdqQuality,
    created_at: asset.createdAt,
    updated_at: asset.updatedAt,
  }
}

/** The asset an `assets` row stores; the metadata document is the source of truth. */
export function fromAssetRow(row: Selectable<AssetsTable>): Asset {
  return {
    id: row.id,
    studioId: row.studio_id,
    visibility: row.visibility as Visibility,
    metadata: JSON.parse(row.metadata) as AssetMetadata,
    currentVersion: row.current_version,
    sha256: row.sha256,
    pdqHash: row.pdq_hash,
    pdqQuality: row.pdq_quality,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The `asset_versions` row of a version. */
export function toVersionRow(
  studioId: string,
  version: AssetVersion,
): Insertable<AssetVersionsTable> {
  return {
    studio_id: studioId,
    asset_id: version.assetId,
    version: version.version,
    sha256: version.sha256,
    size_bytes: version.sizeBytes,
    media_type: version.mediaType,
    analysis: JSON.stringify(version.analysis),
    created_at: version.createdAt,
  }
}

/** The version an `asset_versions` row stores. */
export function fromVersionRow(row: Selectable<AssetVersionsTable>): AssetVersion {
  return {
    assetId: row.asset_id,
    version: row.version,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    mediaType: row.media_type,
    analysis: JSON.parse(row.analysis) as AnalysisFacts,
    createdAt: row.created_at,
  }
}

/** The index rows for an asset's metadata; repeated labels and links are stored once. */
export function toIndexRows(
  studioId: string,
  assetId: string,
  metadata: AssetMetadata,
): AssetIndexRows {
  const key = { studio_id: studioId, asset_id: assetId }
  const designers = new Map<string, number>()
  for (const d of metadata.designers) {
    if (!designers.has(d.designerId)) designers.set(d.designerId, d.shareBps)
  }
  const lineage = new Map<string, Insertable<AssetLineageTable>>()
  for (const link of metadata.lineage) {
    lineage.set(JSON.stringify([link.relation, link.assetId]), {
      ...key,
      relation: link.relation,
      target_asset_id: link.assetId,
    })
  }
  return {
    tags: [...new Set(metadata.tags)].map((tag) => ({ ...key, tag })),
    motifs: [...new Set(metadata.motifs)].map((motif) => ({ ...key, motif })),
    designers: [...designers].map(([designerId, shareBps]) => ({
      ...key,
      designer_id: designerId,
      share_bps: shareBps,
    })),
    colours: metadata.palette.map((colour, position) => ({
      ...key,
      position,
      hex: colour.hex,
      l: colour.lab[0],
      a: colour.lab[1],
      b: colour.lab[2],
      coverage: colour.coverage,
    })),
    lineage: [...lineage.values()],
  }
}
