import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { autocorrelate, findAutocorrelationPeaks } from './autocorrelation.js'
import { createRng } from './test-patterns.js'

function naiveCorrelation(
  a: Float64Array,
  b: Float64Array,
  w: number,
  h: number,
  dx: number,
  dy: number,
): number {
  let ma = 0
  let mb = 0
  for (let i = 0; i < w * h; i++) {
    ma += a[i]!
    mb += b[i]!
  }
  ma /= w * h
  mb /= w * h
  let r = 0
  let e1 = 0
  let e2 = 0
  for (let y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
    for (let x = Math.max(0, -dx); x < Math.min(w, w - dx); x++) {
      const p = y * w + x
      const q = (y + dy) * w + x + dx
      const pa = a[p]! - ma
      const pb = b[p]! - mb
      const qa = a[q]! - ma
      const qb = b[q]! - mb
      r += pa * qa + pb * qb
      e1 += pa * pa + pb * pb
      e2 += qa * qa + qb * qb
    }
  }
  return r / Math.sqrt(e1 * e2)
}

describe('autocorrelate', () => {
  it('matches a direct computation of the normalised correlation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 17 }),
        fc.integer({ min: 3, max: 13 }),
        fc.integer(),
        (w, h, seed) => {
          const rng = createRng(seed)
          const a = Float64Array.from({ length: w * h }, rng)
          const b = Float64Array.from({ length: w * h }, rng)
          const lx = Math.floor(w / 2)
          const ly = Math.floor(h / 2)
          const map = autocorrelate(a, b, w, h, lx, ly)
          for (let dy = -ly; dy <= ly; dy++) {
            for (let dx = -lx; dx <= lx; dx++) {
              const got = map.values[(dy + ly) * (2 * lx + 1) + dx + lx]!
              expect(got).toBeCloseTo(naiveCorrelation(a, b, w, h, dx, dy), 4)
            }
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('peaks at the period of a periodic field, also in chroma alone', () => {
    const w = 97
    const h = 61
    const rng = createRng(3)
    const cell = Float64Array.from({ length: 13 * 11 }, rng)
    const a = new Float64Array(w * h)
    const b = new Float64Array(w * h)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) b[y * w + x] = cell[(y % 11) * 13 + (x % 13)]!
    const peaks = findAutocorrelationPeaks(autocorrelate(a, b, w, h, 48, 30), 0.5, 1)
    const lags = peaks.map((p) => `${p.dx},${p.dy}`)
    expect(lags).toContain('13,0')
    expect(lags).toContain('0,11')
    expect(peaks[0]!.value).toBeGreaterThan(0.99)
  })
})
