import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { FsBlobStore } from './adapters/blob-fs/index.js'
import { SharpImageCodec } from './adapters/image-sharp/index.js'
import { FileCredentials, loadMasterKey } from './adapters/local-credentials/index.js'
import { NodeIdSource, systemClock } from './adapters/node-runtime/index.js'
import { openPostgresStore } from './adapters/postgres/index.js'
import { openSqliteStore } from './adapters/sqlite/index.js'
import { AssetService } from './app/asset-service.js'
import { ForensicsService } from './app/forensics/index.js'
import { KeyRing } from './app/key-ring.js'
import { KeyService } from './app/key-service.js'
import { ExportService, GrantService, LicenceService } from './app/licence/index.js'
import { DEFAULT_LOG_CONFIG, type LogConfig, LogService } from './app/log/index.js'
import type { BlobStore, Clock, IdSource, ImageCodec, Store } from './app/ports.js'
import { ProvenanceService } from './app/provenance/index.js'
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
  const clock = systemClock
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
  const assets = new AssetService({ store, blobs, codec, ids, clock, similarity, log })
  const grants = new GrantService({ keyRing, clock })
  const licences = new LicenceService({ store, ids, clock, grants })
  const watermark = new WatermarkService({ keyRing, codec })
  const exports = new ExportService({
    store,
    blobs,
    codec,
    grants,
    licences,
    marker: watermark.exportMarker(),
  })
  const provenance = new ProvenanceService({ store, clock, log })
  const forensics = new ForensicsService({ store, codec, clock, ids, watermark, assets, log })
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
    close: async () => {
      try {
        await log.close()
      } finally {
        await store.close()
      }
    },
  }
}
