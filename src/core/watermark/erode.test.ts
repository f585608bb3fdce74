import { describe, expect, it } from 'vitest'
import { createPrng } from '../colour/index.js'
import { erode } from './embed.js'

function naiveErode(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const out = new Float32Array(src.length)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let m = Number.POSITIVE_INFINITY
      for (let j = -r; j <= r; j++) {
        for (let i = -r; i <= r; i++) {
          const yy = Math.min(height - 1, Math.max(0, y + j))
          const xx = Math.min(width - 1, Math.max(0, x + i))
          m = Math.min(m, src[yy * width + xx] as number)
        }
      }
      out[y * width + x] = m
    }
  }
  return out
}

describe('erode', () => {
  it('equals the box minimum with clamped edges', () => {
    const rng = createPrng(7)
    for (const [w, h, r] of [
      [37, 23, 4],
      [5, 9, 4],
      [64, 64, 1],
      [13, 50, 3],
    ] as const) {
      const src = Float32Array.from({ length: w * h }, () => rng())
      expect(Array.from(erode(src, w, h, r))).toEqual(Array.from(naiveErode(src, w, h, r)))
    }
  })

  it('removes a step edge from an activity map and keeps dense texture', () => {
    // Activity high in a 6 px band (an edge) and across a wide block (texture).
    const w = 40
    const src = new Float32Array(w * w)
    for (let y = 0; y < w; y++) {
      for (let x = 0; x < w; x++) if ((x >= 5 && x < 11) || x >= 20) src[y * w + x] = 1
    }
    const out = erode(src, w, w, 4)
    expect(out[20 * w + 8]).toBe(0)
    expect(out[20 * w + 30]).toBe(1)
  })
})
