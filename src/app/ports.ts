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
import type { IngredientDefinition, ManifestDefinition } from '../core/c2pa/index.js'
import type { RgbImage } from '../core/image/index.js'
import type {
  LedgerTransaction,
  PreparedUsage,
  PriceModel,
  UsageBodyProblem,
} from '../core/metering/index.js'
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
   * Records the agreement's revocation; false (changing nothing) when it was already revoked.
   * Throws `STORAGE_CONFLICT` when the studio has no such agreement.
   */
  revoke(
    studioId: string,
    agreementId: string,
    revocation: { readonly at: string; readonly by: string; readonly reason: string | null },
  ): Promise<boolean>
  /** When the agreement was revoked, or null. */
  revokedAt(studioId: string, agreementId: string): Promise<string | null>
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
  /** Content Credentials: the studio's C2PA signer and the manifests issued. */
  readonly credentials: CredentialRepository
  /** Usage events and batches. */
  readonly usage: UsageRepository
  /** The double-entry ledger. */
  readonly ledger: LedgerRepository
  /** Wallet top-ups. */
  readonly payments: PaymentRepository
  /** Prices of metered usage. */
  readonly prices: PricePlanRepository
  /** Closed periods, invoices and royalty statements. */
  readonly billing: BillingRepository
  /** The sequencer role (shared by the root store and its transactions). */
  readonly leaderLock: LeaderLock
  /** Runs `fn` in one database transaction; rolls back everything if it throws. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>
  /**
   * On a store bound to a transaction: runs `fn` so that if it throws, its writes are undone and
   * the transaction goes on (the error propagates). `fn` must be the only user of the
   * transaction while it runs. On the root store: `transaction(fn)`.
   */
  savepoint<T>(fn: (tx: Store) => Promise<T>): Promise<T>
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
  /**
   * A JPEG preview no larger than `maxEdgePx` on its longer side (never enlarged), EXIF
   * orientation applied, alpha flattened onto white, sRGB, no metadata. Checks the file as
   * `decode` does (same error codes) without holding the full-size pixels when the format allows.
   */
  thumbnail(bytes: Uint8Array, maxEdgePx: number): Promise<Thumbnail>
}

/** A small JPEG preview of an image, for documents (the disclosure statement's evidence). */
export interface Thumbnail {
  readonly bytes: Buffer
  readonly mediaType: 'image/jpeg'
  readonly width: number
  readonly height: number
}

/**
 * Validates and hashes usage request bodies (`prepareUsageJson`), on another thread where the
 * runtime has one, so that the thread writing to the database is not also parsing.
 */
