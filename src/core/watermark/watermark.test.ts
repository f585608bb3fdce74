import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createPrng } from '../colour/index.js'
import type { RgbImage } from '../image/index.js'
import { detectWatermark } from './detect.js'
import { embedWatermark } from './embed.js'
import { WatermarkError } from './watermark-error.js'

// A seeded image with flat ink areas, hard edges and some grain: the hard case in miniature.
function testImage(seed: number, width = 256, height = 256): RgbImage {
  const rng = createPrng(seed)
  const inks = Array.from({ length: 4 }, () => [rng() * 255, rng() * 255, rng() * 255])
  const stripes = 8 + Math.floor(rng() * 24)
  const grain = rng() < 0.5 ? 0 : 12
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const disc = (x - width / 2) ** 2 + (y - height / 3) ** 2 < (width / 4) ** 2
      const ink = inks[disc ? 3 : Math.floor((x + y) / stripes) % 3] as number[]
      for (let c = 0; c < 3; c++) {
        const v = (ink[c] as number) + (rng() - 0.5) * grain
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)))
      }
    }
  }
  return { width, height, data }
}

const keys = fc.uint8Array({ minLength: 32, maxLength: 32 })
const payloads = fc.uint8Array({ minLength: 8, maxLength: 8 })

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (err) {
    return err instanceof WatermarkError ? err.code : `OTHER ${String(err)}`
  }
  return undefined
}

describe('embedWatermark / detectWatermark', () => {
  it('returns the payload for random payloads and keys', () => {
    fc.assert(
      fc.property(payloads, keys, fc.integer({ min: 1, max: 1000 }), (payload, key, seed) => {
        const { image, psnr } = embedWatermark(testImage(seed), payload, key)
        expect(psnr).toBeGreaterThanOrEqual(40)
        const d = detectWatermark(image, key)
        expect(d.found).toBe(true)
        expect(d.payload).toEqual(payload)
      }),
      { numRuns: 8 },
    )
  })

  it('never decodes with a different key', () => {
    fc.assert(
      fc.property(payloads, keys, keys, (payload, key, other) => {
        fc.pre(!key.every((v, i) => v === other[i]))
        const { image } = embedWatermark(testImage(7), payload, key)
        const d = detectWatermark(image, other)
        expect(d.found).toBe(false)
        expect(d.payload).toBeNull()
      }),
      { numRuns: 6 },
    )
  })

  it('finds nothing in unmarked images and never throws on odd ones', () => {
    const key = new Uint8Array(32).fill(3)
    const flat = (v: number): RgbImage => ({
      width: 128,
      height: 130,
      data: new Uint8Array(128 * 130 * 3).fill(v),
    })
    for (const img of [flat(0), flat(255), flat(128), testImage(3), testImage(4, 300, 140)]) {
      const d = detectWatermark(img, key)
      expect(d.found).toBe(false)
      expect(Number.isFinite(d.score)).toBe(true)
    }
  })

  it('keeps the mark through a crop at an arbitrary offset', () => {
    const key = new Uint8Array(32).fill(9)
    const payload = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])
    const { image } = embedWatermark(testImage(11, 384, 384), payload, key)
    const w = 200
    const data = new Uint8Array(w * w * 3)
    for (let y = 0; y < w; y++) {
      const from = ((y + 77) * 384 + 101) * 3
      data.set(image.data.subarray(from, from + w * 3), y * w * 3)
    }
    const d = detectWatermark({ width: w, height: w, data }, key)
    expect(d.payload).toEqual(payload)
  })

  it('refuses tiny images, bad payloads and short keys with codes', () => {
    const key = new Uint8Array(32)
    const small: RgbImage = { width: 127, height: 400, data: new Uint8Array(127 * 400 * 3) }
    expect(codeOf(() => embedWatermark(small, new Uint8Array(8), key))).toBe(
      'WATERMARK_IMAGE_TOO_SMALL',
    )
    expect(codeOf(() => detectWatermark(small, key))).toBe('WATERMARK_IMAGE_TOO_SMALL')
    expect(codeOf(() => embedWatermark(testImage(1), new Uint8Array(7), key))).toBe(
      'WATERMARK_PAYLOAD_INVALID',
    )
    expect(codeOf(() => detectWatermark(testImage(1), new Uint8Array(8)))).toBe(
      'WATERMARK_KEY_INVALID',
    )
  })

  it('does not mutate its input', () => {
    const img = testImage(5)
    const copy = img.data.slice()
    embedWatermark(img, new Uint8Array(8), new Uint8Array(32).fill(1))
    expect(img.data).toEqual(copy)
  })
})
