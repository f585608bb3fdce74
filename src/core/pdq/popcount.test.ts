import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { popcount32 } from './popcount.js'

function naivePopcount(x: number): number {
  let n = 0
  for (let b = 0; b < 32; b++) n += (x >>> b) & 1
  return n
}

describe('popcount32', () => {
  it('counts set bits of any 32-bit pattern', () =>
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (x) => {
        expect(popcount32(x)).toBe(naivePopcount(x))
      }),
    ))

  it('handles the extremes', () => {
    expect(popcount32(0)).toBe(0)
    expect(popcount32(0xffffffff)).toBe(32)
    expect(popcount32(-1)).toBe(32)
    expect(popcount32(0x80000000)).toBe(1)
  })
})
