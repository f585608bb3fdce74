import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Reader } from '@contentauth/c2pa-node'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportFormat } from '../../src/app/licence/index.js'
import { openSelvedge, type Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { extractManifestStore } from '../../src/core/c2pa/index.js'
import { readXmpLicence } from '../../src/core/xmp/index.js'
import { exiftool } from '../support/exiftool.js'
import { encode, noiseImage } from '../support/images.js'

const BASE_URL = 'https://studio.example'
const MEDIA: Record<ExportFormat, string> = { png: 'image/png', jpeg: 'image/jpeg' }

let dir: string
let selvedge: Selvedge
let owner: Caller
let rootPem: string
let parentId: string
let childId: string

interface ManifestJson {
  readonly active_manifest?: string
  readonly validation_state?: string
  readonly validation_results?: {
    readonly activeManifest?: { readonly failure?: readonly { readonly code: string }[] }
  }
  readonly manifests: Record<
    string,
    {
      readonly thumbnail?: unknown
      readonly assertions: readonly { readonly label: string; readonly data: unknown }[]
      readonly ingredients?: readonly {
        readonly title?: string
        readonly relationship?: string
        readonly format?: string
      }[]
    }
  >
}

/** Reads a file with c2pa-rs (the SDK's own Reader), trusting `anchors` when given. */
async function readC2pa(
  bytes: Uint8Array,
  format: ExportFormat,
  anchors: string | null,
): Promise<ManifestJson | null> {
  const settings = JSON.stringify({
    verify: { verify_trust: anchors !== null, ocsp_fetch: false, remote_manifest_fetch: false },
    ...(anchors === null ? {} : { trust: { trust_anchors: anchors } }),
  })
  const reader = await Reader.fromAsset(
    { buffer: Buffer.from(bytes), mimeType: MEDIA[format] },
    settings,
  )
  return reader === null ? null : (reader.json() as unknown as ManifestJson)
}

function active(json: ManifestJson) {
  const label = json.active_manifest
  const manifest = label === undefined ? undefined : json.manifests[label]
  if (manifest === undefined) throw new Error('no active manifest')
  return manifest
}

function failures(json: ManifestJson): string[] {
  return (json.validation_results?.activeManifest?.failure ?? []).map((f) => f.code)
}

function assertion(json: ManifestJson, label: string): Record<string, unknown> {
  const found = active(json).assertions.find((a) => a.label === label)
  if (found === undefined) throw new Error(`no ${label} assertion`)
  return found.data as Record<string, unknown>
}

/** Flips one low bit of a byte of the entropy-coded (JPEG) or IDAT (PNG) pixel data. */
function changePixelByte(bytes: Uint8Array, format: ExportFormat): Uint8Array {
  const out = Uint8Array.from(bytes)
  const buf = Buffer.from(out.buffer)
  let at: number
  if (format === 'png') {
    at = buf.indexOf('IDAT') + 4 + 20
  } else {
    // After the last SOS marker's header, well inside the scan; avoid 0xFF (marker) bytes.
    at = buf.lastIndexOf(Buffer.from([0xff, 0xda])) + 64
    while (out[at] === 0xff || out[at] === 0xfe) at++
  }
  out[at] = (out[at] ?? 0) ^ 0x01
  return out
}

async function exportAs(assetId: string, format: ExportFormat) {
  return selvedge.exports.export({ caller: owner }, assetId, { format, baseUrl: BASE_URL })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'selvedge-c2pa-'))
  selvedge = await openSelvedge({ dataDir: dir, log: { batchIntervalMs: 20 } })
  const { ownerKey } = await selvedge.studios.init({ name: 'Atelier Nord' })
  owner = await selvedge.keys.authenticate(ownerKey)
  const parent = await selvedge.assets.ingest(owner, {
    bytes: await encode(noiseImage(160, 128, 7)),
    metadata: { title: 'Harbour', designers: [{ name: 'Ada Weaver' }], visibility: 'published' },
  })
  parentId = parent.asset.id
  await selvedge.licences.attach(owner, parentId, {
    kind: 'template',
    template: 'standard',
    params: {},
  })
  await selvedge.provenance.addStep(owner, parentId, {
    actor: { kind: 'human', name: 'Ada Weaver', tool: { name: 'Krita', version: '5.2' } },
    action: 'c2pa.drawing',
    rationale: 'hand-drawn motif',
  })
  const child = await selvedge.assets.ingest(owner, {
    bytes: await encode(noiseImage(160, 128, 8)),
    metadata: {
      title: 'Harbour, dusk colourway',
      lineage: [{ relation: 'colourwayOf', assetId: parentId }],
      visibility: 'published',
    },
  })
  childId = child.asset.id
  await selvedge.licences.attach(owner, childId, {
    kind: 'template',
    template: 'standard',
    params: {},
  })
})

