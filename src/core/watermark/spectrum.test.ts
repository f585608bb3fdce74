import { describe, expect, it } from 'vitest'
import { createPrng } from '../colour/index.js'
import { TILE } from './layout.js'
import { highPassTile } from './pattern.js'
import { crossCorrelate, magnitudeAutocorrelation, realForward2d } from './spectrum.js'

function noise(n: number, seed: number): Float64Array {
  const rng = createPrng(seed)
  return Float64Array.from({ length: n * n }, () => rng() - 0.5)
}

// Direct O(n⁴) DFT of a real grid, for reference.
function dft(data: Float64Array, n: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(n * n)
  const im = new Float64Array(n * n)
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      let sr = 0
      let si = 0
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const a = (-2 * Math.PI * (u * x + v * y)) / n
          sr += (data[y * n + x] as number) * Math.cos(a)
          si += (data[y * n + x] as number) * Math.sin(a)
        }
      }
      re[v * n + u] = sr
      im[v * n + u] = si
    }
  }
  return { re, im }
}

describe('real 2-D spectra', () => {
  it('matches a direct DFT on the non-redundant half', () => {
    for (const n of [2, 4, 8]) {
      const data = noise(n, n)
      const ref = dft(data, n)
      const half = realForward2d(data, n)
      const cols = n / 2 + 1
      for (let v = 0; v < n; v++) {
        for (let u = 0; u < cols; u++) {
          expect(half.re[v * cols + u]).toBeCloseTo(ref.re[v * n + u] as number, 10)
          expect(half.im[v * cols + u]).toBeCloseTo(ref.im[v * n + u] as number, 10)
        }
      }
    }
  })

  it('cross-correlates circularly: out[d] = Σ data[t + d]·pattern[t]', () => {
    const n = 8
    const data = noise(n, 1)
    const pattern = noise(n, 2)
    const out = crossCorrelate(data, realForward2d(pattern, n))
    for (let dy = 0; dy < n; dy++) {
      for (let dx = 0; dx < n; dx++) {
        let s = 0
        for (let y = 0; y < n; y++) {
          for (let x = 0; x < n; x++) {
            s +=
              (data[((y + dy) % n) * n + ((x + dx) % n)] as number) * (pattern[y * n + x] as number)
          }
        }
        expect(out[dy * n + dx]).toBeCloseTo(s, 10)
      }
    }
  })

  it('gives the inverse transform of the magnitude spectrum', () => {
    const n = 8
    const data = noise(n, 3)
    const { re, im } = dft(data, n)
    const out = magnitudeAutocorrelation(data, n)
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        let s = 0
        for (let v = 0; v < n; v++) {
          for (let u = 0; u < n; u++) {
            const m = Math.hypot(re[v * n + u] as number, im[v * n + u] as number)
            s += m * Math.cos((2 * Math.PI * (u * x + v * y)) / n)
          }
        }
        expect(out[y * n + x]).toBeCloseTo(s / (n * n), 10)
      }
    }
  })
})

describe('high-pass tile', () => {
  it('removes the mean of every 7×7 neighbourhood of a constant and keeps zero mean', () => {
    const flat = new Float32Array(TILE * TILE).fill(3)
    expect(Math.max(...highPassTile(flat).map(Math.abs))).toBeLessThan(1e-5)
    const rng = createPrng(9)
    const random = Float32Array.from({ length: TILE * TILE }, () => rng() - 0.5)
    const hp = highPassTile(random)
    const mean = hp.reduce((a, b) => a + b, 0) / hp.length
    expect(Math.abs(mean)).toBeLessThan(1e-6)
  })
})
