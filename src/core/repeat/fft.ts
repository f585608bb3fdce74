/**
 * An in-place complex FFT of one fixed length. `forward` computes
 * `X[k] = Σ x[n]·e^(−2πi·kn/N)`; `inverse` computes `x[n] = (1/N)·Σ X[k]·e^(+2πi·kn/N)`, so
 * `inverse(forward(x))` returns `x` up to rounding. Both throw RangeError when an array is
 * shorter than `size`; elements past `size` are left alone. A plan keeps scratch buffers, so one
 * plan must not be used re-entrantly (the core is single-threaded, so this only matters for
 * callers that interleave two transforms by hand).
 */
export interface FftPlan {
  readonly size: number
  forward(re: Float64Array, im: Float64Array): void
  inverse(re: Float64Array, im: Float64Array): void
}

/** Direction of a 2-D transform; `'inverse'` includes the `1/(width·height)` scale. */
export type FftDirection = 'forward' | 'inverse'

/** Whether `n` is a positive power of two (1 counts). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0
}

/** The smallest power of two that is `>= n` (1 for `n <= 1`). */
export function nextPowerOfTwo(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}

// Iterative radix-2 decimation-in-time with a bit-reversal table and a quarter-free twiddle
// table cos/sin(2πk/N), k < N/2, held in Float64Array.
function createRadix2(n: number): {
  run(re: Float64Array, im: Float64Array, sign: 1 | -1): void
} {
  const rev = new Uint32Array(n)
  let bits = 0
  while (1 << bits < n) bits++
  for (let i = 0; i < n; i++) {
    let r = 0
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1)
    rev[i] = r
  }
  const half = n >> 1
  const cos = new Float64Array(half)
  const sin = new Float64Array(half)
  for (let k = 0; k < half; k++) {
    const a = (2 * Math.PI * k) / n
    cos[k] = Math.cos(a)
    sin[k] = Math.sin(a)
  }
  return {
    run(re, im, sign) {
      for (let i = 0; i < n; i++) {
        const j = rev[i] as number
        if (j > i) {
          const tr = re[i] as number
          re[i] = re[j] as number
          re[j] = tr
          const ti = im[i] as number
          im[i] = im[j] as number
          im[j] = ti
        }
      }
      // sign −1: forward (e^{−iθ}); +1: inverse without scaling.
      for (let size = 2; size <= n; size <<= 1) {
        const h = size >> 1
        const step = n / size
        for (let start = 0; start < n; start += size) {
          for (let k = 0, t = 0; k < h; k++, t += step) {
            const wr = cos[t] as number
            const wi = sign * (sin[t] as number)
            const a = start + k
            const b = a + h
            const br = re[b] as number
            const bi = im[b] as number
            const xr = br * wr - bi * wi
            const xi = br * wi + bi * wr
            const ar = re[a] as number
            const ai = im[a] as number
            re[b] = ar - xr
            im[b] = ai - xi
            re[a] = ar + xr
            im[a] = ai + xi
          }
        }
      }
    },
  }
}

function checkLength(re: Float64Array, im: Float64Array, n: number): void {
  if (re.length < n || im.length < n) {
    throw new RangeError(`FFT of size ${n} needs arrays of at least ${n} elements`)
  }
}

function createPowerOfTwoPlan(n: number): FftPlan {
  const core = createRadix2(n)
  const scale = 1 / n
  return {
    size: n,
    forward(re, im) {
      checkLength(re, im, n)
      core.run(re, im, -1)
    },
    inverse(re, im) {
      checkLength(re, im, n)
      core.run(re, im, 1)
      for (let i = 0; i < n; i++) {
        re[i] = (re[i] as number) * scale
        im[i] = (im[i] as number) * scale
      }
    },
  }
}

