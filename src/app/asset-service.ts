import { type Caller, can, requirePermission } from '../core/access/index.js'
import {
  ArchiveError,
  type Asset,
  type AssetMetadata,
  type AssetVersion,
  type MetadataInput,
  pixelsToCm,
  REPEAT_TYPES,
  type RepeatType,
  resolveShares,
  type Visibility,
} from '../core/archive/index.js'
import { canonicalJsonBytes } from '../core/canonical-json/index.js'
import { deltaE2000, hexToLab } from '../core/colour/index.js'
import type { RgbImage } from '../core/image/index.js'
import { pdqHash } from '../core/pdq/index.js'
import { PROVENANCE_TIERS, type ProvenanceTier } from '../core/provenance/index.js'
import { analyseFile, sha256Hex } from './analyse-file.js'
import { type AssetView, toAssetView } from './asset-view.js'
import type { EventLog } from './log/index.js'
import type { AssetFilter, BlobStore, Clock, IdSource, ImageCodec, Store } from './ports.js'
import {
  DEFAULT_MATCH_DISTANCE,
  MIN_MATCH_QUALITY,
  type SimilarityIndex,
} from './similarity-index.js'
import { StorageError } from './storage-error.js'

/** Print resolution assumed when a client gives none. */
export const DEFAULT_DPI = 300
/** Default colour-search tolerance (CIEDE2000). */
export const DEFAULT_COLOUR_TOLERANCE = 10

export interface IngestResult {
  readonly status: 'created' | 'existing'
  readonly asset: AssetView
  /**
   * The `asset.registered` log submission of a created asset, when ingest did not wait for it
   * (`waitForLog: false`): pass it to the log's `waitFor`.
   */
  readonly logSubmission?: string
}

/**
 * Records authorship steps that come with a new version (implemented by the provenance
 * service), so that the version and its steps commit in one transaction.
 */
export interface VersionStepRecorder {
  /**
   * Checks `raw` (an array of steps) against the asset's journal as if `version` were already
   * stored, writing nothing; throws to refuse the version. Answers the writes to make.
   */
  prepareVersionSteps(
    caller: Caller,
    version: AssetVersion,
    raw: unknown,
  ): Promise<PreparedVersionSteps>
}

/** Steps checked for a new version, ready to be written with it. */
export interface PreparedVersionSteps {
  /** How many steps will be appended. */
  readonly count: number
  /**
   * Appends the steps inside the version's transaction, after the version row, re-checking
   * them against the journal as read there; throwing rolls the version back.
   */
  write(tx: Store): Promise<void>
  /** After the commit: waits until the steps' log entries are sequenced. */
  settle(): Promise<void>
}

export interface AssetQuery {
  readonly repeat?: string
  readonly tag?: string
  readonly motif?: string
  readonly collection?: string
  readonly designer?: string
  readonly visibility?: string
  readonly q?: string
  /** `#rrggbb`: assets with a palette colour within `colourTolerance` ΔE2000 of it. */
  readonly colour?: string
  readonly colourTolerance?: number
  /** Provenance tier (`human-made`, `human-directed`, `synthetic`, `unknown`). */
  readonly tier?: string
  readonly limit?: number
  readonly cursor?: string
}

export interface SimilarHit {
  readonly assetId: string
  readonly distance: number
  readonly title: string
}

/**
 * The pattern archive's use cases: ingest, read, list, search, edit. Every read and write is
 * scoped to the caller's studio; outside parties see published assets only.
 */
export class AssetService {
  constructor(
    private readonly deps: {
      store: Store
      blobs: BlobStore
      codec: ImageCodec
      ids: IdSource
      clock: Clock
      similarity: SimilarityIndex
      /** The transparency log; without it, registrations are not logged. */
      log?: EventLog
      /** Records authorship steps posted with a new version; without it, `steps` are refused. */
      versionSteps?: VersionStepRecorder
    },
  ) {}

