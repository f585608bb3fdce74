import { createFftPlan } from '../repeat/index.js'

/**
 * Circular autocorrelation of the magnitude spectrum of a real n×n window (n a power of two):
 * the inverse transform of |FFT(win)|, a partly whitened autocorrelation with sharp lattice
 * peaks. Returns a new n×n row-major array; never mutates `win`.
 *
 * Both the input and the output are real, so each 1-D pass transforms two real lines at once
 * (as the real and imaginary parts of one complex line) and only the n/2 + 1 non-redundant
 * columns of the Hermitian spectrum are transformed: about 45% of the work of two full complex
 * 2-D transforms.
 */
export function magnitudeAutocorrelation(win: Float64Array, n: number): Float64Array {
  const half = (n >> 1) + 1
  const plan = createFftPlan(n)
  const zr = new Float64Array(n)
  const zi = new Float64Array(n)
  // Half spectrum, n rows × `half` columns.
  const sr = new Float64Array(n * half)
  const si = new Float64Array(n * half)
  // Rows, two at a time: Z = a + i·b, then A[k] = (Z[k] + Z̄[n−k])/2, B[k] = (Z[k] − Z̄[n−k])/2i.
  for (let y = 0; y < n; y += 2) {
    const a = y * n
    const b = a + n
    for (let x = 0; x < n; x++) {
      zr[x] = win[a + x] as number
      zi[x] = win[b + x] as number
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
      sr[ra + k] = 0.5 * (pr + qr)
      si[ra + k] = 0.5 * (pi - qi)
      sr[rb + k] = 0.5 * (pi + qi)
      si[rb + k] = 0.5 * (qr - pr)
    }
  }
  // Columns: full complex transforms, then the magnitude (real, and even in both axes).
  const mag = new Float64Array(n * half)
  for (let k = 0; k < half; k++) {
    for (let y = 0, i = k; y < n; y++, i += half) {
      zr[y] = sr[i] as number
      zi[y] = si[i] as number
    }
    plan.forward(zr, zi)
    for (let y = 0, i = k; y < n; y++, i += half) {
      mag[i] = Math.hypot(zr[y] as number, zi[y] as number)
    }
  }
  // Inverse columns, two real columns at a time; a column of the result, C[·][k], is split
  // back from Z = C_a + i·C_b by the same symmetry as above.
  const cr = sr
  const ci = si
  for (let k = 0; k < half; k += 2) {
    const k2 = k + 1 < half ? k + 1 : -1
    for (let y = 0, i = k; y < n; y++, i += half) {
      zr[y] = mag[i] as number
      zi[y] = k2 >= 0 ? (mag[i + 1] as number) : 0
    }
    plan.inverse(zr, zi)
    for (let y = 0; y < n; y++) {
      const m = (n - y) & (n - 1)
      const pr = zr[y] as number
      const pi = zi[y] as number
      const qr = zr[m] as number
      const qi = zi[m] as number
      const i = y * half + k
      cr[i] = 0.5 * (pr + qr)
      ci[i] = 0.5 * (pi - qi)
      if (k2 >= 0) {
        cr[i + 1] = 0.5 * (pi + qi)
        ci[i + 1] = 0.5 * (qr - pr)
      }
    }
  }
  // Inverse rows, two at a time: each row is Hermitian (C[n−k] = C̄[k]), so its transform is
  // real; Z = C_a + i·C_b gives row a in the real part and row b in the imaginary part.
  const out = new Float64Array(n * n)
  for (let y = 0; y < n; y += 2) {
    const ra = y * half
    const rb = ra + half
    for (let k = 0; k < half; k++) {
      const ar = cr[ra + k] as number
      const ai = ci[ra + k] as number
      const br = cr[rb + k] as number
      const bi = ci[rb + k] as number
      zr[k] = ar - bi
      zi[k] = ai + br
      if (k > 0 && k < n - k) {
        // C[n−k] = conj(C[k]) for both rows.
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
