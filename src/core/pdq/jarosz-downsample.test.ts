import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RgbImage } from '../image/index.js'
import { downsampleLuma64, jaroszWindowSize } from './jarosz-downsample.js'

// An independent transcription of the reference's 1-D box filter as four phases: grow the
// window without writing, write while growing, slide at full width, write while shrinking.
function boxPhases(input: Float64Array, n: number, stride: number, offset: number, window: number) {
  const out = new Float64Array(n)
  const half = Math.floor((window + 2) / 2)
  let sum = 0
  let count = 0
  let left = 0
  let right = 0
  let o = 0
  for (let i = 0; i < half - 1; i++) {
    sum += input[offset + right++ * stride] as number
    count++
  }
  for (let i = 0; i < window - half + 1; i++) {
    sum += input[offset + right++ * stride] as number
    count++
    out[o++] = sum / count
  }
  for (let i = 0; i < n - window; i++) {
    sum +=
      (input[offset + right++ * stride] as number) - (input[offset + left++ * stride] as number)
    out[o++] = sum / count
  }
  for (let i = 0; i < half - 1; i++) {
    sum -= input[offset + left++ * stride] as number
    count--
    out[o++] = sum / count
  }
  return out
}

/** The reference pipeline done the slow way: full-image passes, then decimation. */
function naiveDownsample(img: RgbImage): Float64Array {
  const { width: w, height: h, data } = img
  let buf = new Float64Array(w * h)
  for (let i = 0; i < w * h; i++) {
    buf[i] =
      0.299 * (data[3 * i] as number) +
      0.587 * (data[3 * i + 1] as number) +
      0.114 * (data[3 * i + 2] as number)
  }
  const wr = jaroszWindowSize(w)
  const wc = jaroszWindowSize(h)
  for (let pass = 0; pass < 2; pass++) {
    const rows = new Float64Array(w * h)
    for (let r = 0; r < h; r++) rows.set(boxPhases(buf, w, 1, r * w, wr), r * w)
    const cols = new Float64Array(w * h)
    for (let c = 0; c < w; c++) {
      const col = boxPhases(rows, h, w, c, wc)
      for (let r = 0; r < h; r++) cols[r * w + c] = col[r] as number
    }
    buf = cols
  }
  const out = new Float64Array(64 * 64)
  for (let i = 0; i < 64; i++) {
    const r = Math.floor(((i + 0.5) * h) / 64)
    for (let j = 0; j < 64; j++)
      out[i * 64 + j] = buf[r * w + Math.floor(((j + 0.5) * w) / 64)] as number
  }
  return out
}

function randomImage(width: number, height: number, seed: number, byteOffset: number): RgbImage {
  const backing = new Uint8Array(byteOffset + width * height * 3)
  let x = seed >>> 0 || 1
  for (let i = byteOffset; i < backing.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    backing[i] = x & 255
  }
  return { width, height, data: backing.subarray(byteOffset) }
}

describe('jaroszWindowSize', () => {
  it('is half the block size, rounded up', () => {
    expect(jaroszWindowSize(1024)).toBe(8)
    expect(jaroszWindowSize(1600)).toBe(13)
    expect(jaroszWindowSize(1004)).toBe(8)
    expect(jaroszWindowSize(128)).toBe(1)
    expect(jaroszWindowSize(129)).toBe(2)
    expect(jaroszWindowSize(64)).toBe(1)
    expect(jaroszWindowSize(5)).toBe(1)
  })
})

describe('downsampleLuma64', () => {
  it('equals the four-pass box filter plus decimation, at any size and buffer alignment', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 400 }),
        fc.integer({ min: 5, max: 400 }),
        fc.integer(),
        fc.integer({ min: 0, max: 7 }),
        (width, height, seed, offset) => {
          const img = randomImage(width, height, seed, offset)
          const fast = new Float64Array(4096)
          downsampleLuma64(img, fast)
          const slow = naiveDownsample(img)
          for (let k = 0; k < 4096; k++) {
            expect(Math.abs((fast[k] as number) - (slow[k] as number))).toBeLessThan(1e-6)
          }
        },
      ),
      { numRuns: 40 },
    ))

  it('agrees on long thin images, where most samples touch an edge', () => {
    for (const [width, height] of [
      [2000, 7],
      [7, 1500],
      [129, 130],
      [5, 5],
    ] as const) {
      const img = randomImage(width, height, width * 31 + height, 1)
      const fast = new Float64Array(4096)
      downsampleLuma64(img, fast)
      const slow = naiveDownsample(img)
      for (let k = 0; k < 4096; k++) {
        expect(Math.abs((fast[k] as number) - (slow[k] as number))).toBeLessThan(1e-6)
      }
    }
  })

  it('keeps a flat image flat', () => {
    const img: RgbImage = { width: 333, height: 97, data: new Uint8Array(333 * 97 * 3).fill(200) }
    const out = new Float64Array(4096)
    downsampleLuma64(img, out)
    for (const v of out) expect(v).toBeCloseTo(200, 9)
  })
})