  /**
   * Stores a new pattern, or returns the existing asset when the studio already has this exact
   * file. The file is validated, decoded and analysed before anything is written; the blob is
   * written before the rows, and the rows in one transaction, so a failure leaves no asset.
   * A created asset's `asset.registered` log entry is queued in that transaction; ingest
   * answers with its `logIndex` once a signed checkpoint covers it, or, with
   * `waitForLog: false`, at once with the `logSubmission` to wait for (bulk ingest waits once).
   */
  async ingest(
    caller: Caller,
    input: { bytes: Uint8Array; metadata?: MetadataInput; filename?: string },
    opts: { readonly waitForLog?: boolean } = {},
  ): Promise<IngestResult> {
    requirePermission(caller, 'asset.write')
    const { store } = this.deps
    const sha256 = sha256Hex(input.bytes)
    const existing = await store.assets.findBySha256(caller.studioId, sha256)
    if (existing !== null) return { status: 'existing', asset: await this.view(caller, existing) }

    const analysed = await analyseFile(this.deps.codec, input.bytes)
    const meta = input.metadata ?? {}
    await this.checkLineage(caller.studioId, meta, null)
    await this.deps.blobs.put(input.bytes)

    const now = this.deps.clock.nowIso()
    const id = this.deps.ids.next('ast')
    const facts = analysed.facts
    const version: AssetVersion = {
      assetId: id,
      version: 1,
      sha256,
      sizeBytes: input.bytes.byteLength,
      mediaType: analysed.probe.mediaType,
      analysis: facts,
      createdAt: now,
    }
    const defaults: AssetMetadata = {
      title: titleFromFilename(input.filename),
      description: '',
      designers: [],
      collectionId: null,
      tags: [],
      motifs: [],
      lineage: [],
      repeat: {
        type: facts.repeat.type,
        tileWidthPx: facts.repeat.tileWidth,
        tileHeightPx: facts.repeat.tileHeight,
      },
      print: {
        dpi: DEFAULT_DPI,
        widthCm: pixelsToCm(facts.width, DEFAULT_DPI),
        heightCm: pixelsToCm(facts.height, DEFAULT_DPI),
      },
      construction: {},
      palette: facts.palette,
    }
    try {
      let logSubmission: string | undefined
      const asset = await store.transaction(async (tx) => {
        const metadata = await this.applyMetadata(tx, caller.studioId, defaults, meta, facts)
        const asset: Asset = {
          id,
          studioId: caller.studioId,
          visibility: meta.visibility ?? 'private',
          metadata,
          currentVersion: 1,
          sha256,
          pdqHash: facts.pdq.hash,
          pdqQuality: facts.pdq.quality,
          createdAt: now,
          updatedAt: now,
        }
        await tx.assets.create(asset, version)
        if (this.deps.log !== undefined) {
          ;[logSubmission] = await this.deps.log.queue(tx, [
            {
              type: 'asset.registered',
              studio: asset.studioId,
              time: asset.createdAt,
              asset: asset.id,
              sha256: asset.sha256,
              metadataSha256: sha256Hex(canonicalJsonBytes(asset.metadata)),
            },
          ])
        }
        return asset
      })
      await this.deps.similarity.put(caller.studioId, id, facts.pdq.hash, facts.pdq.quality)
      const view = await this.view(caller, asset)
      if (logSubmission === undefined || this.deps.log === undefined) {
        return { status: 'created', asset: view }
      }
      if (opts.waitForLog === false) return { status: 'created', asset: view, logSubmission }
      const [logIndex] = await this.deps.log.waitFor([logSubmission])
      return { status: 'created', asset: logIndex === undefined ? view : { ...view, logIndex } }
    } catch (err) {
      // Two uploads of the same new file raced: the loser returns the winner's asset.
      if (err instanceof StorageError && err.code === 'STORAGE_CONFLICT') {
        const winner = await store.assets.findBySha256(caller.studioId, sha256)
        if (winner !== null) return { status: 'existing', asset: await this.view(caller, winner) }
      }
      throw err
    }
  }

