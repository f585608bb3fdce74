import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dct64To16 } from './dct16.js'

describe('dct64To16', () => {
  it('equals the direct double sum of the scaled DCT-II, coefficients 1..16', () =>
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 255, noNaN: true }), {
          minLength: 4096,
          maxLength: 4096,
        }),
        (values) => {
          const a = Float64Array.from(values)
          const out = new Float64Array(256)
          dct64To16(a, out, new Float64Array(1024))
          const c = (u: number, x: number) =>
            Math.sqrt(2 / 64) * Math.cos((Math.PI * u * (2 * x + 1)) / 128)
          for (const [i, j] of [
            [0, 0],
            [3, 11],
            [15, 15],
            [7, 0],
          ] as const) {
            let direct = 0
            for (let r = 0; r < 64; r++) {
              for (let k = 0; k < 64; k++)
                direct += c(i + 1, r) * (a[r * 64 + k] as number) * c(j + 1, k)
            }
            expect(out[i * 16 + j]).toBeCloseTo(direct, 6)
          }
        },
      ),
      { numRuns: 10 },
    ))

  it('ignores the mean: a flat block has no energy in coefficients 1..16', () => {
    const out = new Float64Array(256)
    dct64To16(new Float64Array(4096).fill(99), out, new Float64Array(1024))
    for (const v of out) expect(Math.abs(v)).toBeLessThan(1e-9)
  })
})
