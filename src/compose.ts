import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { FsBlobStore } from './adapters/blob-fs/index.js'
import { C2paNodeEngine } from './adapters/c2pa-node/index.js'
import { SharpImageCodec } from './adapters/image-sharp/index.js'
import { FileCredentials, loadMasterKey } from './adapters/local-credentials/index.js'
import {
  fixedClock,
  NodeIdSource,
  systemClock,
  WorkerUsagePreparer,
} from './adapters/node-runtime/index.js'
import { X509CertificateAuthority } from './adapters/pki/index.js'
import { openPostgresStore } from './adapters/postgres/index.js'
import { openSqliteStore } from './adapters/sqlite/index.js'
import { AssetService } from './app/asset-service.js'
import { ForensicsService } from './app/forensics/index.js'
import { KeyRing } from './app/key-ring.js'
import { KeyService } from './app/key-service.js'
import { ExportService, GrantService, LicenceService } from './app/licence/index.js'
import { DEFAULT_LOG_CONFIG, type LogConfig, LogService } from './app/log/index.js'
import {
  BillingService,
  DEFAULT_ROYALTY_SETTINGS,
  LedgerService,
  type RoyaltySettings,
  splitCharge,
  UsageService,
  WalletService,
} from './app/metering/index.js'
import type { BlobStore, Clock, IdSource, ImageCodec, Store } from './app/ports.js'
import {
  CredentialService,
  ProvenanceService,
  type VerifyReport,
  verifyFile,
} from './app/provenance/index.js'
import { SimilarityIndex } from './app/similarity-index.js'
import { StudioService } from './app/studio-service.js'
import { WatermarkService } from './app/watermark/index.js'

export interface SelvedgeConfig {
  /** Folder for the SQLite database, blobs and the local owner-key file. */
  readonly dataDir: string
  /** `postgres://…` to use PostgreSQL instead of the embedded SQLite database. */
  readonly databaseUrl?: string | undefined
  /** Postgres schema to use (tests isolate themselves with one). */
  readonly databaseSchema?: string | undefined
  /** Base64 of the 32-byte master key; default `<dataDir>/master-key`. */
  readonly masterKey?: string | undefined
  /** Transparency-log settings; each absent field takes its default. */
  readonly log?: Partial<LogConfig> | undefined
  /** Fixes the clock at this instant (ISO 8601) for the whole process: `SELVEDGE_NOW`. */
  readonly now?: string | undefined
  /** The designers' pool and the platform's fee; each absent field takes its default. */
  readonly royalties?: Partial<RoyaltySettings> | undefined
}

/** A running Selvedge: its use cases and the resources to close. */
export interface Selvedge {
  readonly config: SelvedgeConfig
  readonly store: Store
  readonly blobs: BlobStore
  readonly codec: ImageCodec
  readonly clock: Clock
  readonly ids: IdSource
  readonly keys: KeyService
  readonly keyRing: KeyRing
  readonly studios: StudioService
  readonly assets: AssetService
  readonly licences: LicenceService
  readonly grants: GrantService
  readonly exports: ExportService
  readonly watermark: WatermarkService
  readonly log: LogService
  /** Authorship journals, tiers and the copyright disclosure. */
  readonly provenance: ProvenanceService
  /** Watermark forensics: scans and findings. */
  readonly forensics: ForensicsService
  /** Usage events in, prepaid fees out of wallets. */
  readonly usage: UsageService
  /** Prepaid wallets and their top-ups. */
  readonly wallets: WalletService
  /** Closing periods: invoices and royalty statements. */
  readonly billing: BillingService
  /** The ledger's transactions and balances, and credit notes. */
  readonly ledger: LedgerService
  /** Content Credentials: the studio's C2PA signer, signing exports, verifying files. */
  readonly credentials: CredentialService
  close(): Promise<void>
}

/** Default data folder: `$SELVEDGE_DATA` or `./selvedge-data`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['SELVEDGE_DATA'] ?? 'selvedge-data')
}

/**
 * Log settings from the environment: `SELVEDGE_LOG_ORIGIN`, `SELVEDGE_LOG_BATCH_MS` and
 * `SELVEDGE_WITNESSES` (comma-separated `URL VKEY` pairs: each witness's add-checkpoint prefix
 * and its verifier key). Absent or empty variables are left to the defaults.
 */
export function logConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<LogConfig> {
  const out: { -readonly [K in keyof LogConfig]?: LogConfig[K] } = {}
  const origin = env['SELVEDGE_LOG_ORIGIN']
  if (origin !== undefined && origin !== '') out.origin = origin
  const batchMs = Number(env['SELVEDGE_LOG_BATCH_MS'])
  if (env['SELVEDGE_LOG_BATCH_MS'] !== undefined && Number.isInteger(batchMs) && batchMs > 0) {
    out.batchIntervalMs = batchMs
  }
  const witnesses = env['SELVEDGE_WITNESSES']
  if (witnesses !== undefined && witnesses.trim() !== '') {
    out.witnesses = witnesses
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => {
        const [url, vkey, ...rest] = item.split(/\s+/)
        if (url === undefined || vkey === undefined || rest.length > 0) {
          throw new RangeError('SELVEDGE_WITNESSES items are "URL VKEY", separated by commas')
        }
        return { url, vkey }
      })
  }
  return out
}