  /**
   * Adds a new file as the asset's next version; it becomes current, and the palette and print
   * size follow it. The same file again returns `existing` (and records no `steps`); a file
   * that is already another asset's throws `ASSET_FILE_IN_USE`. Validation and analysis happen
   * before any write. `opts.steps` (an array of authorship steps) are checked against the new
   * version before any write and appended in the version's transaction: the version and its
   * steps land together, or a refused step (`AUTHORSHIP_*`) refuses the version.
   */
  async addVersion(
    caller: Caller,
    id: string,
    bytes: Uint8Array,
    opts: { readonly steps?: unknown } = {},
  ): Promise<IngestResult> {
    requirePermission(caller, 'asset.write')
    const { store } = this.deps
    const asset = await store.assets.get(caller.studioId, id)
    if (asset === null) throw notFound(id)
    const sha256 = sha256Hex(bytes)
    const holder = await store.assets.findBySha256(caller.studioId, sha256)
    if (holder !== null) {
      if (holder.id === id) return { status: 'existing', asset: await this.view(caller, holder) }
      throw new ArchiveError('ASSET_FILE_IN_USE', `this file is already asset ${holder.id}`)
    }
    const analysed = await analyseFile(this.deps.codec, bytes)
    const facts = analysed.facts
    const now = this.deps.clock.nowIso()
    const version: AssetVersion = {
      assetId: id,
      version: asset.currentVersion + 1,
      sha256,
      sizeBytes: bytes.byteLength,
      mediaType: analysed.probe.mediaType,
      analysis: facts,
      createdAt: now,
    }
    let steps: PreparedVersionSteps | undefined
    if (opts.steps !== undefined) {
      if (this.deps.versionSteps === undefined) {
        throw new Error('this AssetService was built without a VersionStepRecorder')
      }
      steps = await this.deps.versionSteps.prepareVersionSteps(caller, version, opts.steps)
    }
    await this.deps.blobs.put(bytes)
    const metadata: AssetMetadata = {
      ...asset.metadata,
      palette: facts.palette,
      print: {
        dpi: asset.metadata.print.dpi,
        widthCm: pixelsToCm(facts.width, asset.metadata.print.dpi),
        heightCm: pixelsToCm(facts.height, asset.metadata.print.dpi),
      },
    }
    await store.transaction(async (tx) => {
      await tx.assets.addVersion(caller.studioId, version, now)
      await tx.assets.update(caller.studioId, id, { metadata, visibility: asset.visibility }, now)
      await steps?.write(tx)
    })
    await steps?.settle()
    await this.deps.similarity.put(caller.studioId, id, facts.pdq.hash, facts.pdq.quality)
    const updated: Asset = {
      ...asset,
      metadata,
      currentVersion: version.version,
      sha256,
      pdqHash: facts.pdq.hash,
      pdqQuality: facts.pdq.quality,
      updatedAt: now,
    }
    return { status: 'created', asset: await this.view(caller, updated) }
  }

  /** Throws `ASSET_NOT_FOUND` for another studio's asset, or a private one for an outside party. */
  async get(caller: Caller, id: string, opts: { versions?: boolean } = {}): Promise<AssetView> {
    const asset = await this.visibleAsset(caller, id)
    const versions = opts.versions
      ? await this.deps.store.assets.versions(caller.studioId, id)
      : undefined
    return this.view(caller, asset, versions)
  }

  /** The bytes of the current (or a given) version, with its media type. */
  async file(
    caller: Caller,
    id: string,
    versionNumber?: number,
  ): Promise<{ bytes: Buffer; mediaType: string; sha256: string }> {
    const asset = await this.visibleAsset(caller, id)
    const version = await this.deps.store.assets.version(
      caller.studioId,
      asset.id,
      versionNumber ?? asset.currentVersion,
    )
    if (version === null) {
      throw new ArchiveError(
        'ASSET_VERSION_NOT_FOUND',
        `asset ${id} has no version ${versionNumber}`,
      )
    }
    const bytes = await this.deps.blobs.get(version.sha256)
    if (bytes === null) throw new Error(`blob ${version.sha256} of asset ${id} is missing`)
    return { bytes, mediaType: version.mediaType, sha256: version.sha256 }
  }

