import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { SharpImageCodec } from '../src/adapters/image-sharp/index.js'
import { openSelvedge, type Selvedge } from '../src/compose.js'
import type { Caller } from '../src/core/access/index.js'
import { demoPatterns } from '../src/core/demo/index.js'
import { openLoop } from './support/open-loop.js'
import { median, progress, round, timeRun } from './support/timing.js'

// Usage ingest (issue 7): durable, deduplicated, batch-logged throughput on SQLite and
// PostgreSQL, single-event HTTP latency under load, and closing a period of many events.
// Throughput batches go in as JSON text (as a client sends them), and on SQLite also as parsed
// objects through the in-process API. HTTP runs against a server in its own process: closed loop
// with autocannon (`httpP50Ms`, `httpP99Ms`), then open loop at half that throughput
// (`httpOpenLoop…`), beside `GET /healthz` under the same 200 connections (the floor).
// Sizes: BENCH_USAGE_EVENTS (events closed in one period, default 1,000,000; multiples of
// 1,000), BENCH_USAGE_THROUGHPUT_EVENTS (events per throughput run, default 200,000),
// BENCH_USAGE_CONCURRENCY (batches in flight, default 16), BENCH_USAGE_HTTP_SECONDS (10);
// BENCH_USAGE_HTTP_RATES=100,400 adds open-loop runs at those rates.

const BATCH = 1_000
const LOG_BATCH_INTERVAL_MS = 20
const HTTP_CONNECTIONS = 200
const HTTP_WARMUP_SECONDS = 2
const LATENCY_BATCHES = 9
// The open-loop HTTP run offers this share of the closed-loop run's throughput.
const HTTP_RATED_SHARE = 0.5

const CLOSE_EVENTS = intFromEnv('BENCH_USAGE_EVENTS', 1_000_000)
const THROUGHPUT_EVENTS = intFromEnv('BENCH_USAGE_THROUGHPUT_EVENTS', 200_000)
const CONCURRENCY = intFromEnv('BENCH_USAGE_CONCURRENCY', 16)
const HTTP_SECONDS = intFromEnv('BENCH_USAGE_HTTP_SECONDS', 10)
// BENCH_USAGE_ONLY=sqlite,postgres,http,http-postgres,close runs only those parts (the others
// report null); http-postgres runs the HTTP part against PostgreSQL too, when DATABASE_URL is set.
const ONLY = new Set(
  (process.env['BENCH_USAGE_ONLY'] ?? 'sqlite,postgres,http,http-postgres,close').split(','),
)

