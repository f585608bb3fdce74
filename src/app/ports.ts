import type {
  ApiKeyRecord,
  Asset,
  AssetMetadata,
  AssetVersion,
  Collection,
  Designer,
  RepeatType,
  Studio,
  Visibility,
} from '../core/archive/index.js'
import type { RgbImage } from '../core/image/index.js'

/** Filters for listing assets; all are ANDed. */
export interface AssetFilter {
  readonly repeatType?: RepeatType
  readonly tag?: string
  readonly motif?: string
  readonly collectionId?: string
  readonly designerId?: string
  readonly visibility?: Visibility
  /** Case-insensitive substring of the title. */
  readonly titleContains?: string
  /**
   * Coarse colour pre-filter: assets having a palette colour inside this CIELAB box. The app
   * refines the result with ΔE2000.
   */
  readonly labBox?: {
    readonly lMin: number
    readonly lMax: number
    readonly aMin: number
    readonly aMax: number
    readonly bMin: number
    readonly bMax: number
  }
}

export interface Page<T> {
  readonly items: readonly T[]
  /** Opaque; pass back to get the next page. `null` on the last page. */
  readonly nextCursor: string | null
}

/** Studios (tenants). */
export interface StudioRepository {
  create(studio: Studio): Promise<void>
  get(id: string): Promise<Studio | null>
  /** The oldest studio, used by the embedded default's single-studio `init`. */
  first(): Promise<Studio | null>
}

/** API keys, stored by the SHA-256 of their secret. */
export interface KeyRepository {
  create(key: ApiKeyRecord): Promise<void>
  /** Looks a key up by secret hash, across studios; revoked keys are returned with `revokedAt`. */
  findBySecretSha256(secretSha256: string): Promise<ApiKeyRecord | null>
  get(studioId: string, id: string): Promise<ApiKeyRecord | null>
  list(studioId: string): Promise<readonly ApiKeyRecord[]>
  /** Marks the key revoked; returns false when it does not exist in that studio. Idempotent. */
  revoke(studioId: string, id: string, revokedAt: string): Promise<boolean>
}

export interface DesignerRepository {
  create(designer: Designer): Promise<void>
  get(studioId: string, id: string): Promise<Designer | null>
  /** Exact, case-sensitive name match within the studio. */
  findByName(studioId: string, name: string): Promise<Designer | null>
  list(studioId: string): Promise<readonly Designer[]>
}

export interface CollectionRepository {
  create(collection: Collection): Promise<void>
  get(studioId: string, id: string): Promise<Collection | null>
  findByName(studioId: string, name: string): Promise<Collection | null>
  list(studioId: string): Promise<readonly Collection[]>
}

/** Patterns and their versions. Every read and write is scoped by studio. */
export interface AssetRepository {
  /**
   * Inserts a new asset with its first version atomically (asset row, version row, tag, motif,
   * palette-colour and lineage index rows). Throws `StorageError` with code
   * `STORAGE_CONFLICT` when an asset with the same studio and sha256 already exists.
   */
  create(asset: Asset, version: AssetVersion): Promise<void>
  /** Adds a version and moves the asset's current version, sha256 and PDQ to it, atomically. */
  addVersion(studioId: string, version: AssetVersion, updatedAt: string): Promise<void>
  get(studioId: string, id: string): Promise<Asset | null>
  /** The asset any of whose versions has this file hash. */
  findBySha256(studioId: string, sha256: string): Promise<Asset | null>
  versions(studioId: string, assetId: string): Promise<readonly AssetVersion[]>
  version(studioId: string, assetId: string, version: number): Promise<AssetVersion | null>
  /** Newest first (createdAt, id descending); stable under concurrent inserts. */
  list(
    studioId: string,
    filter: AssetFilter,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<Asset>>
  /** Replaces the metadata (and the derived index rows) and visibility; false when not found. */
  update(
    studioId: string,
    id: string,
    change: { readonly metadata: AssetMetadata; readonly visibility: Visibility },
    updatedAt: string,
  ): Promise<boolean>
  /** Every asset's current PDQ hash, for building the in-memory similarity index. */
  pdqHashes(studioId?: string): Promise<
    readonly {
      readonly studioId: string
      readonly assetId: string
      readonly pdqHash: string
      readonly pdqQuality: number
    }[]
  >
}

/** A stored signing key. `privateKeySealed` is the private key encrypted with the master key. */
export interface SigningKeyRecord {
  readonly id: string
  /** null for instance-wide keys (the transparency log's). */
  readonly studioId: string | null
  /** What the key signs: `log`, `grant`, `credential`, `witness`. */
  readonly purpose: string
  /** `Ed25519`. */
  readonly algorithm: string
  /** Raw public key, base64. */
  readonly publicKey: string
  readonly privateKeySealed: string
  readonly createdAt: string
  readonly active: boolean
}

/** Signing keys; the key ring picks the oldest active key of a purpose. */
export interface SigningKeyRepository {
  create(key: SigningKeyRecord): Promise<void>
  /** Oldest first. */
  list(studioId: string | null, purpose: string): Promise<readonly SigningKeyRecord[]>
}

/** The relational store: every repository plus transactions over all of them. */
export interface Store {
  readonly studios: StudioRepository
  readonly keys: KeyRepository
  readonly designers: DesignerRepository
  readonly collections: CollectionRepository
  readonly assets: AssetRepository
  readonly signingKeys: SigningKeyRepository
  /** Runs `fn` in one database transaction; rolls back everything if it throws. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>
  /** `sqlite` or `postgres`. */
  readonly dialect: 'sqlite' | 'postgres'
  close(): Promise<void>
}

/** Content-addressed file storage. */
export interface BlobStore {
  /**
   * Stores bytes under their SHA-256 (hex). Durable when it resolves (temp file, fsync, rename);
   * idempotent; a reader never sees a partly written blob under its final name.
   */
  put(bytes: Uint8Array): Promise<{ readonly sha256: string; readonly sizeBytes: number }>
  /** The bytes, or null when absent. */
  get(sha256: string): Promise<Buffer | null>
  has(sha256: string): Promise<boolean>
}

/** What an image decoder learns without decoding all pixels. */
export interface ImageProbe {
  readonly format: 'png' | 'jpeg' | 'webp' | 'tiff'
  readonly mediaType: string
  readonly width: number
  readonly height: number
}

/**
 * Image decoding and encoding. Throws `ImageError` with `IMAGE_UNSUPPORTED_TYPE`,
 * `IMAGE_UNREADABLE` or `IMAGE_TOO_LARGE`.
 */
export interface ImageCodec {
  probe(bytes: Uint8Array): Promise<ImageProbe>
  /** Full decode to 8-bit sRGB, alpha flattened onto white, EXIF orientation not applied. */
  decode(bytes: Uint8Array): Promise<RgbImage>
  encodePng(image: RgbImage): Promise<Buffer>
}

export interface Clock {
  /** ISO 8601 UTC with milliseconds. */
  nowIso(): string
}

export interface IdSource {
  /** A new unique id with the given prefix, e.g. `ast_01J…`; sortable by creation time. */
  next(prefix: string): string
  /** `bytes` random bytes from a CSPRNG. */
  randomBytes(bytes: number): Uint8Array
}
