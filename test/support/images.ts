import sharp from 'sharp'
import { createRgbImage, type RgbImage } from '../../src/core/image/index.js'

/** A small deterministic flat-colour tile: `inks` colours in diagonal bands and a dot. */
export function flatTile(
  width: number,
  height: number,
  inks: readonly [number, number, number][],
): RgbImage {
  const img = createRgbImage(width, height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - width / 3
      const dy = y - height / 3
      const inDot = dx * dx + dy * dy < (Math.min(width, height) / 5) ** 2
      const band =
        Math.floor(((x + 2 * y) / (width + 2 * height)) * (inks.length - 1)) % (inks.length - 1)
      const ink = inDot
        ? (inks[inks.length - 1] as [number, number, number])
        : (inks[band] as [number, number, number])
      const i = (y * width + x) * 3
      img.data[i] = ink[0]
      img.data[i + 1] = ink[1]
      img.data[i + 2] = ink[2]
    }
  }
  return img
}

/** Encodes an RgbImage as PNG (lossless) or JPEG. */
export async function encode(
  img: RgbImage,
  format: 'png' | 'jpeg' | 'webp' | 'tiff' = 'png',
): Promise<Buffer> {
  const s = sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
  switch (format) {
    case 'png':
      return s.png().toBuffer()
    case 'jpeg':
      return s.jpeg({ quality: 92 }).toBuffer()
    case 'webp':
      return s.webp({ lossless: true }).toBuffer()
    case 'tiff':
      return s.tiff().toBuffer()
  }
}

/** A seeded pseudo-random image (mulberry32) — unique content per seed. */
export function noiseImage(width: number, height: number, seed: number): RgbImage {
  const img = createRgbImage(width, height)
  let a = seed >>> 0
  for (let i = 0; i < img.data.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    img.data[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff
  }
  return img
}

/**
 * A PNG whose header claims `width`×`height` but whose data is a few bytes: what a
 * decompression bomb looks like to a decoder that trusts the header.
 */
export function pngWithClaimedSize(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}
