import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RgbImage } from '../image/index.js'
import { createRgbImage } from '../image/index.js'
import { srgbToLab } from './cielab.js'
import { ColourError } from './colour-error.js'
import { deltaE76 } from './delta-e.js'
import { formatHex, parseHex } from './hex.js'
import { recolour } from './recolour.js'

type Rgb8 = [number, number, number]
const byte = fc.integer({ min: 0, max: 255 })
const rgb8 = fc.tuple(byte, byte, byte)

function imageOf(w: number, h: number, pixels: readonly Rgb8[]): RgbImage {
  const img = createRgbImage(w, h)
  for (let i = 0; i < w * h; i++) img.data.set(pixels[i % pixels.length]!, i * 3)
  return img
}

describe('recolour', () => {
  it('is the identity for an identity mapping', () => {
    fc.assert(
      fc.property(
        fc.array(rgb8, { minLength: 1, maxLength: 200 }),
        fc.array(rgb8, { minLength: 1, maxLength: 8 }),
        (pixels, inks) => {
          const img = imageOf(20, 10, pixels)
          const mapping = inks.map((c) => ({ from: formatHex(c), to: formatHex(c).toUpperCase() }))
          expect(recolour(img, mapping).data).toEqual(img.data)
        },
      ),
    )
  })

  it('maps a flat image exactly, without touching the input', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(rgb8, { minLength: 1, maxLength: 8, selector: (c) => formatHex(c) }),
        fc.array(rgb8, { minLength: 8, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 300 }),
        (inks, targets, layout) => {
          const pixels = layout.map((i) => inks[i % inks.length]!)
          const img = imageOf(15, 20, pixels)
          const before = img.data.slice()
          const mapping = inks.map((c, i) => ({ from: formatHex(c), to: formatHex(targets[i]!) }))
          const out = recolour(img, mapping)
          expect(img.data).toEqual(before)
          expect(out).not.toBe(img)
          for (let p = 0; p < 300; p++) {
            const src = pixels[p % pixels.length]!
            const want = targets[inks.indexOf(src)]!
            expect([...out.data.subarray(p * 3, p * 3 + 3)]).toEqual(want)
          }
        },
      ),
    )
  })

  it('carries antialiasing and texture along by the Lab offset of the nearest ink', () => {
    const navy: Rgb8 = [31, 60, 98]
    const cream: Rgb8 = [242, 233, 216]
    const nearNavy: Rgb8 = [35, 63, 101]
    const img = imageOf(3, 1, [navy, nearNavy, cream])
    const out = recolour(img, [
      { from: '#1f3c62', to: '#8a2d1f' },
      { from: '#f2e9d8', to: '#f2e9d8' },
    ])
    expect(formatHex([out.data[0]!, out.data[1]!, out.data[2]!])).toBe('#8a2d1f')
    const shifted: Rgb8 = [out.data[3]!, out.data[4]!, out.data[5]!]
    const expected = srgbToLab(nearNavy).map(
      (v, d) => v + srgbToLab(parseHex('#8a2d1f'))[d]! - srgbToLab(navy)[d]!,
    ) as [number, number, number]
    expect(deltaE76(srgbToLab(shifted), expected)).toBeLessThan(1)
    expect([...out.data.subarray(6, 9)]).toEqual(cream)
  })

  it('clips to the sRGB gamut', () => {
    const img = imageOf(2, 1, [
      [250, 250, 250],
      [128, 128, 128],
    ])
    const out = recolour(img, [{ from: '#808080', to: '#ffffff' }])
    expect([...out.data]).toEqual([255, 255, 255, 255, 255, 255])
  })

  it('copies the image for an empty mapping', () => {
    const img = imageOf(2, 2, [[1, 2, 3]])
    const out = recolour(img, [])
    expect(out.data).toEqual(img.data)
    expect(out.data).not.toBe(img.data)
  })

  it('rejects bad hex and conflicting mappings', () => {
    const img = imageOf(1, 1, [[0, 0, 0]])
    expect(() => recolour(img, [{ from: 'nope', to: '#000' }])).toThrow(ColourError)
    try {
      recolour(img, [
        { from: '#000', to: '#111' },
        { from: '#000000', to: '#222' },
      ])
      expect.unreachable()
    } catch (e) {
      expect((e as ColourError).code).toBe('COLOUR_INVALID_MAPPING')
    }
    expect(() =>
      recolour(img, [
        { from: '#000', to: '#111' },
        { from: '#000000', to: '#111111' },
      ]),
    ).not.toThrow()
  })
})
