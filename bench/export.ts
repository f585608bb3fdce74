import { createPrivateKey } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { C2paNodeEngine } from '../src/adapters/c2pa-node/index.js'
import { X509CertificateAuthority } from '../src/adapters/pki/index.js'
import { type ExportFormat, ExportService, NO_MARK } from '../src/app/licence/index.js'
import { openSelvedge } from '../src/compose.js'
import { buildManifestDefinition } from '../src/core/c2pa/index.js'
import { median, progress, round } from './support/timing.js'

// Exports of one 1024×1024 pattern with XMP + C2PA (watermark off), the same without C2PA, the
// bare sign+embed step, and verification. `EXPORT_BENCH_N` runs of each (default 30).
const N = Number(process.env['EXPORT_BENCH_N'] ?? 30)
const SIZE = 1024
const BASE_URL = 'https://studio.example'

/** A deterministic printed-textile-like tile: soft stripes, a lattice and a little grain. */
async function patternPng(): Promise<Buffer> {
  const data = Buffer.alloc(SIZE * SIZE * 3)
  let seed = 0x5e1f
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      const grain = (seed >>> 24) % 9
      const stripe = Math.sin((x + y) / 23) > 0.2
      const lattice = x % 128 < 6 || y % 128 < 6
      const i = (y * SIZE + x) * 3
      data[i] = (lattice ? 200 : stripe ? 31 : 232) + grain - 4
      data[i + 1] = (lattice ? 90 : stripe ? 58 : 216) + grain - 4
      data[i + 2] = (lattice ? 44 : stripe ? 95 : 176) + grain - 4
    }
  }
  return sharp(data, { raw: { width: SIZE, height: SIZE, channels: 3 } })
    .png()
    .toBuffer()
}

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn() // warm-up: caches, the signer, JIT
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn()
    out.push(performance.now() - t0)
  }
  return out
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'selvedge-export-bench-'))
  const selvedge = await openSelvedge({ dataDir: dir })
  try {
    const { ownerKey } = await selvedge.studios.init({ name: 'Bench Studio' })
    const caller = await selvedge.keys.authenticate(ownerKey)
    const { asset } = await selvedge.assets.ingest(caller, {
      bytes: await patternPng(),
      metadata: { title: 'Bench lattice', designers: [{ name: 'Ada Weaver' }] },
    })
    await selvedge.licences.attach(caller, asset.id, {
      kind: 'template',
      template: 'standard',
      params: {},
    })
    const common = {
      store: selvedge.store,
      blobs: selvedge.blobs,
      codec: selvedge.codec,
      grants: selvedge.grants,
      licences: selvedge.licences,
      marker: NO_MARK,
    }
    const withC2pa = new ExportService({ ...common, credentials: selvedge.credentials })
    const xmpOnly = new ExportService(common)
    const run = (service: ExportService, format: ExportFormat) => () =>
      service.export({ caller }, asset.id, { format, baseUrl: BASE_URL })

    const figures: Record<string, number> = {}
    for (const format of ['jpeg', 'png'] as const) {
      progress(`${format}: ${N} exports with C2PA, ${N} without`)
      figures[`${format}ExportMs`] = median(await timeEach(N, run(withC2pa, format)))
      figures[`${format}ExportMsNoC2pa`] = median(await timeEach(N, run(xmpOnly, format)))
    }

    // The sign+embed step alone (c2pa-rs over the XMP'd file), with the same manifest shape.
    progress(`sign+embed: ${N} of each format`)
    const pki = await new X509CertificateAuthority().createStudioPki({
      studioName: 'Bench',
      now: new Date(),
    })
    const signer = {
      id: 'bench',
      algorithm: pki.algorithm,
      chainPem: pki.chainPem,
      privateKeyPem: createPrivateKey({
        key: Buffer.from(pki.leafKeyPkcs8),
        format: 'der',
        type: 'pkcs8',
      })
        .export({ format: 'pem', type: 'pkcs8' })
        .toString(),
    }
    const engine = new C2paNodeEngine()
    const signed: Record<string, Uint8Array> = {}
    for (const format of ['jpeg', 'png'] as const) {
      const mediaType = format === 'png' ? 'image/png' : 'image/jpeg'
      const file = (await xmpOnly.export({ caller }, asset.id, { format, baseUrl: BASE_URL })).bytes
      const { definition } = buildManifestDefinition({
        title: 'Bench lattice',
        format: mediaType,
        claimGenerator: { name: 'Selvedge', version: '0.1.0' },
        tierSourceType: null,
        steps: [],
        lineage: [],
        licence: {
          url: `${BASE_URL}/licences/${asset.id}`,
          offerUrl: `${BASE_URL}/licences/${asset.id}`,
          rights: '© Bench Studio',
          creators: ['Ada Weaver'],
        },
        training: {
          'cawg.ai_generative_training': 'notAllowed',
          'cawg.ai_training': 'notAllowed',
          'cawg.ai_inference': 'constrained',
          'cawg.data_mining': 'notAllowed',
        },
      })
      const sign = () =>
        engine.sign({ definition, ingredients: [], asset: file, mediaType, signer })
      figures[`${format}SignEmbedMs`] = median(await timeEach(N, sign))
      signed[format] = (
        await withC2pa.export({ caller }, asset.id, { format, baseUrl: BASE_URL })
      ).bytes
    }

    progress(`verify: ${N} of each format`)
    for (const format of ['jpeg', 'png'] as const) {
      const bytes = signed[format] as Uint8Array
      const report = await selvedge.credentials.verify(bytes)
      if (report.c2pa.state !== 'Trusted' || !report.log.included) {
        throw new Error(`${format} export did not verify: ${JSON.stringify(report)}`)
      }
      figures[`${format}VerifyMs`] = median(
        await timeEach(N, () => selvedge.credentials.verify(bytes)),
      )
    }
    const jpegExportMs = figures['jpegExportMs'] as number
    const pngExportMs = figures['pngExportMs'] as number
    const verifyMs = figures['jpegVerifyMs'] as number
    console.log(
      JSON.stringify({
        size: `${SIZE}x${SIZE}`,
        runs: N,
        jpegExportMs: round(jpegExportMs),
        pngExportMs: round(pngExportMs),
        verifyMs: round(verifyMs),
        jpegExportMsNoC2pa: round(figures['jpegExportMsNoC2pa'] as number),
        pngExportMsNoC2pa: round(figures['pngExportMsNoC2pa'] as number),
        jpegSignEmbedMs: round(figures['jpegSignEmbedMs'] as number),
        pngSignEmbedMs: round(figures['pngSignEmbedMs'] as number),
        pngVerifyMs: round(figures['pngVerifyMs'] as number),
        jpegExportsPerSecond: round(1000 / jpegExportMs),
        pngExportsPerSecond: round(1000 / pngExportMs),
        verificationsPerSecond: round(1000 / verifyMs),
        jpegSignEmbedTargetMs: 30,
        jpegSignEmbedWithinTarget: (figures['jpegSignEmbedMs'] as number) <= 30,
      }),
    )
  } finally {
    await selvedge.close()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
