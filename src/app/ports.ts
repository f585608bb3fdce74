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
import type { AuthorshipStep, ProvenanceTier } from '../core/provenance/index.js'

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

/** A signed checkpoint of the transparency log, as stored. */
export interface LogCheckpointRecord {
  readonly size: number
  /** The Merkle tree hash of the first `size` entries (32 bytes). */
  readonly rootHash: Uint8Array
  /** The C2SP signed note, with the log's own signature only (cosignatures are kept apart). */
  readonly note: string
  readonly createdAt: string
}

/** An entry waiting in the log's durable submission queue. */
export interface LogSubmission {
  readonly id: string
  readonly entry: Uint8Array
  readonly submittedAt: string
}

/** One sequencer step: entries appended at `oldSize…`, their stored hashes and the checkpoint. */
export interface LogAppend {
  /** The tree size before the batch; the append fails unless it is the latest checkpoint's. */
  readonly oldSize: number
  /** The submissions, in index order: the i-th gets index `oldSize + i`. */
  readonly entries: readonly LogSubmission[]
  /** The new stored hashes, from stored-hash index `storedHashCount(oldSize)` on, in order. */
  readonly hashes: readonly Uint8Array[]
  /** The checkpoint of size `oldSize + entries.length`. */
  readonly checkpoint: LogCheckpointRecord
}

/**
 * The transparency log's storage: entries, Go-tlog stored hashes, one checkpoint per size, the
 * submission queue and witness cosignatures. Entries, hashes and checkpoints are never updated
 * or deleted, so a reader sees exactly the tree of the latest checkpoint.
 */
export interface LogRepository {
  /** Queues submissions, atomically. Throws `STORAGE_CONFLICT` for a repeated id. */
  submit(submissions: readonly LogSubmission[]): Promise<void>
  /** Up to `limit` unsequenced submissions, oldest first. */
  pending(limit: number): Promise<readonly LogSubmission[]>
  /**
   * For each known submission id, its entry index once sequenced (covered by a checkpoint in
   * the same commit) or null while queued; unknown ids are absent.
   */
  indexesOf(ids: readonly string[]): Promise<ReadonlyMap<string, number | null>>
  /**
   * Appends a batch in one transaction: entries, stored hashes, the checkpoint and the
   * submissions' indexes; all or nothing. Throws `STORAGE_CONFLICT` when the latest checkpoint
   * is not of `oldSize` (another sequencer moved on), or any row already exists: the database
   * never holds two checkpoints of one size.
   */
  append(batch: LogAppend): Promise<void>
  /** The checkpoint of the largest size, or null before the first. */
  latestCheckpoint(): Promise<LogCheckpointRecord | null>
  checkpoint(size: number): Promise<LogCheckpointRecord | null>
  /** Checkpoints with size ≥ `fromSize`, ascending, at most `limit`. */
  checkpoints(fromSize: number, limit: number): Promise<readonly LogCheckpointRecord[]>
  /** Entries `[start, end)`, in order; only those stored (the caller bounds the range). */
  entries(start: number, end: number): Promise<readonly Uint8Array[]>
  /** The stored hashes at these indexes; absent indexes are missing from the map. */
  hashes(indexes: readonly number[]): Promise<ReadonlyMap<number, Uint8Array>>
  /** Records (or replaces) a witness's cosignature line on the checkpoint of `size`. */
  addCosignature(size: number, witness: string, line: string, createdAt: string): Promise<void>
  /** The cosignature lines on the checkpoint of `size`, by witness name. */
  cosignatures(size: number): Promise<readonly string[]>
  /** Deletes sequenced submissions submitted before `before`; returns how many. */
  prunePending(before: string): Promise<number>
}

/** As a witness: the latest checkpoint cosigned for each log origin. */
export interface WitnessedLog {
  readonly origin: string
  readonly size: number
  readonly rootHash: Uint8Array
  readonly updatedAt: string
}

/** A witness's per-log state. */
export interface WitnessRepository {
  get(origin: string): Promise<WitnessedLog | null>
  /**
   * Compare-and-set: records `next` only if the stored state is still `expected` (null: no
   * state yet). Returns false, changing nothing, when another request moved it first.
   */
  advance(
    expected: { readonly size: number; readonly rootHash: Uint8Array } | null,
    next: WitnessedLog,
  ): Promise<boolean>
}