  /** Lists assets newest first with cursor pagination and the given filters. */
  async list(
    caller: Caller,
    query: AssetQuery,
  ): Promise<{ items: AssetView[]; nextCursor: string | null }> {
    requirePermission(caller, 'asset.read')
    const { store } = this.deps
    const studioId = caller.studioId
    const filter: { -readonly [K in keyof AssetFilter]: AssetFilter[K] } = {}
    if (query.repeat !== undefined) {
      if (!(REPEAT_TYPES as readonly string[]).includes(query.repeat)) {
        throw new ArchiveError(
          'ASSET_QUERY_INVALID',
          `repeat must be one of ${REPEAT_TYPES.join(', ')}`,
        )
      }
      filter.repeatType = query.repeat as RepeatType
    }
    if (query.tag !== undefined) filter.tag = query.tag.toLowerCase()
    if (query.motif !== undefined) filter.motif = query.motif.toLowerCase()
    if (query.q !== undefined) filter.titleContains = query.q
    if (query.collection !== undefined) {
      const c =
        (await store.collections.get(studioId, query.collection)) ??
        (await store.collections.findByName(studioId, query.collection))
      if (c === null) return { items: [], nextCursor: null }
      filter.collectionId = c.id
    }
    if (query.designer !== undefined) {
      const d =
        (await store.designers.get(studioId, query.designer)) ??
        (await store.designers.findByName(studioId, query.designer))
      if (d === null) return { items: [], nextCursor: null }
      filter.designerId = d.id
    }
    if (query.visibility !== undefined) {
      if (query.visibility !== 'private' && query.visibility !== 'published') {
        throw new ArchiveError('ASSET_QUERY_INVALID', 'visibility must be private or published')
      }
      filter.visibility = query.visibility
    }
    if (!can(caller.role, 'asset.readPrivate')) {
      if (filter.visibility === 'private') return { items: [], nextCursor: null }
      filter.visibility = 'published'
    }
    let colourMatch: ((a: Asset) => boolean) | null = null
    if (query.colour !== undefined) {
      const tolerance = query.colourTolerance ?? DEFAULT_COLOUR_TOLERANCE
      if (!(tolerance > 0 && tolerance <= 100)) {
        throw new ArchiveError('ASSET_QUERY_INVALID', 'colourTolerance must be in (0, 100]')
      }
      const target = colourToLab(query.colour)
      // ΔE2000 weights lightness, chroma and hue by factors near 1 (≥ ~0.5 at worst), so a
      // box of twice the tolerance per axis is a safe pre-filter; ΔE2000 then decides.
      const r = tolerance * 2
      filter.labBox = {
        lMin: target[0] - r,
        lMax: target[0] + r,
        aMin: target[1] - r,
        aMax: target[1] + r,
        bMin: target[2] - r,
        bMax: target[2] + r,
      }
      colourMatch = (a) => a.metadata.palette.some((p) => deltaE2000(p.lab, target) <= tolerance)
    }
    let tier: ProvenanceTier | null = null
    if (query.tier !== undefined) {
      if (!(PROVENANCE_TIERS as readonly string[]).includes(query.tier)) {
        throw new ArchiveError(
          'ASSET_QUERY_INVALID',
          `tier must be one of ${PROVENANCE_TIERS.join(', ')}`,
        )
      }
      tier = query.tier as ProvenanceTier
    }
    const limit = clampLimit(query.limit)
    const items: Asset[] = []
    let cursor = query.cursor
    // Post-filtering by ΔE2000 can thin a page; keep reading until the page is full.
    for (;;) {
      const page = await store.assets.list(studioId, filter, {
        limit: limit - items.length,
        ...(cursor === undefined ? {} : { cursor }),
      })
      for (const a of page.items) {
        if (colourMatch !== null && !colourMatch(a)) continue
        // The tier lives beside the journal, so it is filtered here like the colour.
        if (tier !== null && (await store.authorship.tier(studioId, a.id)) !== tier) continue
        items.push(a)
      }
      if (page.nextCursor === null || items.length >= limit) {
        const views = await Promise.all(items.map((a) => this.view(caller, a)))
        return { items: views, nextCursor: page.nextCursor }
      }
      cursor = page.nextCursor
    }
  }