/** The composition root: the only place that chooses adapters. */
export async function openSelvedge(config: SelvedgeConfig): Promise<Selvedge> {
  const dataDir = resolve(config.dataDir)
  await mkdir(dataDir, { recursive: true })
  const store =
    config.databaseUrl !== undefined && config.databaseUrl !== ''
      ? await openPostgresStore(
          config.databaseUrl,
          config.databaseSchema === undefined ? {} : { schema: config.databaseSchema },
        )
      : await openSqliteStore(join(dataDir, 'selvedge.db'))
  const blobs = new FsBlobStore(join(dataDir, 'blobs'))
  const codec = new SharpImageCodec()
  const ids = new NodeIdSource()
  const clock = config.now === undefined || config.now === '' ? systemClock : fixedClock(config.now)
  const royalties: RoyaltySettings = { ...DEFAULT_ROYALTY_SETTINGS, ...config.royalties }
  const wallets = new WalletService({ store, clock, ids })
  const keys = new KeyService({ store, ids, clock })
  const masterKey = await loadMasterKey(dataDir, { SELVEDGE_MASTER_KEY: config.masterKey })
  const keyRing = new KeyRing({ store, ids, clock, masterKey })
  const studios = new StudioService({
    store,
    ids,
    clock,
    keys,
    credentials: new FileCredentials(join(dataDir, 'owner-key')),
  })
  const similarity = new SimilarityIndex(store)
  const log = new LogService({
    store,
    keyRing,
    clock,
    ids,
    config: { ...DEFAULT_LOG_CONFIG, ...config.log },
    fetch: (url, init) => fetch(url, init),
  })
  const provenance = new ProvenanceService({ store, clock, log, blobs, codec })
  const assets = new AssetService({
    store,
    blobs,
    codec,
    ids,
    clock,
    similarity,
    log,
    versionSteps: provenance,
  })
  const grants = new GrantService({ keyRing, clock })
  const licences = new LicenceService({
    store,
    ids,
    clock,
    grants,
    // A payment-required agreement is paid from the assignee's prepaid wallet when it can be.
    prepay: async (tx, p) => {
      const asset = await tx.assets.get(p.studioId, p.assetId)
      if (asset === null) throw new Error(`asset ${p.assetId} vanished`)
      await wallets.debit(tx, {
        studioId: p.studioId,
        party: p.party,
        currency: p.amount.currency,
        split: await splitCharge(tx, asset, p.amount.minor, royalties),
        refs: { agreement: p.agreementId, asset: p.assetId, kind: 'licence' },
        memo: `prepaid licence fee, agreement ${p.agreementId}`,
      })
    },
  })
  const watermark = new WatermarkService({ keyRing, codec })
  const credentials = new CredentialService({
    store,
    blobs,
    codec,
    clock,
    ids,
    masterKey,
    ca: new X509CertificateAuthority(),
    c2pa: new C2paNodeEngine(),
    log,
  })
  const exports = new ExportService({
    store,
    blobs,
    codec,
    grants,
    licences,
    marker: watermark.exportMarker(),
    credentials,
    holdOf: (studioId, grantId) => store.usage.hold(studioId, grantId),
  })
  const forensics = new ForensicsService({ store, codec, clock, ids, watermark, assets, log })
  const preparer = new WorkerUsagePreparer()
  const usage = new UsageService({ store, clock, ids, royalties, log, preparer })
  const billing = new BillingService({ store, clock, ids, royalties, log })
  const ledger = new LedgerService({ store, clock, ids })
  return {
    config: { ...config, dataDir },
    store,
    blobs,
    codec,
    clock,
    ids,
    keys,
    keyRing,
    studios,
    assets,
    licences,
    grants,
    exports,
    watermark,
    log,
    provenance,
    forensics,
    credentials,
    usage,
    wallets,
    billing,
    ledger,
    close: async () => {
      try {
        await preparer.close()
        await log.close()
      } finally {
        await store.close()
      }
    },
  }
}

/**
 * Verifies a file's Content Credentials and XMP licence without a data folder (no log, no
 * studio): `trustAnchorsPem` are the PEM roots to trust, or null to check signatures only.
 * Throws `IMAGE_UNREADABLE` for a file that is not an image.
 */
export function verifyStandalone(
  bytes: Uint8Array,
  trustAnchorsPem: string | null,
): Promise<VerifyReport> {
  return verifyFile(
    { c2pa: new C2paNodeEngine(), codec: new SharpImageCodec() },
    bytes,
    trustAnchorsPem,
  )
}

/** Parses PEM trust anchors; throws `CREDENTIAL_TRUST_INVALID` when none can be read. */
export function parseTrustAnchors(pem: string): Promise<string> {
  return new X509CertificateAuthority().parseTrustAnchors(pem)
}
