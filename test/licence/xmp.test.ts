import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildXmpPacket,
  buildXmpPackets,
  DATA_MINING,
  insertJpegXmp,
  insertPngXmp,
  JPEG_MAX_STANDARD_XMP_BYTES,
  readPngChunks,
  type XmpLicence,
} from '../../src/core/xmp/index.js'
import { exiftool } from '../support/exiftool.js'
import { encode, noiseImage } from '../support/images.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'selvedge-xmp-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const POLICY = {
  '@context': ['http://www.w3.org/ns/odrl.jsonld', { slv: 'https://selvedge.dev/ns/odrl/v1#' }],
  '@type': 'Offer',
  uid: 'urn:test:policy:1',
  permission: [{ action: 'reproduce', target: 'urn:test:asset' }],
}

function licence(over: Partial<XmpLicence> = {}): XmpLicence {
  return {
    rights: '© 2025 Atelier <Rose & Thorn>',
    creators: ['Ada Weaver', 'Ben "Loom"'],
    webStatement: 'https://example.com/licences/ast_1?x=1&y=2',
    usageTerms: 'Commercial print up to 10,000 units with attribution.\u0001',
    licensor: { name: 'Atelier', url: 'https://example.com/' },
    copyrightOwners: [{ name: 'Atelier', id: 'urn:selvedge:studio:std_1' }],
    licenseId: 'urn:selvedge:agreement:agr_1',
    dataMining: DATA_MINING.prohibitedAiTraining,
    rightsExpression: JSON.stringify(POLICY),
    ...over,
  }
}

async function read(bytes: Uint8Array, ext: string): Promise<Record<string, unknown>> {
  const path = join(dir, `f-${Math.random().toString(36).slice(2)}.${ext}`)
  await writeFile(path, bytes)
  return exiftool(path)
}

function expectLicence(meta: Record<string, unknown>, l: XmpLicence): void {
  expect(meta['XMP-dc:Rights']).toBe(l.rights)
  expect(meta['XMP-dc:Creator']).toEqual(l.creators)
  expect(meta['XMP-xmpRights:WebStatement']).toBe(l.webStatement)
  expect(meta['XMP-xmpRights:UsageTerms']).toBe(l.usageTerms.replace('\u0001', '\uFFFD'))
  expect(meta['XMP-plus:Licensor']).toEqual([
    { LicensorName: l.licensor.name, LicensorURL: l.licensor.url },
  ])
  expect(meta['XMP-plus:CopyrightOwner']).toEqual([
    { CopyrightOwnerName: 'Atelier', CopyrightOwnerID: 'urn:selvedge:studio:std_1' },
  ])
  expect(meta['XMP-plus:LicenseID']).toBe(l.licenseId)
  expect(meta['XMP-plus:DataMining']).toBe(l.dataMining)
  const expr = meta['XMP-iptcExt:EmbdEncRightsExpr'] as Record<string, unknown>[]
  expect(expr).toHaveLength(1)
  expect(expr[0]).toEqual({
    EncRightsExpr: l.rightsExpression,
    RightsExprEncType: 'application/ld+json',
    RightsExprLangId: 'http://www.w3.org/ns/odrl/2/',
  })
}

async function rawPixels(bytes: Uint8Array): Promise<Buffer> {
  return sharp(bytes).raw().toBuffer()
}

describe('XMP in PNG', () => {
  it('adds an iTXt chunk before IDAT that exiftool reads, pixels and other chunks unchanged', async () => {
    const png = await encode(noiseImage(40, 30, 1), 'png')
    const l = licence()
    const out = insertPngXmp(png, buildXmpPacket(l))
    const types = readPngChunks(out).map((c) => c.type)
    expect(types.indexOf('iTXt')).toBeLessThan(types.indexOf('IDAT'))
    expect(types.filter((t) => t === 'iTXt')).toHaveLength(1)
    expectLicence(await read(out, 'png'), l)
    expect((await rawPixels(out)).equals(await rawPixels(png))).toBe(true)
    // Writing again replaces rather than duplicates.
    const again = insertPngXmp(out, buildXmpPacket(licence({ licenseId: 'urn:x:2' })))
    expect(readPngChunks(again).filter((c) => c.type === 'iTXt')).toHaveLength(1)
    expect((await read(again, 'png'))['XMP-plus:LicenseID']).toBe('urn:x:2')
    const idat = (b: Uint8Array) =>
      readPngChunks(b)
        .filter((c) => c.type === 'IDAT')
        .map((c) => Buffer.from(c.data).toString('hex'))
    expect(idat(again)).toEqual(idat(png))
  })

  it('refuses what is not a well-formed PNG', () => {
    const packet = buildXmpPacket(licence())
    expect(() => insertPngXmp(new Uint8Array([1, 2, 3]), packet)).toThrow(/not a PNG/)
  })
})

describe('XMP in JPEG', () => {
  it('adds an APP1 segment after APP0 that exiftool reads; the scan is untouched', async () => {
    const plain = await encode(noiseImage(40, 30, 2), 'jpeg')
    // A JFIF APP0 segment, as most encoders write one first.
    const jfif = Buffer.from('ffe000104a46494600010100000100010000', 'hex')
    const jpeg = Buffer.concat([plain.subarray(0, 2), jfif, plain.subarray(2)])
    const l = licence()
    const out = insertJpegXmp(jpeg, buildXmpPackets(l, JPEG_MAX_STANDARD_XMP_BYTES))
    expect(Buffer.from(out.subarray(0, 2)).toString('hex')).toBe('ffd8')
    expect(out[2]).toBe(0xff)
    expect(Buffer.from(out.subarray(2, 2 + jfif.length)).equals(jfif)).toBe(true)
    expect(out.subarray(2 + jfif.length, 2 + jfif.length + 2)).toEqual(Uint8Array.of(0xff, 0xe1))
    expectLicence(await read(out, 'jpg'), l)
    expect((await rawPixels(out)).equals(await rawPixels(jpeg))).toBe(true)
    const sos = (b: Uint8Array) => Buffer.from(b).subarray(Buffer.from(b).indexOf('ffda', 0, 'hex'))
    expect(sos(out).equals(sos(jpeg))).toBe(true)
  })

  it('moves a policy too large for one segment into extended XMP', async () => {
    const jpeg = await encode(noiseImage(40, 30, 3), 'jpeg')
    const big = {
      ...POLICY,
      'slv:note': Array.from({ length: 12_000 }, (_, i) => `w${i}`).join(' '),
    }
    const l = licence({ rightsExpression: JSON.stringify(big) })
    expect(buildXmpPacket(l).byteLength).toBeGreaterThan(JPEG_MAX_STANDARD_XMP_BYTES)
    const packets = buildXmpPackets(l, JPEG_MAX_STANDARD_XMP_BYTES)
    expect(packets.extended?.guid).toMatch(/^[0-9A-F]{32}$/)
    const out = insertJpegXmp(jpeg, packets)
    const meta = await read(out, 'jpg')
    expectLicence(meta, l)
    expect(meta['XMP-xmpNote:HasExtendedXMP']).toBe(packets.extended?.guid)
    expect((await rawPixels(out)).equals(await rawPixels(jpeg))).toBe(true)
  })
})