  /** Assets whose PDQ hash lies within `maxDistance` of this asset's, nearest first, itself excluded. */
  async similar(
    caller: Caller,
    id: string,
    maxDistance = DEFAULT_MATCH_DISTANCE,
  ): Promise<SimilarHit[]> {
    const asset = await this.visibleAsset(caller, id)
    if (asset.pdqQuality < MIN_MATCH_QUALITY) return []
    const hits = await this.searchHash(caller, asset.pdqHash, maxDistance)
    return hits.filter((h) => h.assetId !== id)
  }

  /** Assets similar to an image file; throws `ImageError` for a bad file. */
  async similarToFile(
    caller: Caller,
    bytes: Uint8Array,
    maxDistance = DEFAULT_MATCH_DISTANCE,
  ): Promise<{ pdq: { hash: string; quality: number }; hits: SimilarHit[] }> {
    requirePermission(caller, 'asset.read')
    return this.similarToImage(caller, await this.deps.codec.decode(bytes), maxDistance)
  }

  /** As {@link similarToFile}, for pixels already decoded (the forensics scan has them). */
  async similarToImage(
    caller: Caller,
    image: RgbImage,
    maxDistance = DEFAULT_MATCH_DISTANCE,
  ): Promise<{ pdq: { hash: string; quality: number }; hits: SimilarHit[] }> {
    requirePermission(caller, 'asset.read')
    const pdq = pdqHash(image)
    const hits =
      pdq.quality < MIN_MATCH_QUALITY ? [] : await this.searchHash(caller, pdq.hash, maxDistance)
    return { pdq, hits }
  }

  /**
   * Replaces the given metadata fields; the rest stay. Atomic: an invalid field, an unknown
   * lineage target or a storage failure changes nothing.
   */
  async update(caller: Caller, id: string, input: MetadataInput): Promise<AssetView> {
    requirePermission(caller, 'asset.write')
    const { store } = this.deps
    const asset = await store.assets.get(caller.studioId, id)
    if (asset === null) throw notFound(id)
    await this.checkLineage(caller.studioId, input, id)
    const version = await store.assets.version(caller.studioId, id, asset.currentVersion)
    if (version === null) throw new Error(`asset ${id} lost its current version`)
    const updated = await store.transaction(async (tx) => {
      const metadata = await this.applyMetadata(
        tx,
        caller.studioId,
        asset.metadata,
        input,
        version.analysis,
      )
      const visibility: Visibility = input.visibility ?? asset.visibility
      const now = this.deps.clock.nowIso()
      const ok = await tx.assets.update(caller.studioId, id, { metadata, visibility }, now)
      if (!ok) throw notFound(id)
      return { ...asset, metadata, visibility, updatedAt: now }
    })
    return this.view(caller, updated)
  }

  private async searchHash(
    caller: Caller,
    hash: string,
    maxDistance: number,
  ): Promise<SimilarHit[]> {
    if (!(Number.isInteger(maxDistance) && maxDistance >= 0 && maxDistance <= 128)) {
      throw new ArchiveError('ASSET_QUERY_INVALID', 'maxDistance must be an integer in 0..128')
    }
    const hits = await this.deps.similarity.search(caller.studioId, hash, maxDistance)
    const out: SimilarHit[] = []
    for (const h of hits) {
      const a = await this.deps.store.assets.get(caller.studioId, h.id)
      if (a === null) continue
      if (a.visibility !== 'published' && !can(caller.role, 'asset.readPrivate')) continue
      out.push({ assetId: a.id, distance: h.distance, title: a.metadata.title })
    }
    return out
  }

  private async visibleAsset(caller: Caller, id: string): Promise<Asset> {
    requirePermission(caller, 'asset.read')
    const asset = await this.deps.store.assets.get(caller.studioId, id)
    if (asset === null) throw notFound(id)
    if (asset.visibility !== 'published' && !can(caller.role, 'asset.readPrivate'))
      throw notFound(id)
    return asset
  }

