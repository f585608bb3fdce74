import { createFftPlan } from '../repeat/index.js'

/**
 * Half spectrum of a real n×n grid (n a power of two): n rows × (n/2 + 1) columns, row-major;
 * the other columns follow from Hermitian symmetry, X[−k] = X̄[k].
 */
export interface HalfSpectrum {
  readonly n: number
  readonly re: Float64Array
  readonly im: Float64Array
}

/**
 * Forward 2-D FFT of real row-major n×n data (n a power of two, at least 2). Rows are
 * transformed two at a time (as the real and imaginary parts of one complex row) and only the
 * n/2 + 1 non-redundant columns are kept and transformed: about half the work of a complex 2-D
 * transform. Never mutates `data`.
 */
export function realForward2d(data: ArrayLike<number>, n: number): HalfSpectrum {
  const half = (n >> 1) + 1
  const plan = createFftPlan(n)
  const zr = new Float64Array(n)
  const zi = new Float64Array(n)
  const re = new Float64Array(n * half)
  const im = new Float64Array(n * half)
  // Z = a + i·b, so A[k] = (Z[k] + Z̄[n−k])/2 and B[k] = (Z[k] − Z̄[n−k])/2i.
  for (let y = 0; y < n; y += 2) {
    const a = y * n
    const b = a + n
    for (let x = 0; x < n; x++) {
      zr[x] = data[a + x] as number
      zi[x] = data[b + x] as number
    }
    plan.forward(zr, zi)
    const ra = y * half
    const rb = ra + half
    for (let k = 0; k < half; k++) {
      const m = (n - k) & (n - 1)
      const pr = zr[k] as number
      const pi = zi[k] as number
      const qr = zr[m] as number
      const qi = zi[m] as number
      re[ra + k] = 0.5 * (pr + qr)
      im[ra + k] = 0.5 * (pi - qi)
      re[rb + k] = 0.5 * (pi + qi)
      im[rb + k] = 0.5 * (qr - pr)
    }
  }
  for (let k = 0; k < half; k++) {
    for (let y = 0, i = k; y < n; y++, i += half) {
      zr[y] = re[i] as number
      zi[y] = im[i] as number
    }
    plan.forward(zr, zi)
    for (let y = 0, i = k; y < n; y++, i += half) {
      re[i] = zr[y] as number
      im[i] = zi[y] as number
    }
  }
  return { n, re, im }
}

/**
 * Inverse of {@link realForward2d} (with the 1/n² scale) for a spectrum whose inverse is real:
 * a new n×n row-major grid. `realOnly` says the spectrum's imaginary part is zero (a real, even
 * spectrum such as a magnitude), which lets the column pass take two columns at a time.
 * Overwrites `spec`.
 */
export function realInverse2d(spec: HalfSpectrum, realOnly = false): Float64Array {
  const { n, re, im } = spec
  const half = (n >> 1) + 1
  const plan = createFftPlan(n)
  const zr = new Float64Array(n)
  const zi = new Float64Array(n)
  if (realOnly) {
    // Two real columns per complex transform, split back by the symmetry used in the forward pass.
    for (let k = 0; k < half; k += 2) {
      const pair = k + 1 < half
      for (let y = 0, i = k; y < n; y++, i += half) {
        zr[y] = re[i] as number
        zi[y] = pair ? (re[i + 1] as number) : 0
      }
      plan.inverse(zr, zi)
      for (let y = 0; y < n; y++) {
        const m = (n - y) & (n - 1)
        const pr = zr[y] as number
        const pi = zi[y] as number
        const qr = zr[m] as number
        const qi = zi[m] as number
        const i = y * half + k
        re[i] = 0.5 * (pr + qr)
        im[i] = 0.5 * (pi - qi)
        if (pair) {
          re[i + 1] = 0.5 * (pi + qi)
          im[i + 1] = 0.5 * (qr - pr)
        }
      }
    }
  } else {
    for (let k = 0; k < half; k++) {
      for (let y = 0, i = k; y < n; y++, i += half) {
        zr[y] = re[i] as number
        zi[y] = im[i] as number
      }
      plan.inverse(zr, zi)
      for (let y = 0, i = k; y < n; y++, i += half) {
        re[i] = zr[y] as number
        im[i] = zi[y] as number
      }
    }
  }
  // Rows, two at a time: each row is Hermitian (C[n−k] = C̄[k]) so its transform is real, and
  // Z = C_a + i·C_b gives row a in the real part and row b in the imaginary part.
  const out = new Float64Array(n * n)
  for (let y = 0; y < n; y += 2) {
    const ra = y * half
    const rb = ra + half
    for (let k = 0; k < half; k++) {
      const ar = re[ra + k] as number
      const ai = im[ra + k] as number
      const br = re[rb + k] as number
      const bi = im[rb + k] as number
      zr[k] = ar - bi
      zi[k] = ai + br
      if (k > 0 && k < n - k) {
        zr[n - k] = ar + bi
        zi[n - k] = br - ai
      }
    }
    plan.inverse(zr, zi)
    const a = y * n
    for (let x = 0; x < n; x++) {
      out[a + x] = zr[x] as number
      out[a + n + x] = zi[x] as number
    }
  }
  return out
}

/**
 * Circular autocorrelation of the magnitude spectrum of a real n×n window (n a power of two):
 * the inverse transform of |FFT(win)|, a partly whitened autocorrelation with sharp lattice
 * peaks. Returns a new n×n row-major array; never mutates `win`.
 */
export function magnitudeAutocorrelation(win: Float64Array, n: number): Float64Array {
  const spec = realForward2d(win, n)
  const { re, im } = spec
  for (let i = 0; i < re.length; i++) {
    re[i] = Math.hypot(re[i] as number, im[i] as number)
    im[i] = 0
  }
  return realInverse2d(spec, true)
}

/**
 * Circular cross-correlation of a real n×n grid with a real pattern given by its half
 * spectrum: out[d] = Σ_t data[t + d]·pattern[t]. Returns a new n×n array.
 */
export function crossCorrelate(data: ArrayLike<number>, pattern: HalfSpectrum): Float64Array {
  const spec = realForward2d(data, pattern.n)
  const { re, im } = spec
  for (let i = 0; i < re.length; i++) {
    const ar = re[i] as number
    const ai = im[i] as number
    const br = pattern.re[i] as number
    const bi = -(pattern.im[i] as number)
    re[i] = ar * br - ai * bi
    im[i] = ar * bi + ai * br
  }
  return realInverse2d(spec)
}
