import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { oklabToSrgb, srgbToOklab } from './oklab.js'

const byte = fc.integer({ min: 0, max: 255 })

describe('OKLab', () => {
  it('has the reference values of Ottosson (2020)', () => {
    const white = srgbToOklab([255, 255, 255])
    expect(white[0]).toBeCloseTo(1, 4)
    expect(Math.abs(white[1]) + Math.abs(white[2])).toBeLessThan(1e-4)
    const red = srgbToOklab([255, 0, 0])
    expect(red[0]).toBeCloseTo(0.62796, 4)
    expect(red[1]).toBeCloseTo(0.22486, 4)
    expect(red[2]).toBeCloseTo(0.12585, 4)
  })

  it('round-trips every 8-bit sRGB colour within 1e-6', () => {
    fc.assert(
      fc.property(byte, byte, byte, (r, g, b) => {
        const back = oklabToSrgb(srgbToOklab([r, g, b]))
        return Math.abs(back[0] - r) + Math.abs(back[1] - g) + Math.abs(back[2] - b) < 1e-6
      }),
      { numRuns: 2000 },
    )
  })
})
