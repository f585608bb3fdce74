import { createHash, randomBytes } from 'node:crypto'
import type {
  AnalysisFacts,
  ApiKeyRecord,
  Asset,
  AssetMetadata,
  AssetVersion,
  Collection,
  Designer,
  PaletteColour,
  Studio,
} from '../../src/core/archive/index.js'

// Small builders for valid records. Ids are lower case so that their order is the same under
// every collation the databases may use.

const RUN = randomBytes(3).toString('hex')
let counter = 0

/** A fresh id with `prefix`, unique within this process. */
export function newId(prefix: string): string {
  counter += 1
  return `${prefix}_${RUN}_${counter.toString().padStart(6, '0')}`
}

/** A 64-hex SHA-256 of `seed`. */
export function sha256Of(seed: string): string {
  return createHash('sha256').update(seed).digest('hex')
}

/** An ISO timestamp `seconds` after 2024-01-01T00:00:00.000Z. */
export function isoAt(seconds: number): string {
  return new Date(Date.UTC(2024, 0, 1) + seconds * 1000).toISOString()
}

export function makeStudio(over: Partial<Studio> = {}): Studio {
  return { id: newId('std'), name: 'Atelier', createdAt: isoAt(0), ...over }
}

export function makeKey(studioId: string, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const id = over.id ?? newId('key')
  return {
    id,
    studioId,
    role: 'owner',
    party: `urn:selvedge:party:${id}`,
    name: 'owner key',
    secretSha256: sha256Of(`secret:${id}`),
    createdAt: isoAt(0),
    revokedAt: null,
    ...over,
  }
}

export function makeDesigner(studioId: string, over: Partial<Designer> = {}): Designer {
  const id = over.id ?? newId('dsg')
  return { id, studioId, name: `Designer ${id}`, partyIri: null, createdAt: isoAt(0), ...over }
}

export function makeCollection(studioId: string, over: Partial<Collection> = {}): Collection {
  const id = over.id ?? newId('col')
  return { id, studioId, name: `Collection ${id}`, createdAt: isoAt(0), ...over }
}

export function makeColour(hex: string, lab: readonly [number, number, number]): PaletteColour {
  return { hex, lab, coverage: 0.25 }
}

export function makeAnalysis(sha256: string, over: Partial<AnalysisFacts> = {}): AnalysisFacts {
  return {
    width: 512,
    height: 512,
    format: 'png',
    sha256,
    palette: [makeColour('#aa3322', [42.5, 51.25, 38.5])],
    colourCount: 1,
    repeat: { type: 'block', tileWidth: 256, tileHeight: 256, confidence: 0.9 },
    seamless: { score: 0.95, isSeamless: true },
    pdq: { hash: sha256Of(`pdq:${sha256}`), quality: 87 },
    ...over,
  }
}

export function makeMetadata(over: Partial<AssetMetadata> = {}): AssetMetadata {
  return {
    title: 'Paisley in red',
    description: 'A test pattern',
    designers: [],
    collectionId: null,
    tags: ['floral'],
    motifs: ['paisley'],
    lineage: [],
    repeat: { type: 'block', tileWidthPx: 256, tileHeightPx: 256 },
    print: { dpi: 300, widthCm: 4.33, heightCm: 4.33 },
    construction: { maxColours: 6 },
    palette: [makeColour('#aa3322', [42.5, 51.25, 38.5])],
    ...over,
  }
}

export interface AssetFixture {
  readonly asset: Asset
  readonly version: AssetVersion
}

/** A new asset at version 1 with its version; `sha256` defaults to a fresh file hash. */
export function makeAsset(
  studioId: string,
  over: {
    readonly id?: string
    readonly sha256?: string
    readonly createdAt?: string
    readonly visibility?: Asset['visibility']
    readonly metadata?: Partial<AssetMetadata>
  } = {},
): AssetFixture {
  const id = over.id ?? newId('ast')
  const sha256 = over.sha256 ?? sha256Of(`file:${id}`)
  const createdAt = over.createdAt ?? isoAt(0)
  const analysis = makeAnalysis(sha256)
  const version: AssetVersion = {
    assetId: id,
    version: 1,
    sha256,
    sizeBytes: 5_000_000_000,
    mediaType: 'image/png',
    analysis,
    createdAt,
  }
  const asset: Asset = {
    id,
    studioId,
    visibility: over.visibility ?? 'private',
    metadata: makeMetadata(over.metadata),
    currentVersion: 1,
    sha256,
    pdqHash: analysis.pdq.hash,
    pdqQuality: analysis.pdq.quality,
    createdAt,
    updatedAt: createdAt,
  }
  return { asset, version }
}

/** The next version of `asset` with a fresh file (or `sha256`). */
export function makeNextVersion(
  asset: Asset,
  over: { readonly sha256?: string; readonly version?: number; readonly createdAt?: string } = {},
): AssetVersion {
  const version = over.version ?? asset.currentVersion + 1
  const sha256 = over.sha256 ?? sha256Of(`file:${asset.id}:v${version}`)
  return {
    assetId: asset.id,
    version,
    sha256,
    sizeBytes: 1234,
    mediaType: 'image/jpeg',
    analysis: makeAnalysis(sha256, {
      format: 'jpeg',
      pdq: { hash: sha256Of(`pdq2:${sha256}`), quality: 64 },
    }),
    createdAt: over.createdAt ?? isoAt(100),
  }
}
