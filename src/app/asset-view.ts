import type { Asset, AssetVersion } from '../core/archive/index.js'
import type { ProvenanceTier } from '../core/provenance/index.js'

/** An asset as the API and CLI show it. */
export interface AssetView {
  readonly id: string
  readonly studioId: string
  readonly visibility: string
  readonly title: string
  readonly description: string
  readonly designers: readonly {
    readonly id: string
    readonly name: string
    readonly shareBps?: number
  }[]
  readonly collection: { readonly id: string; readonly name: string } | null
  readonly tags: readonly string[]
  readonly motifs: readonly string[]
  readonly lineage: readonly { readonly relation: string; readonly assetId: string }[]
  readonly repeat: Asset['metadata']['repeat']
  readonly print: Asset['metadata']['print']
  readonly construction: Asset['metadata']['construction']
  readonly palette: Asset['metadata']['palette']
  readonly currentVersion: number
  readonly sha256: string
  readonly pdq: { readonly hash: string; readonly quality: number }
  readonly createdAt: string
  readonly updatedAt: string
  /** The provenance tier derived from the authorship journal (`unknown` without one). */
  readonly tier: ProvenanceTier
  readonly versions?: readonly VersionView[]
  /** The `asset.registered` entry's index in the transparency log (in ingest answers only). */
  readonly logIndex?: number
}

export interface VersionView {
  readonly version: number
  readonly sha256: string
  readonly sizeBytes: number
  readonly mediaType: string
  readonly width: number
  readonly height: number
  readonly analysis: AssetVersion['analysis']
  readonly createdAt: string
}

/**
 * Shapes an asset for output. Outside parties (`full: false`) see published assets' public
 * fields only: designer shares and lineage links (which may name unpublished work) are withheld.
 */
export function toAssetView(
  asset: Asset,
  opts: {
    full: boolean
    collectionName: string | null
    tier: ProvenanceTier
    versions?: readonly AssetVersion[]
  },
): AssetView {
  const m = asset.metadata
  const view: AssetView = {
    id: asset.id,
    studioId: asset.studioId,
    visibility: asset.visibility,
    title: m.title,
    description: m.description,
    designers: m.designers.map((d) =>
      opts.full
        ? { id: d.designerId, name: d.name, shareBps: d.shareBps }
        : { id: d.designerId, name: d.name },
    ),
    collection:
      m.collectionId === null ? null : { id: m.collectionId, name: opts.collectionName ?? '' },
    tags: m.tags,
    motifs: m.motifs,
    lineage: opts.full ? m.lineage : [],
    repeat: m.repeat,
    print: m.print,
    construction: m.construction,
    palette: m.palette,
    currentVersion: asset.currentVersion,
    sha256: asset.sha256,
    pdq: { hash: asset.pdqHash, quality: asset.pdqQuality },
    createdAt: asset.createdAt,
    updatedAt: asset.updatedAt,
    tier: opts.tier,
  }
  if (opts.versions === undefined) return view
  return {
    ...view,
    versions: opts.versions.map((v) => ({
      version: v.version,
      sha256: v.sha256,
      sizeBytes: v.sizeBytes,
      mediaType: v.mediaType,
      width: v.analysis.width,
      height: v.analysis.height,
      analysis: v.analysis,
      createdAt: v.createdAt,
    })),
  }
}
