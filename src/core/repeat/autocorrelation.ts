import type { FftPlan } from './fft.js'
import { createFftPlan, nextPowerOfTwo } from './fft.js'

/**
 * Normalised autocorrelation of a two-channel field over lags `|dx| <= maxLagX`,
 * `|dy| <= maxLagY`: `values[(dy + maxLagY) * (2 * maxLagX + 1) + dx + maxLagX]`.
 */
export interface AutocorrelationMap {
  readonly maxLagX: number
  readonly maxLagY: number
  readonly values: Float32Array
}

/** A local maximum of an autocorrelation map, with a sub-pixel (parabolic) lag estimate. */
export interface AutocorrelationPeak {
  readonly dx: number
  readonly dy: number
  readonly value: number
  readonly subX: number
  readonly subY: number
}

/**
 * Autocorrelation of the mean-removed two-channel field (`a`, `b`) of size `width`×`height`
 * by the Wiener–Khinchin theorem: the channels are packed as `a + i·b`, zero-padded to a
 * power-of-two grid large enough that no lag wraps (linear, not circular, correlation), and
 * `Re(IFFT(|FFT|²)) = R_aa + R_bb`. Each lag is divided by `sqrt(E1·E2)`, the energies of the two
 * overlapping windows (from summed-area tables), giving a correlation coefficient in [−1, 1]
 * that does not fade with shrinking overlap. Never mutates its inputs.
 */
export function autocorrelate(
  a: Float64Array,
  b: Float64Array,
  width: number,
  height: number,
  maxLagX: number,
  maxLagY: number,
): AutocorrelationMap {
  const lx = Math.max(0, Math.min(width - 1, maxLagX))
  const ly = Math.max(0, Math.min(height - 1, maxLagY))
  const pw = nextPowerOfTwo(width + lx)
  const ph = nextPowerOfTwo(height + ly)
  const re = new Float64Array(pw * ph)
  const im = new Float64Array(pw * ph)
  let meanA = 0
  let meanB = 0
  for (let i = 0; i < width * height; i++) {
    meanA += a[i] as number
    meanB += b[i] as number
  }
  meanA /= width * height
  meanB /= width * height
  // Summed-area table of the per-pixel energy, (width+1)×(height+1).
  const sw = width + 1
  const sat = new Float64Array(sw * (height + 1))
  for (let y = 0; y < height; y++) {
    let row = 0
    for (let x = 0; x < width; x++) {
      const va = (a[y * width + x] as number) - meanA
      const vb = (b[y * width + x] as number) - meanB
      re[y * pw + x] = va
      im[y * pw + x] = vb
      row += va * va + vb * vb
      sat[(y + 1) * sw + x + 1] = (sat[y * sw + x + 1] as number) + row
    }
  }
  // Forward: rows past `height` are zero padding and stay zero, so only `height` row
  // transforms are needed; then every column.
  const rowPlan = createFftPlan(pw)
  const colPlan = createFftPlan(ph)
  transformRows(re, im, pw, 0, height, rowPlan, 'forward')
  transformColumns(re, im, pw, ph, colPlan, 'forward')
  for (let i = 0; i < re.length; i++) {
    const r = re[i] as number
    const j = im[i] as number
    re[i] = r * r + j * j
    im[i] = 0
  }
  // Inverse: every column, then only the rows of the lags kept (|dy| <= ly, wrapped).
  transformColumns(re, im, pw, ph, colPlan, 'inverse')
  transformRows(re, im, pw, 0, ly + 1, rowPlan, 'inverse')
  transformRows(re, im, pw, ph - ly, ph, rowPlan, 'inverse')

  const boxEnergy = (x0: number, y0: number, x1: number, y1: number) =>
    (sat[y1 * sw + x1] as number) -
    (sat[y0 * sw + x1] as number) -
    (sat[y1 * sw + x0] as number) +
    (sat[y0 * sw + x0] as number)
  const total = boxEnergy(0, 0, width, height)
  const floor = 1e-9 * total + 1e-12
  const mw = 2 * lx + 1
  const values = new Float32Array(mw * (2 * ly + 1))
  for (let dy = -ly; dy <= ly; dy++) {
    const y0 = Math.max(0, -dy)
    const y1 = Math.min(height, height - dy)
    const row = ((dy + ph) % ph) * pw
    for (let dx = -lx; dx <= lx; dx++) {
      const x0 = Math.max(0, -dx)
      const x1 = Math.min(width, width - dx)
      // R(d) = Σ z(p + d)·conj(z(p)) over p in [x0, x1)×[y0, y1).
      const e1 = boxEnergy(x0, y0, x1, y1)
      const e2 = boxEnergy(x0 + dx, y0 + dy, x1 + dx, y1 + dy)
      const r = re[row + ((dx + pw) % pw)] as number
      const den = Math.sqrt(e1 * e2)
      values[(dy + ly) * mw + dx + lx] = den > floor ? r / den : 0
    }
  }
  return { maxLagX: lx, maxLagY: ly, values }
}