  private async view(
    caller: Caller,
    asset: Asset,
    versions?: readonly AssetVersion[],
  ): Promise<AssetView> {
    const collection =
      asset.metadata.collectionId === null
        ? null
        : await this.deps.store.collections.get(asset.studioId, asset.metadata.collectionId)
    return toAssetView(asset, {
      full: can(caller.role, 'asset.readPrivate'),
      collectionName: collection?.name ?? null,
      tier: await this.deps.store.authorship.tier(asset.studioId, asset.id),
      ...(versions === undefined ? {} : { versions }),
    })
  }

  private async checkLineage(
    studioId: string,
    input: MetadataInput,
    selfId: string | null,
  ): Promise<void> {
    for (const link of input.lineage ?? []) {
      if (link.assetId === selfId) {
        throw new ArchiveError('ASSET_LINEAGE_INVALID', 'an asset cannot be related to itself')
      }
      if ((await this.deps.store.assets.get(studioId, link.assetId)) === null) {
        throw new ArchiveError(
          'ASSET_LINEAGE_INVALID',
          `lineage names ${link.assetId}, which is not an asset of this studio`,
        )
      }
    }
  }

  /** Merges input over base, resolving designer and collection names (creating them in `tx`). */
  private async applyMetadata(
    tx: Store,
    studioId: string,
    base: AssetMetadata,
    input: MetadataInput,
    facts: AssetVersion['analysis'],
  ): Promise<AssetMetadata> {
    const now = this.deps.clock.nowIso()
    let designers = base.designers
    if (input.designers !== undefined) {
      const shares = resolveShares(input.designers)
      const resolved = []
      for (const [i, d] of input.designers.entries()) {
        let designer = await tx.designers.findByName(studioId, d.name)
        if (designer === null) {
          designer = {
            id: this.deps.ids.next('dsg'),
            studioId,
            name: d.name,
            partyIri: null,
            createdAt: now,
          }
          await tx.designers.create(designer)
        }
        resolved.push({ designerId: designer.id, name: designer.name, shareBps: shares[i] ?? 0 })
      }
      designers = resolved
    }
    let collectionId = base.collectionId
    if (input.collection !== undefined) {
      if (input.collection === null) {
        collectionId = null
      } else {
        let c = await tx.collections.findByName(studioId, input.collection)
        if (c === null) {
          c = { id: this.deps.ids.next('col'), studioId, name: input.collection, createdAt: now }
          await tx.collections.create(c)
        }
        collectionId = c.id
      }
    }
    const dpi = input.print?.dpi ?? base.print.dpi
    return {
      title: input.title ?? base.title,
      description: input.description ?? base.description,
      designers,
      collectionId,
      tags: input.tags ?? base.tags,
      motifs: input.motifs ?? base.motifs,
      lineage: input.lineage ?? base.lineage,
      repeat: input.repeat ?? base.repeat,
      print: {
        dpi,
        widthCm: pixelsToCm(facts.width, dpi),
        heightCm: pixelsToCm(facts.height, dpi),
      },
      construction: input.construction ?? base.construction,
      palette: base.palette,
    }
  }
}

function colourToLab(hex: string): readonly [number, number, number] {
  try {
    return hexToLab(hex)
  } catch {
    throw new ArchiveError(
      'ASSET_QUERY_INVALID',
      `colour ${JSON.stringify(hex)} is not a #rrggbb hex colour`,
    )
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return 50
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new ArchiveError('ASSET_QUERY_INVALID', 'limit must be an integer in 1..200')
  }
  return limit
}

function notFound(id: string): ArchiveError {
  return new ArchiveError('ASSET_NOT_FOUND', `no asset ${id}`)
}

function titleFromFilename(filename: string | undefined): string {
  if (filename === undefined) return 'Untitled pattern'
  const base = filename.split(/[\\/]/).pop() ?? ''
  const stem = base
    .replace(/\.[A-Za-z0-9]+$/, '')
    .replace(/[-_]+/g, ' ')
    .trim()
  return stem.length > 0 ? stem.slice(0, 200) : 'Untitled pattern'
}
