import { describe, expect, it } from 'vitest'
import { pdqQuality } from './quality.js'

describe('pdqQuality', () => {
  it('is 0 for a flat downsample', () => {
    expect(pdqQuality(new Float64Array(4096).fill(128))).toBe(0)
  })

  it('clamps strong gradients to 100', () => {
    const checker = new Float64Array(4096).map((_, k) => (((k >> 6) + k) & 1 ? 255 : 0))
    expect(pdqQuality(checker)).toBe(100)
  })

  it('counts whole percent steps between neighbours, divided by 90', () => {
    // A left-to-right ramp of 2.55 per column: each horizontal step is 1 percent (63 per row,
    // 64 rows = 4032), vertical steps are 0, and 4032 / 90 floors to 44.
    const ramp = new Float64Array(4096).map((_, k) => (k & 63) * 2.55 + 1e-9 * (k & 63))
    expect(pdqQuality(ramp)).toBe(44)
    // Steps just under 1 percent truncate to nothing.
    const gentle = new Float64Array(4096).map((_, k) => (k & 63) * 2.5)
    expect(pdqQuality(gentle)).toBe(0)
  })
})