function transformRows(
  re: Float64Array,
  im: Float64Array,
  width: number,
  from: number,
  to: number,
  plan: FftPlan,
  direction: 'forward' | 'inverse',
): void {
  const rr = new Float64Array(width)
  const ri = new Float64Array(width)
  for (let y = from; y < to; y++) {
    const off = y * width
    rr.set(re.subarray(off, off + width))
    ri.set(im.subarray(off, off + width))
    if (direction === 'forward') plan.forward(rr, ri)
    else plan.inverse(rr, ri)
    re.set(rr, off)
    im.set(ri, off)
  }
}

function transformColumns(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  plan: FftPlan,
  direction: 'forward' | 'inverse',
): void {
  const cr = new Float64Array(height)
  const ci = new Float64Array(height)
  for (let x = 0; x < width; x++) {
    for (let y = 0, i = x; y < height; y++, i += width) {
      cr[y] = re[i] as number
      ci[y] = im[i] as number
    }
    if (direction === 'forward') plan.forward(cr, ci)
    else plan.inverse(cr, ci)
    for (let y = 0, i = x; y < height; y++, i += width) {
      re[i] = cr[y] as number
      im[i] = ci[y] as number
    }
  }
}

function parabolicOffset(left: number, mid: number, right: number): number {
  const den = left - 2 * mid + right
  if (den >= 0) return 0
  const off = (0.5 * (left - right)) / den
  return Math.max(-0.5, Math.min(0.5, off))
}

/**
 * Local maxima (8-neighbourhood, ties allowed) of `map` in the half-plane `dy > 0` or
 * `dy = 0, dx > 0`, with value at least `minValue` and outside the `|dx|, |dy| <= exclusion`
 * box around the origin (whose peak is not a period). Sorted by decreasing value.
 */
export function findAutocorrelationPeaks(
  map: AutocorrelationMap,
  minValue: number,
  exclusion: number,
): AutocorrelationPeak[] {
  const { maxLagX: lx, maxLagY: ly, values } = map
  const mw = 2 * lx + 1
  const at = (dx: number, dy: number) =>
    Math.abs(dx) > lx || Math.abs(dy) > ly
      ? Number.NEGATIVE_INFINITY
      : (values[(dy + ly) * mw + dx + lx] as number)
  const peaks: AutocorrelationPeak[] = []
  for (let dy = 0; dy <= ly; dy++) {
    for (let dx = -lx; dx <= lx; dx++) {
      if (dy === 0 && dx <= 0) continue
      if (Math.abs(dx) <= exclusion && dy <= exclusion) continue
      const v = at(dx, dy)
      if (v < minValue) continue
      let isMax = true
      for (let j = -1; j <= 1 && isMax; j++) {
        for (let i = -1; i <= 1; i++) {
          if ((i !== 0 || j !== 0) && at(dx + i, dy + j) > v) {
            isMax = false
            break
          }
        }
      }
      if (!isMax) continue
      const left = at(dx - 1, dy)
      const right = at(dx + 1, dy)
      const up = at(dx, dy - 1)
      const down = at(dx, dy + 1)
      const subX =
        Number.isFinite(left) && Number.isFinite(right) ? dx + parabolicOffset(left, v, right) : dx
      const subY =
        Number.isFinite(up) && Number.isFinite(down) ? dy + parabolicOffset(up, v, down) : dy
      peaks.push({ dx, dy, value: v, subX, subY })
    }
  }
  peaks.sort((p, q) => q.value - p.value)
  return peaks
}
