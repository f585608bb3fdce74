import { cpus, loadavg } from 'node:os'
import { SharpImageCodec } from '../src/adapters/image-sharp/index.js'
import { analyseFile } from '../src/app/analyse-file.js'
import type { RgbImage } from '../src/core/image/index.js'
import type { MihMatch } from '../src/core/pdq/index.js'
import {
  linearScan,
  MihIndex,
  PDQ_PACKED_WORDS,
  pdqHash,
  unpackPdqHash,
} from '../src/core/pdq/index.js'
import { buildCorpus, CORPUS_SIZE } from './support/corpus.js'
import type { BenchQuery } from './support/mih-workload.js'
import { countProbeWork, makeQueries, randomHashes } from './support/mih-workload.js'
import type { Timing } from './support/timing.js'
import { median, progress, round, timeRun } from './support/timing.js'

// Sized to finish in about a minute on two busy cores; medians over rounds absorb the noise.
const ANALYSIS_ROUNDS = 3
const PDQ_ROUNDS = 5
const INDEX_ENTRIES = 1_000_000
const MATCH_DISTANCE = 31
const MIH_QUERIES = 200
const LINEAR_QUERIES = 30
const MIH_ROUNDS = 9
const LINEAR_ROUNDS = 5
const HASH_SEED = 0x5e1f
const QUERY_SEED = 0x9e37

/** Per-item figures from timed rounds of `items` items each. */
function perItem(rounds: readonly Timing[], items: number) {
  const wallMs = median(rounds.map((r) => r.wallMs / items))
  const cpuMs = median(rounds.map((r) => r.cpuMs / items))
  return { wallMs, cpuMs, perSecond: 1000 / wallMs, perCpuSecond: 1000 / cpuMs }
}

async function rounds(count: number, fn: () => unknown): Promise<Timing[]> {
  const out: Timing[] = []
  for (let i = 0; i < count; i++) out.push(await timeRun(fn))
  return out
}

function compareMatches(a: MihMatch, b: MihMatch): number {
  return a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

async function benchAnalysis() {
  progress('building the corpus')
  const codec = new SharpImageCodec()
  const corpus = buildCorpus()
  const pngs: Uint8Array[] = []
  for (const { image } of corpus) pngs.push(await codec.encodePng(image))
  const pngBytes = pngs.reduce((sum, png) => sum + png.length, 0)
  progress(`${corpus.length} images of ${CORPUS_SIZE}×${CORPUS_SIZE}, ${pngBytes} PNG bytes`)

  await analyseFile(codec, pngs[0] as Uint8Array)
  const analysis = await rounds(ANALYSIS_ROUNDS, async () => {
    for (const png of pngs) await analyseFile(codec, png)
  })
  const analyses = perItem(analysis, pngs.length)
  progress(
    `analyseFile: ${analyses.wallMs.toFixed(0)} ms/image (${analyses.cpuMs.toFixed(0)} ms CPU)`,
  )

  const decoded: RgbImage[] = []
  for (const png of pngs) decoded.push(await codec.decode(png))
  for (const image of decoded) pdqHash(image)
  const hashing = perItem(
    await rounds(PDQ_ROUNDS, () => {
      for (const image of decoded) pdqHash(image)
    }),
    decoded.length,
  )
  progress(`pdqHash: ${hashing.wallMs.toFixed(1)} ms/image`)
  const withDecode = perItem(
    await rounds(PDQ_ROUNDS, async () => {
      for (const png of pngs) pdqHash(await codec.decode(png))
    }),
    pngs.length,
  )
  progress(`decode + pdqHash: ${withDecode.wallMs.toFixed(1)} ms/image`)
  return { images: corpus.length, pngBytes, analyses, hashing, withDecode }
}

async function benchIndex() {
  progress(`generating ${INDEX_ENTRIES} random hashes`)
  const stored = randomHashes(INDEX_ENTRIES, HASH_SEED)
  const ids = Array.from({ length: INDEX_ENTRIES }, (_, i) => `h${i}`)
  const hexes = ids.map((_, i) => unpackPdqHash(stored, i * PDQ_PACKED_WORDS))
  const queries = makeQueries(stored, MIH_QUERIES, QUERY_SEED)
  const linearQueries = queries.slice(0, LINEAR_QUERIES)

  const buffersBefore = process.memoryUsage().arrayBuffers
  const index = new MihIndex({ capacity: INDEX_ENTRIES })
  const add = await timeRun(() => {
    for (let i = 0; i < INDEX_ENTRIES; i++) index.add(ids[i] as string, hexes[i] as string)
  })
  // The first search buckets everything added so far.
  const build = await timeRun(() => index.search((queries[0] as BenchQuery).hex, MATCH_DISTANCE))
  const indexBytes = process.memoryUsage().arrayBuffers - buffersBefore
  progress(
    `index: add ${add.wallMs.toFixed(0)} ms, build ${build.wallMs.toFixed(0)} ms, ${(indexBytes / 1e6).toFixed(0)} MB of typed arrays`,
  )

  progress(`checking ${LINEAR_QUERIES} queries against linearScan`)
  let linearMatches = 0
  for (const q of linearQueries) {
    const expected = linearScan(stored, q.packed, MATCH_DISTANCE)
      .map((m) => ({ id: ids[m.index] as string, distance: m.distance }))
      .sort(compareMatches)
    const actual = index.search(q.hex, MATCH_DISTANCE)
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new Error(`MihIndex and linearScan disagree on ${q.hex}`)
    }
    linearMatches += expected.length
  }

  let mihMatches = 0
  const mihRound = () => {
    mihMatches = 0
    for (const q of queries) mihMatches += index.search(q.hex, MATCH_DISTANCE).length
  }
  const linearRound = () => {
    for (const q of linearQueries) linearScan(stored, q.packed, MATCH_DISTANCE)
  }
  // Warm both up, then alternate rounds so that both see the same background load.
  mihRound()
  linearRound()
  const mih: Timing[] = []
  const linear: Timing[] = []
  const pairedRatios: number[] = []
  for (let r = 0; r < MIH_ROUNDS; r++) {
    mih.push(await timeRun(mihRound))
    if (r >= LINEAR_ROUNDS) continue
    linear.push(await timeRun(linearRound))
    const m = mih[mih.length - 1] as Timing
    const l = linear[linear.length - 1] as Timing
    pairedRatios.push(l.wallMs / LINEAR_QUERIES / (m.wallMs / MIH_QUERIES))
  }
  const mihPerQuery = perItem(mih, MIH_QUERIES)
  const linearPerQuery = perItem(linear, LINEAR_QUERIES)
  progress(
    `MIH ${mihPerQuery.wallMs.toFixed(3)} ms/query, linear ${linearPerQuery.wallMs.toFixed(2)} ms/query`,
  )

  progress('counting probe work by brute force')
  let candidates = 0
  let survivors = 0
  let randomCandidates = 0
  let randomSurvivors = 0
  for (const q of linearQueries) {
    const work = countProbeWork(stored, q.packed, MATCH_DISTANCE)
    candidates += work.candidates
    survivors += work.survivors
    if (q.kind === 'random') {
      randomCandidates += work.candidates
      randomSurvivors += work.survivors
    }
  }
  return {
    entries: INDEX_ENTRIES,
    add,
    build,
    indexBytes,
    mihPerQuery,
    linearPerQuery,
    pairedRatios,
    mihMatchesPerRound: mihMatches,
    linearMatches,
    candidatesPerQuery: candidates / linearQueries.length,
    hashReadsPerQuery: survivors / linearQueries.length,
    rejection: 1 - survivors / candidates,
    randomRejection: 1 - randomSurvivors / randomCandidates,
  }
}