// Bluestein's chirp-z: X[k] = w̄[k]·Σ (x[j]·w̄[j])·w[k−j] with w[j] = e^{iπj²/N}, a linear
// convolution evaluated as a circular one of power-of-two length M >= 2N−1.
function createBluesteinPlan(n: number): FftPlan {
  const m = nextPowerOfTwo(2 * n - 1)
  const core = createRadix2(m)
  const chirpRe = new Float64Array(n)
  const chirpIm = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    // j² mod 2N keeps the angle small, so large N loses no precision.
    const a = (Math.PI * ((j * j) % (2 * n))) / n
    chirpRe[j] = Math.cos(a)
    chirpIm[j] = Math.sin(a)
  }
  const kernelRe = new Float64Array(m)
  const kernelIm = new Float64Array(m)
  kernelRe[0] = chirpRe[0] as number
  kernelIm[0] = chirpIm[0] as number
  for (let j = 1; j < n; j++) {
    kernelRe[j] = chirpRe[j] as number
    kernelIm[j] = chirpIm[j] as number
    kernelRe[m - j] = chirpRe[j] as number
    kernelIm[m - j] = chirpIm[j] as number
  }
  core.run(kernelRe, kernelIm, -1)
  const bufRe = new Float64Array(m)
  const bufIm = new Float64Array(m)
  const invM = 1 / m

  function transform(re: Float64Array, im: Float64Array): void {
    for (let j = 0; j < n; j++) {
      const xr = re[j] as number
      const xi = im[j] as number
      const cr = chirpRe[j] as number
      const ci = -(chirpIm[j] as number)
      bufRe[j] = xr * cr - xi * ci
      bufIm[j] = xr * ci + xi * cr
    }
    bufRe.fill(0, n)
    bufIm.fill(0, n)
    core.run(bufRe, bufIm, -1)
    for (let k = 0; k < m; k++) {
      const ar = bufRe[k] as number
      const ai = bufIm[k] as number
      const br = kernelRe[k] as number
      const bi = kernelIm[k] as number
      bufRe[k] = ar * br - ai * bi
      bufIm[k] = ar * bi + ai * br
    }
    core.run(bufRe, bufIm, 1)
    for (let k = 0; k < n; k++) {
      const yr = (bufRe[k] as number) * invM
      const yi = (bufIm[k] as number) * invM
      const cr = chirpRe[k] as number
      const ci = -(chirpIm[k] as number)
      re[k] = yr * cr - yi * ci
      im[k] = yr * ci + yi * cr
    }
  }

  return {
    size: n,
    forward(re, im) {
      checkLength(re, im, n)
      transform(re, im)
    },
    inverse(re, im) {
      checkLength(re, im, n)
      // inverse(x) = conj(forward(conj(x))) / N
      for (let i = 0; i < n; i++) im[i] = -(im[i] as number)
      transform(re, im)
      const scale = 1 / n
      for (let i = 0; i < n; i++) {
        re[i] = (re[i] as number) * scale
        im[i] = -(im[i] as number) * scale
      }
    },
  }
}

const PLAN_CACHE = new Map<number, FftPlan>()
const PLAN_CACHE_LIMIT = 32

/**
 * Returns a complex FFT plan for any positive integer length: radix-2 for powers of two,
 * Bluestein's chirp-z (over a radix-2 core) otherwise. Plans are memoised by size; the memo is a
 * pure cache (same answer either way). Throws RangeError for a non-positive or non-integer size.
 */
export function createFftPlan(size: number): FftPlan {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`invalid FFT size ${size}`)
  const cached = PLAN_CACHE.get(size)
  if (cached !== undefined) return cached
  const plan = isPowerOfTwo(size) ? createPowerOfTwoPlan(size) : createBluesteinPlan(size)
  if (PLAN_CACHE.size >= PLAN_CACHE_LIMIT) {
    const oldest = PLAN_CACHE.keys().next().value
    if (oldest !== undefined) PLAN_CACHE.delete(oldest)
  }
  PLAN_CACHE.set(size, plan)
  return plan
}

/**
 * In-place 2-D complex FFT of a row-major `width`×`height` grid: every row, then every column.
 * `'inverse'` scales by `1/(width·height)`, so forward then inverse is the identity up to
 * rounding. Throws RangeError for invalid sizes or arrays shorter than `width·height`.
 */
export function fft2d(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  direction: FftDirection,
): void {
  const n = width * height
  if (!Number.isInteger(n) || width <= 0 || height <= 0) {
    throw new RangeError(`invalid 2-D FFT size ${width}x${height}`)
  }
  checkLength(re, im, n)
  const rowPlan = createFftPlan(width)
  const colPlan = createFftPlan(height)
  const isForward = direction === 'forward'
  if (width > 1) {
    const rr = new Float64Array(width)
    const ri = new Float64Array(width)
    for (let y = 0; y < height; y++) {
      const off = y * width
      rr.set(re.subarray(off, off + width))
      ri.set(im.subarray(off, off + width))
      if (isForward) rowPlan.forward(rr, ri)
      else rowPlan.inverse(rr, ri)
      re.set(rr, off)
      im.set(ri, off)
    }
  }
  if (height > 1) {
    const cr = new Float64Array(height)
    const ci = new Float64Array(height)
    for (let x = 0; x < width; x++) {
      for (let y = 0, i = x; y < height; y++, i += width) {
        cr[y] = re[i] as number
        ci[y] = im[i] as number
      }
      if (isForward) colPlan.forward(cr, ci)
      else colPlan.inverse(cr, ci)
      for (let y = 0, i = x; y < height; y++, i += width) {
        re[i] = cr[y] as number
        im[i] = ci[y] as number
      }
    }
  }
}

/** A complex spectrum (or signal) as separate real and imaginary planes, row-major. */
export interface ComplexGrid {
  readonly width: number
  readonly height: number
  readonly re: Float64Array
  readonly im: Float64Array
}

/**
 * Forward 2-D FFT of real row-major data of any size; returns a new full complex spectrum and
 * never mutates `data`. Throws RangeError when `data.length !== width·height`.
 */
export function realFft2d(data: ArrayLike<number>, width: number, height: number): ComplexGrid {
  if (data.length !== width * height) {
    throw new RangeError(`data length ${data.length} does not match ${width}x${height}`)
  }
  const re = Float64Array.from(data)
  const im = new Float64Array(re.length)
  fft2d(re, im, width, height, 'forward')
  return { width, height, re, im }
}
