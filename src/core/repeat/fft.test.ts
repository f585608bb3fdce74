import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createFftPlan, fft2d, isPowerOfTwo, nextPowerOfTwo, realFft2d } from './fft.js'

function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length
  const outRe = new Float64Array(n)
  const outIm = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    let sr = 0
    let si = 0
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((k * j) % n)) / n
      const c = Math.cos(a)
      const s = Math.sin(a)
      sr += re[j]! * c - im[j]! * s
      si += re[j]! * s + im[j]! * c
    }
    outRe[k] = sr
    outIm[k] = si
  }
  return [outRe, outIm]
}

function naiveDft2d(data: Float64Array, w: number, h: number): [Float64Array, Float64Array] {
  const outRe = new Float64Array(w * h)
  const outIm = new Float64Array(w * h)
  for (let v = 0; v < h; v++) {
    for (let u = 0; u < w; u++) {
      let sr = 0
      let si = 0
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const a = -2 * Math.PI * ((u * x) / w + (v * y) / h)
          sr += data[y * w + x]! * Math.cos(a)
          si += data[y * w + x]! * Math.sin(a)
        }
      }
      outRe[v * w + u] = sr
      outIm[v * w + u] = si
    }
  }
  return [outRe, outIm]
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

const signal = (maxLen: number) =>
  fc
    .integer({ min: 1, max: maxLen })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
      ),
    )

describe('createFftPlan', () => {
  it('inverse(forward(x)) returns x for any length', () => {
    fc.assert(
      fc.property(signal(300), ([r, i]) => {
        const re = Float64Array.from(r)
        const im = Float64Array.from(i)
        const plan = createFftPlan(re.length)
        plan.forward(re, im)
        plan.inverse(re, im)
        expect(maxAbsDiff(re, Float64Array.from(r))).toBeLessThan(1e-8)
        expect(maxAbsDiff(im, Float64Array.from(i))).toBeLessThan(1e-8)
      }),
    )
  })

  it('matches a naive DFT, including prime and composite lengths', () => {
    fc.assert(
      fc.property(signal(70), ([r, i]) => {
        const re = Float64Array.from(r)
        const im = Float64Array.from(i)
        const [er, ei] = naiveDft(re, im)
        createFftPlan(re.length).forward(re, im)
        const scale = 1e-9 * Math.max(1, re.length) * 100
        expect(maxAbsDiff(re, er)).toBeLessThan(scale)
        expect(maxAbsDiff(im, ei)).toBeLessThan(scale)
      }),
    )
  })

  it.each([2, 3, 5, 7, 13, 97, 101, 127, 128, 1000])('matches a naive DFT at n=%i', (n) => {
    let s = n
    const next = () => {
      s = (s * 1103515245 + 12345) % 2147483648
      return s / 2147483648 - 0.5
    }
    const re = Float64Array.from({ length: n }, next)
    const im = Float64Array.from({ length: n }, next)
    const [er, ei] = naiveDft(re, im)
    createFftPlan(n).forward(re, im)
    expect(maxAbsDiff(re, er)).toBeLessThan(1e-9 * n)
    expect(maxAbsDiff(im, ei)).toBeLessThan(1e-9 * n)
  })

  it('satisfies Parseval: Σ|x|² = (1/N)·Σ|X|²', () => {
    fc.assert(
      fc.property(signal(300), ([r, i]) => {
        const re = Float64Array.from(r)
        const im = Float64Array.from(i)
        let energy = 0
        for (let k = 0; k < re.length; k++) energy += re[k]! ** 2 + im[k]! ** 2
        createFftPlan(re.length).forward(re, im)
        let spectral = 0
        for (let k = 0; k < re.length; k++) spectral += re[k]! ** 2 + im[k]! ** 2
        expect(Math.abs(spectral / re.length - energy)).toBeLessThan(1e-9 * Math.max(1, energy))
      }),
    )
  })

  it('rejects invalid sizes and short arrays', () => {
    expect(() => createFftPlan(0)).toThrow(RangeError)
    expect(() => createFftPlan(2.5)).toThrow(RangeError)
    expect(() => createFftPlan(8).forward(new Float64Array(4), new Float64Array(8))).toThrow(
      RangeError,
    )
    expect(() => createFftPlan(7).inverse(new Float64Array(7), new Float64Array(6))).toThrow(
      RangeError,
    )
  })
})

describe('fft2d', () => {
  const grid = fc
    .tuple(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 11 }))
    .chain(([w, h]) =>
      fc.tuple(
        fc.constant(w),
        fc.constant(h),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), {
          minLength: w * h,
          maxLength: w * h,
        }),
      ),
    )

  it('matches a naive 2-D DFT on small non-power-of-two sizes', () => {
    fc.assert(
      fc.property(grid, ([w, h, values]) => {
        const data = Float64Array.from(values)
        const [er, ei] = naiveDft2d(data, w, h)
        const spec = realFft2d(data, w, h)
        expect(maxAbsDiff(spec.re, er)).toBeLessThan(1e-8)
        expect(maxAbsDiff(spec.im, ei)).toBeLessThan(1e-8)
      }),
    )
  })

  it('round-trips and satisfies Parseval', () => {
    fc.assert(
      fc.property(grid, ([w, h, values]) => {
        const re = Float64Array.from(values)
        const im = new Float64Array(re.length)
        let energy = 0
        for (const v of values) energy += v * v
        fft2d(re, im, w, h, 'forward')
        let spectral = 0
        for (let k = 0; k < re.length; k++) spectral += re[k]! ** 2 + im[k]! ** 2
        expect(Math.abs(spectral / re.length - energy)).toBeLessThan(1e-9 * Math.max(1, energy))
        fft2d(re, im, w, h, 'inverse')
        expect(maxAbsDiff(re, Float64Array.from(values))).toBeLessThan(1e-9)
        expect(maxAbsDiff(im, new Float64Array(re.length))).toBeLessThan(1e-9)
      }),
    )
  })

  it('round-trips an image-sized 1000x750 grid', () => {
    const w = 1000
    const h = 750
    const data = Float64Array.from({ length: w * h }, (_, i) => ((i * 2654435761) % 997) / 997)
    const spec = realFft2d(data, w, h)
    fft2d(spec.re, spec.im, w, h, 'inverse')
    expect(maxAbsDiff(spec.re, data)).toBeLessThan(1e-9)
  })

  it('rejects mismatched data', () => {
    expect(() => realFft2d(new Float64Array(5), 2, 3)).toThrow(RangeError)
    expect(() => fft2d(new Float64Array(5), new Float64Array(6), 2, 3, 'forward')).toThrow(
      RangeError,
    )
  })
})

describe('power-of-two helpers', () => {
  it('agree with each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), (n) => {
        const p = nextPowerOfTwo(n)
        expect(isPowerOfTwo(p)).toBe(true)
        expect(p >= n && p / 2 < n).toBe(true)
      }),
    )
  })
})
