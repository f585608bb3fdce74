import { PDQ_DOWNSAMPLE_SIZE } from './jarosz-downsample.js'

/** Side of the kept block of DCT coefficients. */
export const PDQ_DCT_SIZE = 16

// Zauner's DCT-II rows 1..16 (row 0, the DC term, is dropped), scaled by sqrt(2/64):
// D[i][j] = sqrt(2/64) · cos(π/128 · (i+1) · (2j+1)), as the reference's dct_matrix_64.
const DCT_MATRIX = (() => {
  const n = PDQ_DOWNSAMPLE_SIZE
  const m = new Float64Array(PDQ_DCT_SIZE * n)
  const scale = Math.sqrt(2 / n)
  for (let i = 0; i < PDQ_DCT_SIZE; i++) {
    for (let j = 0; j < n; j++) {
      m[i * n + j] = scale * Math.cos((Math.PI / 2 / n) * (i + 1) * (2 * j + 1))
    }
  }
  return m
})()

/**
 * Low-frequency block `D · A · Dᵀ` of the 2-D DCT of a 64×64 row-major `a`: coefficients
 * (1..16)×(1..16) written row-major to `out` (256 entries, overwritten). Row index is the
 * vertical frequency. `scratch` holds the 16×64 intermediate `D · A` (1024 entries).
 */
export function dct64To16(a: Float64Array, out: Float64Array, scratch: Float64Array): void {
  const n = PDQ_DOWNSAMPLE_SIZE
  const m = PDQ_DCT_SIZE
  const d = DCT_MATRIX
  scratch.fill(0, 0, m * n)
  for (let i = 0; i < m; i++) {
    const tBase = i * n
    for (let k = 0; k < n; k++) {
      const w = d[i * n + k] as number
      const aBase = k * n
      for (let j = 0; j < n; j++) {
        scratch[tBase + j] = (scratch[tBase + j] as number) + w * (a[aBase + j] as number)
      }
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0
      for (let k = 0; k < n; k++) acc += (scratch[i * n + k] as number) * (d[j * n + k] as number)
      out[i * m + j] = acc
    }
  }
}