const MILL = 'https://mill.example/'
const SOURCE = 'https://mill.example/printers/line-1'
const PERIOD = '2026-10'
// Setup, ingest and close instants: every event falls in PERIOD, inside the grant's window and
// within the 35 days the service accepts.
const T_SETUP = '2026-10-01T09:00:00.000Z'
const T_INGEST = '2026-10-28T12:00:00.000Z'
const T_CLOSE = '2026-11-02T08:00:00.000Z'
const EVENT_START_MS = Date.parse('2026-10-02T00:00:00.000Z')

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be > 0`)
  return value
}

interface Target {
  readonly dataDir: string
  readonly databaseUrl?: string
  readonly databaseSchema?: string
}

interface Fixture {
  readonly owner: Caller
  readonly mill: Caller
  readonly millKey: string
  readonly grantIds: readonly string[]
}

function open(target: Target, now: string): Promise<Selvedge> {
  return openSelvedge({
    dataDir: target.dataDir,
    now,
    ...(target.databaseUrl === undefined
      ? {}
      : { databaseUrl: target.databaseUrl, databaseSchema: target.databaseSchema }),
    log: { batchIntervalMs: LOG_BATCH_INTERVAL_MS },
  })
}

/** A studio with a parent pattern, a derived colourway, a postpaid licence and two grants. */
async function setUp(s: Selvedge): Promise<Fixture> {
  const { ownerKey } = await s.studios.init()
  const owner = await s.keys.authenticate(ownerKey)
  const codec = new SharpImageCodec()
  const [first, second] = demoPatterns()
  if (first === undefined || second === undefined) throw new Error('no demo patterns')
  const parent = await s.assets.ingest(owner, {
    bytes: await codec.encodePng(first.image),
    filename: 'parent.png',
    metadata: {
      title: 'Parent weave',
      visibility: 'published',
      designers: [{ name: 'Ines', shareBps: 10_000 }],
    },
  })
  const child = await s.assets.ingest(owner, {
    bytes: await codec.encodePng(second.image),
    filename: 'child.png',
    metadata: {
      title: 'Child colourway',
      visibility: 'published',
      designers: [
        { name: 'Ada', shareBps: 6000 },
        { name: 'Bo', shareBps: 4000 },
      ],
      lineage: [{ relation: 'colourwayOf', assetId: parent.asset.id, royaltyBps: 1000 }],
    },
  })
  const grantIds: string[] = []
  for (const asset of [child.asset.id, parent.asset.id]) {
    await s.licences.attach(owner, asset, {
      kind: 'template',
      template: 'extended',
      params: { unitCap: '1000', unitPrice: '0.02', settlement: 'postpaid' },
    })
  }
  const created = await s.keys.create(owner, { role: 'licensee', party: MILL })
  const mill = await s.keys.authenticate(created.key)
  for (const asset of [child.asset.id, parent.asset.id]) {
    const outcome = await s.licences.createAgreement(mill, asset, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 500,
    })
    if (outcome.kind !== 'agreed') throw new Error(outcome.decision.explanation)
    grantIds.push(outcome.grantId)
  }
  return { owner, mill, millKey: created.key, grantIds }
}

function usageEvent(grantId: string, id: string, n: number): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source: SOURCE,
    type: 'dev.selvedge.usage.units',
    subject: grantId,
    time: new Date(EVENT_START_MS + (n % 2_000_000) * 1_000).toISOString(),
    datacontenttype: 'application/json',
    data: { units: 1 + (n % 7) },
  }
}

/** `count` batches of BATCH fresh events, spread over the grants. */
function batches(fixture: Fixture, tag: string, count: number): Record<string, unknown>[][] {
  const out: Record<string, unknown>[][] = []
  for (let b = 0; b < count; b++) {
    const batch: Record<string, unknown>[] = []
    for (let i = 0; i < BATCH; i++) {
      const n = b * BATCH + i
      const grant = fixture.grantIds[n % fixture.grantIds.length] as string
      batch.push(usageEvent(grant, `${tag}-${n}`, n))
    }
    out.push(batch)
  }
  return out
}

/** A batch as a client sends it (JSON text), or as objects (the in-process API). */
type Batch = string | readonly unknown[]

async function ingestOne(s: Selvedge, fixture: Fixture, batch: Batch): Promise<void> {
  const access = { caller: fixture.mill }
  const report =
    typeof batch === 'string'
      ? await s.usage.ingestJson(access, batch)
      : await s.usage.ingest(access, batch)
  if (report.accepted !== BATCH || report.logIndex === null) {
    throw new Error(`batch not accepted: ${JSON.stringify(report).slice(0, 300)}`)
  }
}

/** Ingests the batches with `concurrency` in flight; returns wall and CPU time. */
async function ingestAll(
  s: Selvedge,
  fixture: Fixture,
  all: readonly Batch[],
  concurrency: number,
  onBatch?: (done: number) => void,
) {
  let next = 0
  let done = 0
  return timeRun(async () => {
    const worker = async () => {
      for (;;) {
        const k = next++
        const batch = all[k]
        if (batch === undefined) return
        await ingestOne(s, fixture, batch)
        done++
        onBatch?.(done)
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
  })
}

interface IngestResult {
  readonly eventsPerSecond: number
  readonly cpuMsPerThousand: number
  readonly batchMedianMs: number
  readonly duplicateBatchMedianMs: number
}

/**
 * Throughput with CONCURRENCY batches in flight, then one batch at a time (latency). Batches go
 * in as JSON text, serialised beforehand as a client would send them; with `asObjects`, as
 * parsed objects through the in-process API, which prepares them on the calling thread.
 */
async function ingestRate(target: Target, asObjects = false): Promise<IngestResult> {
  const form = (all: Record<string, unknown>[][]): Batch[] =>
    asObjects ? all : all.map((b) => JSON.stringify(b))
  let s = await open(target, T_SETUP)
  const fixture = await setUp(s)
  await s.close()
  s = await open(target, T_INGEST)
  try {
    // Warm-up: JIT, statement caches and the log's first checkpoints.
    await ingestAll(s, fixture, form(batches(fixture, 'warm', 4)), 2)
    const count = Math.max(1, Math.round(THROUGHPUT_EVENTS / BATCH))
    const load = form(batches(fixture, 'load', count))
    const run = await ingestAll(s, fixture, load, CONCURRENCY)
    const eventsPerSecond = (count * BATCH) / (run.wallMs / 1000)
    const single = form(batches(fixture, 'single', LATENCY_BATCHES))
    const singleMs: number[] = []
    for (const batch of single)
      singleMs.push((await timeRun(() => ingestOne(s, fixture, batch))).wallMs)
    // Re-sending a batch: every event a duplicate, nothing written or logged.
    const dupMs: number[] = []
    for (const batch of single.slice(0, 5)) {
      dupMs.push(
        (
          await timeRun(async () => {
            const access = { caller: fixture.mill }
            const r =
              typeof batch === 'string'
                ? await s.usage.ingestJson(access, batch)
                : await s.usage.ingest(access, batch)
            if (r.duplicates !== BATCH) throw new Error('duplicates not detected')
          })
        ).wallMs,
      )
    }
    return {
      eventsPerSecond,
      cpuMsPerThousand: run.cpuMs / count,
      batchMedianMs: median(singleMs),
      duplicateBatchMedianMs: median(dupMs),
    }
  } finally {
    await s.close()
  }
}

async function sqliteRate(asObjects = false): Promise<IngestResult> {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-bench-usage-'))
  try {
    return await ingestRate({ dataDir: dir }, asObjects)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function postgresRate(url: string): Promise<IngestResult> {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-bench-usage-'))
  const schema = `selvedge_bench_${randomBytes(6).toString('hex')}`
  try {
    return await ingestRate({ dataDir: dir, databaseUrl: url, databaseSchema: schema })
  } finally {
    await dropSchema(url, schema)
    await rm(dir, { recursive: true, force: true })
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`drop schema if exists "${schema}" cascade`)
  await client.end()
}

/** The API served from its own process (see `support/usage-server.child.ts`). */
interface ServerProcess {
  readonly address: string
  cpuMs(): Promise<number>
  close(): Promise<void>
}

async function startServer(target: Target, now: string): Promise<ServerProcess> {
  const database =
    target.databaseUrl === undefined ? [] : [target.databaseUrl, target.databaseSchema ?? '']
  const child = fork(
    fileURLToPath(new URL('./support/usage-server.child.ts', import.meta.url)),
    [target.dataDir, now, String(LOG_BATCH_INTERVAL_MS), ...database],
    {
      execArgv: [
        '--import',
        'tsx',
        // BENCH_USAGE_SERVER_PROF=DIR writes the server's CPU profile there.
        ...(process.env['BENCH_USAGE_SERVER_PROF']
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_USAGE_SERVER_PROF']}`]
          : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(m[key] as T)
      }
      const onExit = (code: number | null) => reject(new Error(`the server exited (${code})`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const address = await next<string>('address')
  return {
    address,
    cpuMs: async () => {
      const reply = next<NodeJS.CpuUsage>('cpu')
      child.send('cpu')
      const cpu = await reply
      return (cpu.user + cpu.system) / 1000
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.send('close')
      await exited
    },
  }
}

interface LatencyRun {
  readonly p50: number
  readonly p99: number
  readonly requestsPerSecond: number
  readonly timeouts: number
  readonly serverCpuMsPerRequest: number
}

/**
 * Single-event `POST /v1/usage` under HTTP_CONNECTIONS connections, on SQLite, with the server
 * in its own process. Two runs: closed loop (every connection sends its next request as soon
 * as the last is answered, so latency is queueing at the server's saturation rate: by Little's
 * law, connections ÷ throughput), and open loop at HTTP_RATED_SHARE of that rate across the
 * same connections (the latency a client sees when the server is busy but not overrun).
 */
async function httpLatency(databaseUrl?: string) {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-bench-usage-http-'))
  const target: Target =
    databaseUrl === undefined
      ? { dataDir: dir }
      : {
          dataDir: dir,
          databaseUrl,
          databaseSchema: `selvedge_bench_${randomBytes(6).toString('hex')}`,
        }
  try {
    const s = await open(target, T_SETUP)
    const fixture = await setUp(s)
    await s.close()
    const server = await startServer(target, T_INGEST)
    try {
      const { address } = server
      const headers = {
        authorization: `Bearer ${fixture.millKey}`,
        'content-type': 'application/cloudevents+json',
      }
      const grant = fixture.grantIds[0] as string
      const probe = await fetch(`${address}/v1/usage`, {
        method: 'POST',
        headers,
        body: JSON.stringify(usageEvent(grant, 'probe', 0)),
      })
      if (probe.status !== 200) {
        throw new Error(`POST /v1/usage answered ${probe.status}: ${await probe.text()}`)
      }
      let n = 0
      const load = (duration: number) =>
        autocannon({
          url: `${address}/v1/usage`,
          connections: HTTP_CONNECTIONS,
          pipelining: 1,
          duration,
          method: 'POST',
          headers,
          requests: [
            {
              setupRequest: (req) => {
                n++
                return { ...req, body: JSON.stringify(usageEvent(grant, `http-${n}`, n)) }
              },
            },
          ],
        })
      const closedLoop = async (duration: number): Promise<LatencyRun> => {
        // Requests an earlier run left in flight finish before this one starts.
        await new Promise((resolve) => setTimeout(resolve, 1_000))
        const cpu0 = await server.cpuMs()
        const result = await load(duration)
        const cpu = (await server.cpuMs()) - cpu0
        // A request unanswered after autocannon's 10 s timeout is counted, not fatal: it is latency.
        if (result.non2xx > 0 || result.errors > result.timeouts) {
          throw new Error(`${result.non2xx} non-2xx, ${result.errors - result.timeouts} errors`)
        }
        return {
          p50: result.latency.p50,
          p99: result.latency.p99,
          requestsPerSecond: result.requests.average,
          timeouts: result.timeouts,
          serverCpuMsPerRequest: cpu / Math.max(1, result.requests.total),
        }
      }
      const openLoopAt = async (rate: number, seconds: number): Promise<LatencyRun> => {
        await new Promise((resolve) => setTimeout(resolve, 1_000))
        const cpu0 = await server.cpuMs()
        const result = await openLoop({
          url: `${address}/v1/usage`,
          connections: HTTP_CONNECTIONS,
          rate,
          seconds,
          headers,
          body: () => {
            n++
            return JSON.stringify(usageEvent(grant, `http-${n}`, n))
          },
        })
        const cpu = (await server.cpuMs()) - cpu0
        if (result.failed > 0) throw new Error(`${result.failed} of ${result.sent} requests failed`)
        return {
          p50: result.p50,
          p99: result.p99,
          requestsPerSecond: result.requestsPerSecond,
          timeouts: 0,
          serverCpuMsPerRequest: cpu / Math.max(1, result.ok),
        }
      }
      // The floor on this machine: the cheapest route that touches the database, under the
      // same connections, measured first on the idle server.
      const healthz = (duration: number) =>
        autocannon({
          url: `${address}/healthz`,
          connections: HTTP_CONNECTIONS,
          pipelining: 1,
          duration,
        })
      await healthz(1)
      const floor = await healthz(HTTP_WARMUP_SECONDS)
      // A short first run warms the JIT and the caches up; only the later ones are reported.
      await load(HTTP_WARMUP_SECONDS)
      // BENCH_USAGE_HTTP_RATES=100,400 also runs the open loop at those rates (3 s each).
      for (const r of (process.env['BENCH_USAGE_HTTP_RATES'] ?? '').split(',').filter(Boolean)) {
        const x = await openLoopAt(Number(r), 3)
        progress(
          `open loop at ${r} req/s: p50 ${x.p50} ms, p99 ${x.p99} ms, ${round(x.serverCpuMsPerRequest)} ms server CPU per request`,
        )
      }
      const saturated = await closedLoop(HTTP_SECONDS)
      const rate = Math.max(1, Math.round(saturated.requestsPerSecond * HTTP_RATED_SHARE))
      const rated = await openLoopAt(rate, HTTP_SECONDS)
      return {
        saturated,
        rated: { ...rated, offeredRate: rate },
        floorP50: floor.latency.p50,
        floorP99: floor.latency.p99,
        floorRequestsPerSecond: floor.requests.average,
      }
    } finally {
      await server.close()
    }
  } finally {
    if (target.databaseUrl !== undefined && target.databaseSchema !== undefined) {
      await dropSchema(target.databaseUrl, target.databaseSchema)
    }
    await rm(dir, { recursive: true, force: true })
  }
}

/** Ingests CLOSE_EVENTS into one period on SQLite, then closes it. */
async function closePeriod() {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-bench-usage-close-'))
  try {
    const target = { dataDir: dir }
    let s = await open(target, T_SETUP)
    const fixture = await setUp(s)
    await s.close()
    s = await open(target, T_INGEST)
    const count = Math.max(1, Math.round(CLOSE_EVENTS / BATCH))
    let ingest: { wallMs: number; cpuMs: number }
    try {
      // Built a slice at a time so that a million raw events never sit in memory at once.
      let wallMs = 0
      let cpuMs = 0
      const slice = 50
      for (let from = 0; from < count; from += slice) {
        const all = batches(fixture, `close-${from}`, Math.min(slice, count - from))
        const run = await ingestAll(s, fixture, all, CONCURRENCY)
        wallMs += run.wallMs
        cpuMs += run.cpuMs
        progress(`close: ${Math.min(count, from + slice) * BATCH} events ingested`)
      }
      ingest = { wallMs, cpuMs }
    } finally {
      await s.close()
    }
    s = await open(target, T_CLOSE)
    try {
      let documents = 0
      const run = await timeRun(async () => {
        const closed = await s.billing.close(fixture.owner, PERIOD)
        documents = closed.invoices.length + closed.statements.length
      })
      return { events: count * BATCH, ingest, close: run, documents }
    } finally {
      await s.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const load = loadavg().map((x) => round(x, 3))
  progress(`bench:usage on ${cpus().length} cores, load ${load.join(' ')}`)
  progress(
    `log batch interval ${LOG_BATCH_INTERVAL_MS} ms, ${CONCURRENCY} batches of ${BATCH} in flight`,
  )
  const describe = (name: string, r: IngestResult) =>
    progress(
      `${name}: ${Math.round(r.eventsPerSecond)} events/s; one batch ${round(r.batchMedianMs)} ms, a duplicate batch ${round(r.duplicateBatchMedianMs)} ms; ${round(r.cpuMsPerThousand)} ms CPU per 1,000`,
    )
  const sqlite = ONLY.has('sqlite') ? await sqliteRate() : null
  if (sqlite !== null) describe('sqlite', sqlite)
  // The same through the in-process API with parsed objects, which prepares on the main thread.
  const sqliteObjects = ONLY.has('sqlite') ? await sqliteRate(true) : null
  if (sqliteObjects !== null) describe('sqlite, objects in process', sqliteObjects)
  const url = process.env['DATABASE_URL']
  const postgres =
    url === undefined || url === '' || !ONLY.has('postgres') ? null : await postgresRate(url)
  if (postgres !== null) describe('postgres', postgres)
  const line = (r: LatencyRun) =>
    `p50 ${r.p50} ms, p99 ${r.p99} ms at ${Math.round(r.requestsPerSecond)} req/s, ${r.timeouts} timeouts, ${round(r.serverCpuMsPerRequest)} ms server CPU per request`
  const http = ONLY.has('http') ? await httpLatency() : null
  if (http !== null) {
    progress(`http, closed loop: ${line(http.saturated)}`)
    progress(`http, open loop at ${http.rated.offeredRate} req/s: ${line(http.rated)}`)
    progress(
      `GET /healthz: p50 ${http.floorP50} ms, p99 ${http.floorP99} ms at ${Math.round(http.floorRequestsPerSecond)} req/s`,
    )
  }
  const httpPostgres =
    url === undefined || url === '' || !ONLY.has('http-postgres') ? null : await httpLatency(url)
  if (httpPostgres !== null) {
    progress(`http on postgres, closed loop: ${line(httpPostgres.saturated)}`)
    progress(
      `http on postgres, open loop at ${httpPostgres.rated.offeredRate} req/s: ${line(httpPostgres.rated)}`,
    )
  }
  const close = ONLY.has('close') ? await closePeriod() : null
  if (close !== null) {
    progress(
      `close: ${close.events} events ingested in ${round(close.ingest.wallMs / 1000)} s, closed in ${round(close.close.wallMs / 1000)} s (${round(close.close.cpuMs / 1000)} s CPU), ${close.documents} documents`,
    )
  }
  const summary = {
    sqliteEventsPerSecond: sqlite === null ? null : Math.round(sqlite.eventsPerSecond),
    postgresEventsPerSecond: postgres === null ? null : Math.round(postgres.eventsPerSecond),
    sqliteObjectsEventsPerSecond:
      sqliteObjects === null ? null : Math.round(sqliteObjects.eventsPerSecond),
    ingestConcurrency: CONCURRENCY,
    eventsPerBatch: BATCH,
    logBatchIntervalMs: LOG_BATCH_INTERVAL_MS,
    sqliteBatchMedianMs: sqlite === null ? null : round(sqlite.batchMedianMs),
    postgresBatchMedianMs: postgres === null ? null : round(postgres.batchMedianMs),
    sqliteDuplicateBatchMedianMs: sqlite === null ? null : round(sqlite.duplicateBatchMedianMs),
    postgresDuplicateBatchMedianMs:
      postgres === null ? null : round(postgres.duplicateBatchMedianMs),
    sqliteCpuMsPer1000Events: sqlite === null ? null : round(sqlite.cpuMsPerThousand),
    postgresCpuMsPer1000Events: postgres === null ? null : round(postgres.cpuMsPerThousand),
    httpP50Ms: http?.saturated.p50 ?? null,
    httpP99Ms: http?.saturated.p99 ?? null,
    httpRequestsPerSecond: http === null ? null : Math.round(http.saturated.requestsPerSecond),
    httpConnections: HTTP_CONNECTIONS,
    httpTimeouts: http?.saturated.timeouts ?? null,
    httpServerCpuMsPerRequest: http === null ? null : round(http.saturated.serverCpuMsPerRequest),
    httpOpenLoopOfferedPerSecond: http?.rated.offeredRate ?? null,
    httpOpenLoopP50Ms: http?.rated.p50 ?? null,
    httpOpenLoopP99Ms: http?.rated.p99 ?? null,
    httpHealthzP50Ms: http?.floorP50 ?? null,
    httpHealthzP99Ms: http?.floorP99 ?? null,
    httpHealthzRequestsPerSecond: http === null ? null : Math.round(http.floorRequestsPerSecond),
    postgresHttpP50Ms: httpPostgres?.saturated.p50 ?? null,
    postgresHttpP99Ms: httpPostgres?.saturated.p99 ?? null,
    postgresHttpRequestsPerSecond:
      httpPostgres === null ? null : Math.round(httpPostgres.saturated.requestsPerSecond),
    postgresHttpOpenLoopP99Ms: httpPostgres?.rated.p99 ?? null,
    closeSeconds: close === null ? null : round(close.close.wallMs / 1000),
    closeCpuSeconds: close === null ? null : round(close.close.cpuMs / 1000),
    closeEvents: close?.events ?? null,
    closeIngestEventsPerSecond:
      close === null ? null : Math.round(close.events / (close.ingest.wallMs / 1000)),
    closeDocuments: close?.documents ?? null,
    cores: cpus().length,
    loadAverage: load,
    loadAverageAfter: loadavg().map((x) => round(x, 3)),
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`)
}

await main()