async function main(): Promise<void> {
  const started = performance.now()
  const loadStart = loadavg()
  progress(
    `node ${process.version}, ${cpus().length} CPUs, load ${loadStart.map((l) => l.toFixed(2)).join(' ')}`,
  )
  const a = await benchAnalysis()
  const m = await benchIndex()
  const result = {
    analysesPerSecond: round(a.analyses.perSecond),
    pdqHashesPerSecond: round(a.hashing.perSecond),
    pdqHashesPerSecondWithDecode: round(a.withDecode.perSecond),
    mihQueriesPerSecond: round(m.mihPerQuery.perSecond),
    linearQueriesPerSecond: round(m.linearPerQuery.perSecond),
    mihSpeedupVsLinear: round(m.linearPerQuery.wallMs / m.mihPerQuery.wallMs),
    mihSpeedupVsLinearCpu: round(m.linearPerQuery.cpuMs / m.mihPerQuery.cpuMs),
    mihSpeedupVsLinearPairedMedian: round(median(m.pairedRatios)),
    analysisMsPerImage: round(a.analyses.wallMs),
    analysisCpuMsPerImage: round(a.analyses.cpuMs),
    pdqHashMsPerImage: round(a.hashing.wallMs),
    pdqHashCpuMsPerImage: round(a.hashing.cpuMs),
    pdqHashWithDecodeMsPerImage: round(a.withDecode.wallMs),
    pdqHashWithDecodeCpuMsPerImage: round(a.withDecode.cpuMs),
    mihMsPerQuery: round(m.mihPerQuery.wallMs),
    mihCpuMsPerQuery: round(m.mihPerQuery.cpuMs),
    linearMsPerQuery: round(m.linearPerQuery.wallMs),
    linearCpuMsPerQuery: round(m.linearPerQuery.cpuMs),
    mihCandidatesPerQuery: round(m.candidatesPerQuery),
    mihHashReadsPerQuery: round(m.hashReadsPerQuery),
    mihPrefilterRejectionRate: round(m.rejection, 6),
    mihPrefilterRejectionRateRandomQueries: round(m.randomRejection, 6),
    indexEntries: m.entries,
    indexAddMs: round(m.add.wallMs),
    indexBucketBuildMs: round(m.build.wallMs),
    indexTypedArrayBytes: m.indexBytes,
    indexTypedArrayBytesPerEntry: round(m.indexBytes / m.entries),
    matchDistance: MATCH_DISTANCE,
    mihQueries: MIH_QUERIES,
    mihRounds: MIH_ROUNDS,
    mihMatchesPerRound: m.mihMatchesPerRound,
    linearQueries: LINEAR_QUERIES,
    linearRounds: LINEAR_ROUNDS,
    linearMatchesVerified: m.linearMatches,
    corpusImages: a.images,
    corpusImageSize: CORPUS_SIZE,
    corpusPngBytes: a.pngBytes,
    analysisRounds: ANALYSIS_ROUNDS,
    pdqRounds: PDQ_ROUNDS,
    nodeVersion: process.version,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    loadAverageStart: loadStart.map((l) => round(l, 3)),
    loadAverageEnd: loadavg().map((l) => round(l, 3)),
    rssBytes: process.memoryUsage().rss,
    totalSeconds: round((performance.now() - started) / 1000),
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