/** A role held by one process at a time (the log's sequencer). */
export interface LeaderLease {
  /** False once released or lost (e.g. the database connection that held it dropped). */
  readonly isHeld: boolean
  /** Gives the role up; idempotent. */
  release(): Promise<void>
}

/** Who may act as the single writer of a named role, across processes sharing the database. */
export interface LeaderLock {
  /**
   * Takes the role `name` without waiting; null while another holder has it. On PostgreSQL a
   * session advisory lock on a dedicated connection: it is freed when that process dies. On
   * SQLite a per-process lock (appends serialise on the write lock and re-check the tree size).
   */
  tryAcquire(name: string): Promise<LeaderLease | null>
}

/** One licence attached to an asset: a numbered, never-updated version of its ODRL policy. */
export interface LicenceVersionRecord {
  readonly studioId: string
  readonly assetId: string
  /** 1 for the first licence attached to the asset, then 2, 3, … */
  readonly version: number
  /** The ODRL policy as JSON-LD (an object, as attached after normalisation). */
  readonly policy: Readonly<Record<string, unknown>>
  /** How it was made: `template:<name>` or `policy` (a document supplied as is). */
  readonly source: string
  /** The id of the key that attached it. */
  readonly createdBy: string
  readonly createdAt: string
}

/** Licence versions per asset. Nothing is ever overwritten: a change is a new version. */
export interface LicenceRepository {
  /**
   * Stores `record` as the asset's next version (the latest plus one, or 1) and returns it,
   * atomically. Two concurrent appends cannot take the same number: one gets `STORAGE_CONFLICT`.
   */
  append(record: Omit<LicenceVersionRecord, 'version'>): Promise<LicenceVersionRecord>
  /** The latest version, or null when the asset has no licence. */
  current(studioId: string, assetId: string): Promise<LicenceVersionRecord | null>
  version(studioId: string, assetId: string, version: number): Promise<LicenceVersionRecord | null>
  /** Every version of the asset's licence, oldest first. */
  versions(studioId: string, assetId: string): Promise<readonly LicenceVersionRecord[]>
  /** The latest version of every licensed asset of the studio, by asset id. */
  currentAll(studioId: string): Promise<readonly LicenceVersionRecord[]>
}

/** An agreement minted from an asset's licence for one assignee, with its grant id. */
export interface AgreementRecord {
  /** `agr_…` */
  readonly id: string
  readonly studioId: string
  readonly assetId: string
  /** The licence version it was made under. */
  readonly licenceVersion: number
  /** The party IRI the agreement binds. */
  readonly assignee: string
  /** The action IRI granted. */
  readonly action: string
  /** The units granted; null when the request named none. */
  readonly units: number | null
  /** The grant token's `jti`: 16 lower-case hex digits; unique across the instance. */
  readonly grantId: string
  /** The licence ids holding this agreement confers (`slv:heldLicence` values). */
  readonly licenceIds: readonly string[]
  /** True for an exclusive buyout. */
  readonly exclusive: boolean
  /** The ODRL Agreement, JSON-LD. */
  readonly agreement: Readonly<Record<string, unknown>>
  readonly createdAt: string
  readonly expiresAt: string
}

/** Agreements and exclusive sales. */
export interface AgreementRepository {
  /**
   * Inserts the agreement and, when it is exclusive, the asset's exclusive sale, atomically.
   * Throws `STORAGE_CONFLICT` when the asset's exclusivity is already sold or the id or grant id
   * is taken; then nothing is written.
   */
  create(record: AgreementRecord): Promise<void>
  get(studioId: string, id: string): Promise<AgreementRecord | null>
  /** The agreement whose grant has this `jti`, in any studio. */
  findByGrantId(grantId: string): Promise<AgreementRecord | null>
  /** The assignee's agreements in the studio (all assets), oldest first. */
  listForAssignee(studioId: string, assignee: string): Promise<readonly AgreementRecord[]>
  /** Who bought the asset's exclusivity, or null while it is unsold. */
  exclusiveHolder(
    studioId: string,
    assetId: string,
  ): Promise<{ readonly assignee: string; readonly agreementId: string } | null>
  /**
   * Inside a transaction, blocks other transactions that call it for the same asset until this
   * one ends, so that the state read after it (units sold, exclusivity) stays current until the
   * commit. Outside a transaction it does nothing.
   */
  lockAsset(studioId: string, assetId: string): Promise<void>
}

