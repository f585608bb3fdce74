import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { demoPatterns } from '../../src/core/demo/index.js'
import type { RgbImage } from '../../src/core/image/index.js'
import { buildRepeat } from '../../src/core/repeat/index.js'
import { detectWatermark, embedWatermark } from '../../src/core/watermark/index.js'

const KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255)
const PAYLOAD = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67])
const SIDE = 512

function raw(img: RgbImage): sharp.Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
}

async function decode(s: sharp.Sharp): Promise<RgbImage> {
  const { data, info } = await s.removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data) }
}

// One flat-ink demo design and one textured one, laid out as a 512×512 repeat.
function designs(): { name: string; image: RgbImage }[] {
  const all = demoPatterns()
  const flat = all.find((p) => p.isFlat && p.repeat === 'block')
  const textured = all.find((p) => !p.isFlat && p.repeat !== 'none')
  return [flat, textured].flatMap((p) => {
    if (p === undefined || p.repeat === 'none') return []
    const tile: RgbImage = {
      width: p.tileWidth,
      height: p.tileHeight,
      data: new Uint8Array(p.tileWidth * p.tileHeight * 3),
    }
    for (let y = 0; y < p.tileHeight; y++) {
      const from = y * p.image.width * 3
      tile.data.set(p.image.data.subarray(from, from + p.tileWidth * 3), y * p.tileWidth * 3)
    }
    return [{ name: p.slug, image: buildRepeat(tile, p.repeat, SIDE, SIDE) }]
  })
}

const ATTACKS: { name: string; apply(img: RgbImage): Promise<RgbImage> }[] = [
  {
    name: 'JPEG 75',
    apply: async (img) => decode(sharp(await raw(img).jpeg({ quality: 75 }).toBuffer())),
  },
  { name: 'resize 0.5', apply: (img) => decode(raw(img).resize(SIDE / 2, SIDE / 2)) },
  {
    name: 'rotation by 2°',
    apply: (img) => decode(raw(img).rotate(2, { background: { r: 0, g: 0, b: 0 } })),
  },
  {
    name: 'crop 60% per side at an odd offset',
    apply: (img) => decode(raw(img).extract({ left: 37, top: 91, width: 307, height: 307 })),
  },
]

describe('watermark regression on attacked images', () => {
  for (const { name, image } of designs()) {
    const { image: marked, psnr } = embedWatermark(image, PAYLOAD, KEY)
    it(`${name}: PSNR at least 40 dB`, () => {
      expect(psnr).toBeGreaterThanOrEqual(40)
    })
    for (const attack of ATTACKS) {
      it(`${name}: survives ${attack.name}`, async () => {
        const d = detectWatermark(await attack.apply(marked), KEY)
        expect(d.found).toBe(true)
        expect(d.payload).toEqual(PAYLOAD)
      })
    }
  }
})