export interface UsagePreparer {
  /**
   * `prepareUsageJson(json)`: bad input comes back as a problem or as rejected events, never as
   * a rejection. Rejects only when the preparer is closed or its thread is lost.
   */
  prepare(json: string): Promise<PreparedUsage | UsageBodyProblem>
  /** Stops its threads; later calls fail. */
  close(): Promise<void>
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

/** One accepted usage event, as stored (never updated). */
export interface UsageEventRecord {
  readonly studioId: string
  /** The idempotency key: JSON of `[source, id]`, unique per studio forever. */
  readonly key: string
  readonly source: string
  readonly eventId: string
  readonly batchId: string
  /** Position in its batch (the leaf index in the batch's Merkle tree). */
  readonly seq: number
  readonly grantId: string
  readonly agreementId: string
  readonly assetId: string
  readonly assignee: string
  /** `units`, `variants`, `downloads` or `generations`. */
  readonly kind: string
  readonly units: number
  /** When the usage happened (the event's `time`), ISO 8601 UTC. */
  readonly time: string
  /** The billing period it is invoiced in, `YYYY-MM`. */
  readonly period: string
  /** RFC 8785 canonical JSON of the event as received: the batch's Merkle leaf. */
  readonly canonical: string
  readonly receivedAt: string
}

/** One accepted batch of usage events: what its `usage.batch` log entry commits to. */
export interface UsageBatchRecord {
  /** `ubt_…` */
  readonly id: string
  readonly studioId: string
  readonly createdAt: string
  /** The id of the key (or `grant:<jti>`) that reported it. */
  readonly createdBy: string
  readonly eventCount: number
  readonly units: number
  /** RFC 9162 Merkle tree hash of the canonical events, in `seq` order (hex). */
  readonly merkleRoot: string
  /** The `usage.batch` log entry as logged (canonical JSON), to prove it later. */
  readonly logEntry: string
  readonly logSubmission: string | null
}

/** Usage per grant, kind and batch within one billing period. */
export interface UsageSummaryRow {
  readonly grantId: string
  readonly agreementId: string
  readonly assetId: string
  readonly assignee: string
  readonly kind: string
  readonly batchId: string
  readonly events: number
  readonly units: number
}

/** Usage events and batches; rows are only inserted. */
export interface UsageRepository {
  /**
   * Inside a transaction, serialises usage writers of the studio until it ends (so that the
   * duplicates, meters and wallet read after it stay current until the commit).
   */
  lockStudio(studioId: string): Promise<void>
  /** Which of these idempotency keys are already stored in the studio. */
  existingKeys(studioId: string, keys: readonly string[]): Promise<ReadonlySet<string>>
  /** Cumulative units per grant and kind, keyed `grantId/kind`; absent when none. */
  meters(studioId: string, grantIds: readonly string[]): Promise<ReadonlyMap<string, number>>
  /**
   * Inserts the batch, its events and the meter increments, atomically. Throws
   * `STORAGE_CONFLICT` when any event key or the batch id is already stored.
   */
  insertBatch(batch: UsageBatchRecord, events: readonly UsageEventRecord[]): Promise<void>
  batch(studioId: string, id: string): Promise<UsageBatchRecord | null>
  /** The stored batches among `ids`, in the order of `ids` (absent ones left out). */
  batches(studioId: string, ids: readonly string[]): Promise<readonly UsageBatchRecord[]>
  /**
   * How many events the period holds. Events are only ever inserted, so an unchanged count
   * means unchanged usage.
   */
  periodEventCount(studioId: string, period: string): Promise<number>
  /** The canonical events of a batch, in `seq` order. */
  batchEvents(studioId: string, batchId: string): Promise<readonly string[]>
  /** The period's usage, grouped by grant, kind and batch. */
  periodSummary(studioId: string, period: string): Promise<readonly UsageSummaryRow[]>
  /** Units per grant and kind (keyed `grantId/kind`) in the periods before `period`. */
  priorUnits(studioId: string, period: string): Promise<ReadonlyMap<string, number>>
  /** Records that usage of a grant was refused for want of payment (export is held until paid). */
  holdGrant(
    studioId: string,
    grantId: string,
    quote: { readonly amountMinor: number; readonly currency: string },
    at: string,
  ): Promise<void>
  /** Lifts a hold (usage was later paid for). */
  releaseGrant(studioId: string, grantId: string): Promise<void>
  /** The unpaid quote holding the grant, or null. */
  hold(
    studioId: string,
    grantId: string,
  ): Promise<{ readonly amountMinor: number; readonly currency: string } | null>
}

/** One money movement as stored: a balanced transaction of the studio's ledger. */
export interface LedgerTransactionRecord {
  readonly studioId: string
  /** `YYYY-MM`: the period the movement belongs to. */
  readonly period: string
  readonly tx: LedgerTransaction
}

/** The double-entry ledger: transactions are only inserted; balances are sums of entries. */
export interface LedgerRepository {
  /** Inserts balanced transactions atomically; throws `STORAGE_CONFLICT` on a repeated id. */
  append(records: readonly LedgerTransactionRecord[]): Promise<void>
  /**
   * Inside a transaction, serialises writers of this account until it ends (wallet debits:
   * the balance read after it stays current until the commit).
   */
  lockAccount(studioId: string, account: string): Promise<void>
  /** The raw sum of the account's entries (debits positive) in `currency`. */
  sum(studioId: string, account: string, currency: string): Promise<number>
  /** Every account's raw sum in the studio, optionally within one period. */
  sums(
    studioId: string,
    period?: string,
  ): Promise<
    readonly { readonly account: string; readonly currency: string; readonly sum: number }[]
  >
  /** The studio's transactions, oldest first, optionally within one period. */
  transactions(studioId: string, period?: string): Promise<readonly LedgerTransactionRecord[]>
}

/** A wallet top-up through a payments provider. */
export interface PaymentRecord {
  /** `pay_…` */
  readonly id: string
  readonly studioId: string
  readonly party: string
  readonly currency: string
  readonly amountMinor: number
  /** `manual` (a studio owner confirms) or another provider's name. */
  readonly provider: string
  readonly status: 'pending' | 'confirmed'
  readonly createdAt: string
  readonly createdBy: string
  readonly confirmedAt: string | null
  readonly confirmedBy: string | null
}

export interface PaymentRepository {
  create(record: PaymentRecord): Promise<void>
  get(studioId: string, id: string): Promise<PaymentRecord | null>
  /** Marks a pending payment confirmed; false (changing nothing) unless it was pending. */
  confirm(studioId: string, id: string, at: string, by: string): Promise<boolean>
  list(studioId: string, party?: string): Promise<readonly PaymentRecord[]>
}

/** A price for one kind of usage of a studio's assets (or one asset); new rows supersede. */
export interface PricePlanRecord {
  readonly id: string
  readonly studioId: string
  /** null: every asset of the studio without a plan of its own. */
  readonly assetId: string | null
  readonly kind: string
  readonly model: PriceModel
  readonly createdAt: string
}

export interface PricePlanRepository {
  add(record: PricePlanRecord): Promise<void>
  /** The newest plan for the asset and kind, else the newest studio-wide plan for the kind. */
  current(studioId: string, assetId: string, kind: string): Promise<PricePlanRecord | null>
  list(studioId: string): Promise<readonly PricePlanRecord[]>
}

/** An invoice or royalty statement written when a period closed. */
export interface BillingDocumentRecord {
  /** `inv_…` or `stm_…` */
  readonly id: string
  readonly studioId: string
  readonly period: string
  readonly kind: 'invoice' | 'statement'
  /** The licensee (invoices) or the payee account (statements). */
  readonly party: string
  readonly currency: string
  readonly totalMinor: number
  /** The document as JSON (what `billing verify` checks). */
  readonly document: string
  readonly createdAt: string
  /**
   * The log submission of the document's `invoice.issued` / `statement.issued` entry, from
   * which its receipt is proven; null for documents closed before receipts existed.
   */
  readonly logSubmission: string | null
}

export interface BillingRepository {
  /**
   * Marks the period closed and stores its documents, atomically. Throws `STORAGE_CONFLICT`
   * when the period is already closed; then nothing is written.
   */
  close(
    period: {
      readonly studioId: string
      readonly period: string
      readonly closedAt: string
      readonly closedBy: string
    },
    documents: readonly BillingDocumentRecord[],
  ): Promise<void>
  /** The closed periods, ascending. */
  closedPeriods(studioId: string): Promise<readonly string[]>
  documents(studioId: string, period: string): Promise<readonly BillingDocumentRecord[]>
  document(studioId: string, id: string): Promise<BillingDocumentRecord | null>
}

/** A studio's C2PA claim signer: its certificate chain and sealed private key. */
export interface CredentialSignerRecord {
  /** `crs_…` */
  readonly id: string
  readonly studioId: string
  /** `generated` (the studio's own PKI) or `imported` (`selvedge credentials import`). */
  readonly source: 'generated' | 'imported'
  /** The C2PA signing algorithm: `es256`, `es384`, `es512`, `ps256`, `ps384`, `ps512`, `ed25519`. */
  readonly algorithm: string
  /** PEM certificates: the claim-signing leaf first, then the intermediates (no root). */
  readonly chainPem: string
  /** PEM of the root CA, the trust anchor verifiers need; null when an import gave none. */
  readonly rootPem: string | null
  /** The leaf's PKCS#8 private key, sealed with the instance master key. */
  readonly privateKeySealed: string
  /** The generated root and intermediate CA keys, sealed; null for an imported signer. */
  readonly caKeysSealed: string | null
  /** When the leaf certificate expires (ISO 8601 UTC). */
  readonly notAfter: string
  readonly createdAt: string
}

/** A manifest signed into an export, by the SHA-256 of its manifest store. */
export interface IssuedCredentialRecord {
  /** SHA-256 (hex) of the embedded JUMBF manifest store, as signed. */
  readonly manifestSha256: string
  readonly studioId: string
  readonly assetId: string
  readonly signerId: string
  /** The exported file's media type. */
  readonly format: string
  /** SHA-256 of the whole exported file. */
  readonly fileSha256: string
  readonly createdAt: string
  /** The `credential.issued` log submission, or null when the log was not in use. */
  readonly logSubmission: string | null
}

/** C2PA signers (one active per studio) and issued manifests; rows are never updated. */
export interface CredentialRepository {
  /** The studio's active signer (the newest), or null before the first. */
  activeSigner(studioId: string): Promise<CredentialSignerRecord | null>
  /**
   * Stores a signer and makes it the studio's active one. With `replace: false` it throws
   * `STORAGE_CONFLICT` when the studio already has a signer (a concurrent creation won) and
   * writes nothing; with `replace: true` the new signer supersedes the old, which is kept.
   */
  addSigner(record: CredentialSignerRecord, opts: { readonly replace: boolean }): Promise<void>
  /** Records an issued manifest. Throws `STORAGE_CONFLICT` for a repeated manifest hash. */
  recordIssued(record: IssuedCredentialRecord): Promise<void>
  /** The issued manifest with this hash, in any studio. */
  issuedByManifest(manifestSha256: string): Promise<IssuedCredentialRecord | null>
}

/** A studio's newly generated signing PKI (DER keys in PKCS#8, certificates in PEM). */
export interface GeneratedPki {
  readonly algorithm: string
  readonly rootPem: string
  /** Leaf, then intermediate. */
  readonly chainPem: string
  readonly leafKeyPkcs8: Uint8Array
  readonly rootKeyPkcs8: Uint8Array
  readonly intermediateKeyPkcs8: Uint8Array
  readonly notAfter: string
}

/** A certificate chain and key offered for import, checked and normalised. */
export interface ImportedSigner {
  readonly algorithm: string
  /** Leaf first, then intermediates; a self-signed root given in the chain is moved out. */
  readonly chainPem: string
  readonly rootPem: string | null
  readonly leafKeyPkcs8: Uint8Array
  readonly notAfter: string
}

/** X.509 work for Content Credentials. */
export interface CertificateAuthority {
  /**
   * Creates a root CA, an intermediate CA and a claim-signing leaf (not a CA; key usage
   * `digitalSignature`; EKU C2PA claim signing and `emailProtection`) for the studio.
   */
  createStudioPki(opts: { readonly studioName: string; readonly now: Date }): Promise<GeneratedPki>
  /**
   * Checks a PEM chain and PEM private key for C2PA claim signing: the key matches the leaf,
   * the leaf is not a CA, allows `digitalSignature`, is within its validity at `now`, and each
   * certificate is issued by the next. Throws `CredentialError('CREDENTIAL_IMPORT_INVALID')`.
   */
  inspectImport(chainPem: string, keyPem: string, now: Date): Promise<ImportedSigner>
  /** Normalises PEM trust anchors; throws `CredentialError('CREDENTIAL_TRUST_INVALID')`. */
  parseTrustAnchors(pem: string): Promise<string>
}

/** What signs: a chain with its private key (PKCS#8 PEM), cached by `id` by the engine. */
export interface C2paSignerMaterial {
  readonly id: string
  readonly algorithm: string
  readonly chainPem: string
  readonly privateKeyPem: string
}

/** How a C2PA validator judged a file (C2PA 2.1 §15 validation states). */
export interface C2paReading {
  readonly state: 'Trusted' | 'Valid' | 'Invalid'
  /** The failure codes of the active manifest (and its ingredients), e.g. `assertion.dataHash.mismatch`. */
  readonly failures: readonly string[]
  readonly activeManifest: {
    readonly label: string
    readonly assertions: readonly { readonly label: string; readonly data: unknown }[]
    readonly ingredients: readonly {
      readonly title: string | null
      readonly relationship: string | null
      readonly format: string | null
    }[]
  } | null
}

/** A C2PA SDK: signs a manifest into an asset, reads and validates one back. */
export interface C2paEngine {
  /**
   * Signs `definition` into `asset` (PNG or JPEG) with `ingredients` attached, without a
   * thumbnail; returns the signed file and the manifest store bytes embedded in it.
   */
  sign(request: {
    readonly definition: ManifestDefinition
    readonly ingredients: readonly {
      readonly definition: IngredientDefinition
      readonly bytes: Uint8Array
      readonly mediaType: string
    }[]
    readonly asset: Uint8Array
    readonly mediaType: string
    readonly signer: C2paSignerMaterial
  }): Promise<{ readonly bytes: Uint8Array; readonly manifestStore: Uint8Array }>
  /**
   * Reads and validates the file's manifest store, trusting `trustAnchorsPem` (PEM roots) when
   * given; null when the file carries no manifest.
   */
  read(
    asset: Uint8Array,
    mediaType: string,
    trustAnchorsPem: string | null,
  ): Promise<C2paReading | null>
}