/** One step of an asset's authorship journal, as stored. */
export interface AuthorshipStepRecord {
  readonly studioId: string
  readonly assetId: string
  /** 1 for the asset's first step, then 2, 3, … */
  readonly seq: number
  /** The validated, normalised step, with its `when` resolved. */
  readonly step: AuthorshipStep & { readonly when: string }
  /** SHA-256 of the step's canonical JSON (what the `authorship.step` log entry carries). */
  readonly stepSha256: string
  /** The id of the key that recorded it. */
  readonly createdBy: string
  readonly createdAt: string
  /** The `authorship.step` log submission, or null when the log was not in use. */
  readonly logSubmission: string | null
}

/** Authorship journals, append-only, and each journalled asset's derived provenance tier. */
export interface AuthorshipRepository {
  /**
   * Inserts the step and sets the asset's tier to `tier`, atomically. Throws `STORAGE_CONFLICT`
   * when the asset already has a step `seq` (a concurrent append won); then nothing is written.
   */
  append(record: AuthorshipStepRecord, tier: ProvenanceTier): Promise<void>
  /** The asset's steps, by `seq` ascending. */
  steps(studioId: string, assetId: string): Promise<readonly AuthorshipStepRecord[]>
  /** The tier stored with the latest step; `unknown` for an asset with no journal. */
  tier(studioId: string, assetId: string): Promise<ProvenanceTier>
}

/** What a forensics scan concluded about a file. */
export type FindingKind = 'licensed' | 'over-use' | 'unlicensed-copy' | 'unknown'

/** One forensics scan, as stored: the evidence and the kind decided from it. */
export interface FindingRecord {
  /** `fnd_…` */
  readonly id: string
  readonly studioId: string
  readonly createdAt: string
  readonly kind: FindingKind
  /** SHA-256 of the scanned file. */
  readonly fileSha256: string
  /** The watermark report (`found`, `payload`, `score`). */
  readonly watermark: {
    readonly found: boolean
    readonly payload: string | null
    readonly score: number
  }
  /** The grant (`jti`) the mark names, when it names one of the studio's agreements. */
  readonly grantId: string | null
  readonly agreementId: string | null
  readonly assignee: string | null
  /** The studio's assets the file is a near duplicate of (PDQ distance). */
  readonly similar: readonly { readonly assetId: string; readonly distance: number }[]
  /** The id of the key that scanned. */
  readonly createdBy: string
  /** The `finding.recorded` log submission, or null when the log was not in use. */
  readonly logSubmission: string | null
}

/** Forensics findings; rows are only inserted. Every read is scoped by studio. */
export interface FindingRepository {
  /** Inserts the finding. Throws `STORAGE_CONFLICT` for a repeated id. */
  create(record: FindingRecord): Promise<void>
  get(studioId: string, id: string): Promise<FindingRecord | null>
  /**
   * Newest first (createdAt, id descending); `limit` is clamped to 1..200. A cursor this
   * method did not make throws `ArchiveError('ASSET_QUERY_INVALID')`.
   */
  list(
    studioId: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<Page<FindingRecord>>
}

/** The relational store: every repository plus transactions over all of them. */
export interface Store {
  readonly studios: StudioRepository
  readonly keys: KeyRepository
  readonly designers: DesignerRepository
  readonly collections: CollectionRepository
  readonly assets: AssetRepository
  readonly signingKeys: SigningKeyRepository
  /** Licences attached to assets, by version. */
  readonly licences: LicenceRepository
  /** Agreements and exclusive sales. */
  readonly agreements: AgreementRepository
  /** The transparency log. */
  readonly log: LogRepository
  /** As a witness of other logs. */
  readonly witness: WitnessRepository
  /** Authorship journals and provenance tiers. */
  readonly authorship: AuthorshipRepository
  /** Forensics findings. */
  readonly findings: FindingRepository
  /** The sequencer role (shared by the root store and its transactions). */
  readonly leaderLock: LeaderLock
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
  /** Baseline JPEG, 4:4:4 chroma, no metadata; `quality` 1..100 (default 92). */
  encodeJpeg(image: RgbImage, quality?: number): Promise<Buffer>
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
