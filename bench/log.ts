import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import { NodeIdSource, systemClock } from '../src/adapters/node-runtime/index.js'
import { openPostgresStore } from '../src/adapters/postgres/index.js'
import { openSqliteStore } from '../src/adapters/sqlite/index.js'
import { KeyRing } from '../src/app/key-ring.js'
import { DEFAULT_LOG_CONFIG, encodeLogEntry, LogService } from '../src/app/log/index.js'
import type { Store } from '../src/app/ports.js'
import { openSelvedge } from '../src/compose.js'
import {
  type Hash,
  leafHash,
  parseCheckpoint,
  parseProofFile,
  tilePath,
  verifyInclusion,
  verifyProofFile,
} from '../src/core/tlog/index.js'
import { createApi } from '../src/http/server.js'

// Sized to finish in about a minute on two busy cores.
const APPEND_ENTRIES = 100_000
const PROOFS = 2_000
const VERIFICATIONS = 200_000
const FILE_VERIFICATIONS = 5_000
const TILE_SECONDS = 4

function progress(line: string): void {
  process.stderr.write(`${line}\n`)
}

function entries(count: number): Uint8Array[] {
  const time = new Date().toISOString()
  return Array.from({ length: count }, (_, i) =>
    encodeLogEntry({
      type: 'asset.registered',
      studio: 'std_bench',
      time,
      asset: `ast_bench_${i}`,
      sha256: randomBytes(32).toString('hex'),
      metadataSha256: randomBytes(32).toString('hex'),
    }),
  )
}

function logOver(store: Store): LogService {
  const ids = new NodeIdSource()
  return new LogService({
    store,
    keyRing: new KeyRing({ store, ids, clock: systemClock, masterKey: randomBytes(32) }),
    clock: systemClock,
    ids,
    config: { ...DEFAULT_LOG_CONFIG, batchIntervalMs: 1_000, maxBatch: 20_000 },
  })
}

/** Durable appends: queue every entry, then wait until signed checkpoints cover them all. */
async function appendRate(store: Store): Promise<{ perSecond: number; checkpoints: number }> {
  const log = logOver(store)
  await log.checkpoint()
  const batch = entries(APPEND_ENTRIES)
  const started = performance.now()
  const ids = await log.submit(batch)
  await log.waitFor(ids)
  const seconds = (performance.now() - started) / 1000
  const checkpoints = (await store.log.checkpoints(1, 1_000_000)).length
  await log.close()
  return { perSecond: APPEND_ENTRIES / seconds, checkpoints }
}

