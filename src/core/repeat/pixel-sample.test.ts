import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRgbImage } from '../image/index.js'
import { buildRepeat } from './build-repeat.js'
import {
  boundedShiftMad,
  compareFlip,
  compareShift,
  medianNeighbourDifference,
  samplePixels,
} from './pixel-sample.js'
import { createBlobTile, createRng } from './test-patterns.js'

describe('samplePixels', () => {
  it('is deterministic, inside the image and about the requested size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 5000 }),
        (w, h, n) => {
          const s = samplePixels(w, h, n, 7)
          expect(samplePixels(w, h, n, 7)).toEqual(s)
          let inside = true
          for (let k = 0; k < s.xs.length; k++) {
            inside &&= s.xs[k]! >= 0 && s.xs[k]! < w && s.ys[k]! >= 0 && s.ys[k]! < h
          }
          expect(inside).toBe(true)
          expect(s.xs.length).toBeLessThanOrEqual(w * h)
          expect(s.xs.length).toBeGreaterThan(Math.min(w * h, n) / 4)
        },
      ),
    )
  })
})

describe('comparisons', () => {
  const rng = createRng(5)
  const img = buildRepeat(createBlobTile(30, 20, rng), 'mirror', 200, 150, { x: 4, y: 7 })
  const sample = samplePixels(200, 150, 3000, 1)

  it('find an exact period and an exact mirror line', () => {
    expect(compareShift(img, sample, 60, 0).mad).toBe(0)
    expect(compareShift(img, sample, 0, 40).mad).toBe(0)
    expect(compareShift(img, sample, 31, 0).mad).toBeGreaterThan(5)
    // Mirror lines lie between pixels 3|4, 33|34, …
    expect(compareFlip(img, sample, 'x', 2 * 34 - 1).mad).toBe(0)
    expect(compareFlip(img, sample, 'y', 2 * 27 - 1).mad).toBe(0)
  })

  it('bounded MAD equals the exact MAD unless pruned', () => {
    for (const [dx, dy] of [
      [31, 0],
      [60, 0],
      [-5, 17],
    ] as const) {
      const exact = compareShift(img, sample, dx, dy).mad
      expect(boundedShiftMad(img, sample, dx, dy, Number.POSITIVE_INFINITY, 1)).toBeCloseTo(
        exact,
        9,
      )
      expect(boundedShiftMad(img, sample, dx, dy, exact / 4, 1)).toBe(
        exact === 0 ? 0 : Number.POSITIVE_INFINITY,
      )
    }
  })

  it('estimates no noise on a flat image', () => {
    const flat = createRgbImage(40, 30)
    flat.data.fill(90)
    expect(medianNeighbourDifference(flat, samplePixels(40, 30, 500, 1))).toBe(0)
  })
})
