import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dctToWords } from './dct-bits.js'
import { popcount32 } from './popcount.js'

describe('dctToWords', () => {
  it('sets exactly the 128 coefficients above the lower median when all differ', () =>
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
          minLength: 256,
          maxLength: 256,
          comparator: (a, b) => a === b || (a === 0 && b === 0),
        }),
        (values) => {
          const words = dctToWords(Float64Array.from(values))
          const sorted = [...values].sort((a, b) => a - b)
          const median = sorted[127] as number
          let total = 0
          for (let k = 0; k < 256; k++) {
            const isSet = (((words[k >> 4] as number) >> (k & 15)) & 1) === 1
            expect(isSet).toBe((values[k] as number) > median)
            total += isSet ? 1 : 0
          }
          expect(total).toBe(128)
          expect(Array.from(words).reduce((n, w) => n + popcount32(w), 0)).toBe(128)
        },
      ),
    ))

  it('puts coefficient (i, j) at bit j of word i', () => {
    const dct = new Float64Array(256).fill(-1)
    for (let k = 0; k < 128; k++) dct[k] = 1
    const words = dctToWords(dct)
    expect(Array.from(words)).toEqual([...Array(8).fill(0xffff), ...Array(8).fill(0)])
  })
})