async function sqliteRate() {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-bench-log-'))
  try {
    const store = await openSqliteStore(join(dir, 'selvedge.db'))
    try {
      return await appendRate(store)
    } finally {
      await store.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function postgresRate(url: string) {
  const schema = `selvedge_bench_${randomBytes(6).toString('hex')}`
  const store = await openPostgresStore(url, { schema })
  try {
    return await appendRate(store)
  } finally {
    await store.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`drop schema if exists "${schema}" cascade`)
    await client.end()
  }
}

async function main(): Promise<void> {
  progress(`bench:log on ${cpus().length} cores`)
  const sqlite = await sqliteRate()
  progress(`sqlite: ${Math.round(sqlite.perSecond)} entries/s (${sqlite.checkpoints} checkpoints)`)
  const url = process.env['DATABASE_URL']
  const postgres = url === undefined || url === '' ? null : await postgresRate(url)
  if (postgres !== null) {
    progress(
      `postgres: ${Math.round(postgres.perSecond)} entries/s (${postgres.checkpoints} checkpoints)`,
    )
  }

  // Proofs and tiles from a Selvedge instance, as served.
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-bench-serve-'))
  const selvedge = await openSelvedge({ dataDir: dir, log: { batchIntervalMs: 1_000 } })
  try {
    const logged = entries(70_000)
    await selvedge.log.append(logged)
    const checkpoint = await selvedge.log.checkpoint()
    const size = checkpoint.size
    const vkey = await selvedge.log.vkey()

    const proofFiles: string[] = []
    const proofIndexes: number[] = []
    let started = performance.now()
    for (let i = 0; i < PROOFS; i++) {
      const index = Math.floor(Math.random() * size)
      proofIndexes.push(index)
      proofFiles.push(await selvedge.log.proof(index))
    }
    const proofsPerSecond = PROOFS / ((performance.now() - started) / 1000)
    progress(`proofs: ${Math.round(proofsPerSecond)}/s`)

    // Merkle inclusion verification (RFC 9162 §2.1.3.2) of served proofs.
    const root = parseCheckpoint(
      checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1),
    ).rootHash
    const parsed = proofFiles.map((p, k) => ({
      proof: parseProofFile(p).proof as Hash[],
      index: proofIndexes[k] as number,
      leaf: leafHash(logged[proofIndexes[k] as number] as Uint8Array),
    }))
    let ok = 0
    started = performance.now()
    for (let i = 0; i < VERIFICATIONS; i++) {
      const p = parsed[i % parsed.length] as (typeof parsed)[number]
      if (verifyInclusion(p.leaf, p.index, size, p.proof, root)) ok++
    }
    const proofVerificationsPerSecond = VERIFICATIONS / ((performance.now() - started) / 1000)
    if (ok !== VERIFICATIONS) throw new Error('a proof failed to verify')
    progress(`inclusion verifications: ${Math.round(proofVerificationsPerSecond)}/s`)

    // Whole tlog-proof files: signature over the checkpoint plus the inclusion proof.
    started = performance.now()
    for (let i = 0; i < FILE_VERIFICATIONS; i++) {
      const k = i % proofFiles.length
      const verdict = verifyProofFile({
        vkey,
        proofFile: proofFiles[k] as string,
        entry: logged[proofIndexes[k] as number] as Uint8Array,
      })
      if (!verdict.ok) throw new Error(verdict.reason)
    }
    const proofFileVerificationsPerSecond =
      FILE_VERIFICATIONS / ((performance.now() - started) / 1000)
    progress(`tlog-proof file verifications: ${Math.round(proofFileVerificationsPerSecond)}/s`)

    // Full tiles over HTTP on loopback, a mix of hash tiles and entry bundles.
    const app = await createApi(selvedge)
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    const fullTiles = Math.floor(size / 256)
    const paths: string[] = []
    for (let n = 0; n < fullTiles; n++) {
      for (const kind of ['hash', 'entries'] as const) {
        paths.push(`/log/${tilePath({ level: 0, index: n, width: 256, kind })}`)
      }
    }
    const result = await autocannon({
      url: address,
      connections: 32,
      pipelining: 1,
      duration: TILE_SECONDS,
      requests: paths.map((path) => ({ method: 'GET', path })),
    })
    await app.close()
    const tilesPerSecond = result.requests.average
    if (result.non2xx > 0 || result.errors > 0) throw new Error('tile requests failed')
    progress(`tiles: ${Math.round(tilesPerSecond)}/s over HTTP`)

    const summary = {
      sqliteEntriesPerSecond: Math.round(sqlite.perSecond),
      sqliteCheckpoints: sqlite.checkpoints,
      postgresEntriesPerSecond: postgres === null ? null : Math.round(postgres.perSecond),
      postgresCheckpoints: postgres?.checkpoints ?? null,
      entriesAppended: APPEND_ENTRIES,
      proofsPerSecond: Math.round(proofsPerSecond),
      proofVerificationsPerSecond: Math.round(proofVerificationsPerSecond),
      proofFileVerificationsPerSecond: Math.round(proofFileVerificationsPerSecond),
      tilesPerSecond: Math.round(tilesPerSecond),
      cores: cpus().length,
    }
    process.stdout.write(`${JSON.stringify(summary)}\n`)
  } finally {
    await selvedge.close()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