afterAll(async () => {
  await selvedge.close()
  await rm(dir, { recursive: true, force: true })
})

describe('Content Credentials on export', () => {
  for (const format of ['png', 'jpeg'] as const) {
    it(`signs a ${format} export that c2pa-rs reads back Trusted with the studio root`, async () => {
      const result = await exportAs(parentId, format)
      // The PKI was created lazily by this first export (the studio was made without it).
      const root = await selvedge.credentials.rootCertificate(owner.studioId)
      expect(root).toMatch(/^-----BEGIN CERTIFICATE-----/)
      rootPem = root as string

      const json = await readC2pa(result.bytes, format, rootPem)
      expect(json).not.toBeNull()
      if (json === null) return
      expect(json.validation_state).toBe('Trusted')
      expect(failures(json)).toEqual([])
      expect(active(json).thumbnail ?? null).toBeNull()

      const actions = assertion(json, 'c2pa.actions.v2')['actions'] as Record<string, unknown>[]
      expect(actions[0]).toMatchObject({
        action: 'c2pa.created',
        digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation',
      })
      expect(actions[1]).toMatchObject({
        action: 'c2pa.drawing',
        softwareAgent: { name: 'Krita', version: '5.2' },
        parameters: { description: 'hand-drawn motif' },
      })
      const training = assertion(json, 'cawg.training-mining')['entries'] as Record<
        string,
        Record<string, string>
      >
      for (const key of [
        'cawg.ai_generative_training',
        'cawg.ai_training',
        'cawg.ai_inference',
        'cawg.data_mining',
      ]) {
        expect(['allowed', 'notAllowed', 'constrained']).toContain(training[key]?.['use'])
      }
      // The standard template prohibits AI training outright.
      expect(training['cawg.ai_training']).toEqual({ use: 'notAllowed' })
      const metadata = assertion(json, 'cawg.metadata')
      expect(metadata['xmpRights:WebStatement']).toBe(`${BASE_URL}/licences/${parentId}`)
      expect(metadata['dc:creator']).toEqual(['Ada Weaver'])
      expect(String(metadata['dc:rights'])).toContain('Atelier Nord')

      // The XMP licence, written before signing, still reads (exiftool and our own reader).
      const path = join(dir, `signed.${format === 'png' ? 'png' : 'jpg'}`)
      await writeFile(path, result.bytes)
      const meta = await exiftool(path)
      expect(meta['XMP-xmpRights:WebStatement']).toBe(`${BASE_URL}/licences/${parentId}`)
      expect(meta['XMP-dc:Creator']).toEqual(['Ada Weaver'])
      const xmp = readXmpLicence(result.bytes)
      expect(xmp?.webStatement).toBe(`${BASE_URL}/licences/${parentId}`)
      expect(xmp?.creators).toEqual(['Ada Weaver'])
      expect(xmp?.digitalSourceType).toBe(
        'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation',
      )
      // The pixels are the settled file's: signing changed only the container.
      expect(await sharp(result.bytes).raw().toBuffer()).toEqual(
        await sharp(result.settled).raw().toBuffer(),
      )

      // Our verification says the same, and finds the manifest's log entry under a checkpoint.
      expect(result.credential?.logIndex).toEqual(expect.any(Number))
      const report = await selvedge.credentials.verify(result.bytes)
      expect(report.c2pa).toEqual({ state: 'Trusted', failures: [] })
      expect(report.tier).toBe('human-made')
      expect(report.licence?.webStatement).toBe(`${BASE_URL}/licences/${parentId}`)
      expect(report.log.included).toBe(true)
      expect(report.log.index).toBe(result.credential?.logIndex)
      expect(report.log.checkpoint?.size).toBeGreaterThan(report.log.index ?? Infinity)
      const entry = JSON.parse(
        new TextDecoder().decode(await selvedge.log.entry(report.log.index ?? -1)),
      )
      expect(entry).toMatchObject({
        type: 'credential.issued',
        asset: parentId,
        manifestSha256: result.credential?.manifestSha256,
      })
    })

    it(`reads a ${format} export with one changed pixel byte as Invalid (data hash)`, async () => {
      const result = await exportAs(parentId, format)
      const tampered = changePixelByte(result.bytes, format)
      const json = await readC2pa(tampered, format, rootPem)
      expect(json?.validation_state).toBe('Invalid')
      expect(json === null ? [] : failures(json)).toContain('assertion.dataHash.mismatch')
      const report = await selvedge.credentials.verify(tampered)
      expect(report.c2pa.state).toBe('Invalid')
      expect(report.c2pa.failures).toContain('assertion.dataHash.mismatch')
    })

    it(`reads a ${format} export with an edited assertion as Invalid`, async () => {
      const result = await exportAs(parentId, format)
      const store = extractManifestStore(result.bytes)
      expect(store).not.toBeNull()
      const edited = Buffer.from(result.bytes)
      // Inside the manifest store only: the CAWG metadata assertion's `xmpRights:Marked`.
      const storeAt = edited.indexOf(Buffer.from(store ?? new Uint8Array()).subarray(0, 64))
      const at = edited.indexOf('xmpRights:Marked', storeAt)
      expect(at).toBeGreaterThan(storeAt)
      edited[at + 'xmpRights:'.length] = 'N'.charCodeAt(0)
      const json = await readC2pa(edited, format, rootPem)
      expect(json?.validation_state).toBe('Invalid')
      expect(json === null ? [] : failures(json)).toContain('assertion.hashedURI.mismatch')
      const report = await selvedge.credentials.verify(edited)
      expect(report.c2pa.state).toBe('Invalid')
      expect(report.log.included).toBe(false)
    })
  }

  it('reports a file with no manifest as absent', async () => {
    const plain = await encode(noiseImage(64, 64, 3))
    expect(await readC2pa(plain, 'png', rootPem)).toBeNull()
    const report = await selvedge.credentials.verify(plain)
    expect(report).toEqual({
      c2pa: { state: 'absent', failures: [] },
      tier: 'unknown',
      licence: null,
      log: { included: false },
    })
  })

  it('opens a derived work from its parent, attached as the parentOf ingredient', async () => {
    const result = await exportAs(childId, 'jpeg')
    const json = await readC2pa(result.bytes, 'jpeg', rootPem)
    expect(json?.validation_state).toBe('Trusted')
    if (json === null) return
    const manifest = active(json)
    expect(manifest.ingredients).toEqual([
      expect.objectContaining({ title: 'Harbour', relationship: 'parentOf', format: 'image/png' }),
    ])
    const actions = assertion(json, 'c2pa.actions.v2')['actions'] as Record<string, unknown>[]
    expect(actions[0]?.['action']).toBe('c2pa.opened')
    expect(JSON.stringify(actions[0]?.['parameters'])).toContain('c2pa.ingredient')
  })

  it('trusts an imported certificate chain instead of the generated one', async () => {
    const { X509CertificateAuthority } = await import('../../src/adapters/pki/index.js')
    const external = await new X509CertificateAuthority().createStudioPki({
      studioName: 'External CA',
      now: new Date(),
    })
    const { createPrivateKey } = await import('node:crypto')
    const keyPem = createPrivateKey({
      key: Buffer.from(external.leafKeyPkcs8),
      format: 'der',
      type: 'pkcs8',
    })
      .export({ format: 'pem', type: 'pkcs8' })
      .toString()
    await expect(
      selvedge.credentials.importSigner(owner, external.chainPem, rootPem),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_IMPORT_INVALID' })
    const signer = await selvedge.credentials.importSigner(
      owner,
      external.chainPem + external.rootPem,
      keyPem,
    )
    expect(signer).toMatchObject({ source: 'imported', algorithm: 'es256' })
    expect(await selvedge.credentials.rootCertificate(owner.studioId)).toBe(external.rootPem)
    const result = await exportAs(parentId, 'png')
    expect((await readC2pa(result.bytes, 'png', external.rootPem))?.validation_state).toBe(
      'Trusted',
    )
    const old = await readC2pa(result.bytes, 'png', rootPem)
    expect(old?.validation_state).toBe('Valid')
    expect(old === null ? [] : failures(old)).toContain('signingCredential.untrusted')
  })
})
