import { describe, expect, it } from 'vitest'
import { createPrng } from './prng.js'

describe('createPrng', () => {
  it('is deterministic per seed and uniform-ish in [0, 1)', () => {
    const a = createPrng(42)
    const b = createPrng(42)
    const c = createPrng(43)
    const xs = Array.from({ length: 10_000 }, () => a())
    expect(xs).toEqual(Array.from({ length: 10_000 }, () => b()))
    expect(xs.slice(0, 5)).not.toEqual(Array.from({ length: 5 }, () => c()))
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02)
  })
})
