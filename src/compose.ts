import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { FsBlobStore } from './adapters/blob-fs/index.js'
import { SharpImageCodec } from './adapters/image-sharp/index.js'
import { FileCredentials, loadMasterKey } from './adapters/local-credentials/index.js'
import { NodeIdSource, systemClock } from './adapters/node-runtime/index.js'
import { openPostgresStore } from './adapters/postgres/index.js'
import { openSqliteStore } from './adapters/sqlite/index.js'
import { AssetService } from './app/asset-service.js'
import { KeyRing } from './app/key-ring.js'
import { KeyService } from './app/key-service.js'
import type { BlobStore, Clock, IdSource, ImageCodec, Store } from './app/ports.js'
import { SimilarityIndex } from './app/similarity-index.js'
import { StudioService } from './app/studio-service.js'

export interface SelvedgeConfig {
  /** Folder for the SQLite database, blobs and the local owner-key file. */
  readonly dataDir: string
  /** `postgres://…` to use PostgreSQL instead of the embedded SQLite database. */
  readonly databaseUrl?: string | undefined
  /** Postgres schema to use (tests isolate themselves with one). */
  readonly databaseSchema?: string | undefined
  /** Base64 of the 32-byte master key; default `<dataDir>/master-key`. */
  readonly masterKey?: string | undefined
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
  close(): Promise<void>
}

/** Default data folder: `$SELVEDGE_DATA` or `./selvedge-data`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['SELVEDGE_DATA'] ?? 'selvedge-data')
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
  const assets = new AssetService({ store, blobs, codec, ids, clock, similarity })
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
    close: () => store.close(),
  }
}
