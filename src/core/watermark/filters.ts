/**
 * Mean over a (2r+1)×(2r+1) box with edges clamped, by separable running sums; O(width·height)
 * whatever the radius. Returns a new array; never mutates `src`.
 */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length)
  const out = new Float32Array(src.length)
  const span = 2 * r + 1
  for (let y = 0; y < height; y++) {
    const row = y * width
    let sum = 0
    for (let k = -r; k <= r; k++) sum += src[row + clamp(k, width)] as number
    for (let x = 0; x < width; x++) {
      tmp[row + x] = sum / span
      sum +=
        (src[row + clamp(x + r + 1, width)] as number) - (src[row + clamp(x - r, width)] as number)
    }
  }
  // Columns, walking rows (contiguous memory) with one running sum per column.
  const sums = new Float64Array(width)
  for (let k = -r; k <= r; k++) {
    const row = clamp(k, height) * width
    for (let x = 0; x < width; x++) sums[x] = (sums[x] as number) + (tmp[row + x] as number)
  }
  for (let y = 0; y < height; y++) {
    const row = y * width
    const add = clamp(y + r + 1, height) * width
    const sub = clamp(y - r, height) * width
    for (let x = 0; x < width; x++) {
      const sum = sums[x] as number
      out[row + x] = sum / span
      sums[x] = sum + ((tmp[add + x] as number) - (tmp[sub + x] as number))
    }
  }
  return out
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i
}

/** Luma (BT.601) of interleaved RGB as Float32Array. */
export function luma(data: Uint8Array, pixels: number): Float32Array {
  const out = new Float32Array(pixels)
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    out[i] =
      0.299 * (data[j] as number) +
      0.587 * (data[j + 1] as number) +
      0.114 * (data[j + 2] as number)
  }
  return out
}

// Sigma filters over ±SIGMA_RADIUS samples: the mean of the samples within ±tau of the centre.
// Both passes unroll the interior taps (the vertical one reads seven contiguous row streams) and
// add the same samples in the same order as a plain loop over the window.
const SIGMA_RADIUS = 3

function sigmaRows(
  src: Float32Array,
  out: Float32Array,
  width: number,
  height: number,
  tau: number,
): void {
  const r = SIGMA_RADIUS
  for (let y = 0; y < height; y++) {
    const base = y * width
    for (let i = 0; i < width; i++) {
      if (i === r && width > 2 * r + 1) {
        for (let k = base + r, end = base + width - r; k < end; k++) {
          const c = src[k] as number
          const v0 = src[k - 3] as number
          const v1 = src[k - 2] as number
          const v2 = src[k - 1] as number
          const v4 = src[k + 1] as number
          const v5 = src[k + 2] as number
          const v6 = src[k + 3] as number
          let sum = 0
          let n = 0
          if (Math.abs(v0 - c) <= tau) {
            sum += v0
            n++
          }
          if (Math.abs(v1 - c) <= tau) {
            sum += v1
            n++
          }
          if (Math.abs(v2 - c) <= tau) {
            sum += v2
            n++
          }
          sum += c
          n++
          if (Math.abs(v4 - c) <= tau) {
            sum += v4
            n++
          }
          if (Math.abs(v5 - c) <= tau) {
            sum += v5
            n++
          }
          if (Math.abs(v6 - c) <= tau) {
            sum += v6
            n++
          }
          out[k] = sum / n
        }
        i = width - r - 1
        continue
      }
      const c = src[base + i] as number
      let sum = 0
      let n = 0
      const lo = Math.max(i - r, 0)
      const hi = Math.min(i + r, width - 1)
      for (let k = base + lo, end = base + hi; k <= end; k++) {
        const v = src[k] as number
        if (Math.abs(v - c) <= tau) {
          sum += v
          n++
        }
      }
      out[base + i] = sum / n
    }
  }
}

function sigmaColumns(
  src: Float32Array,
  out: Float32Array,
  width: number,
  height: number,
  tau: number,
): void {
  const r = SIGMA_RADIUS
  const w = width
  for (let y = 0; y < height; y++) {
    const row = y * w
    if (y >= r && y < height - r) {
      // Interior rows: seven contiguous row streams, taps unrolled.
      for (let i = row, end = row + w; i < end; i++) {
        const c = src[i] as number
        const v0 = src[i - 3 * w] as number
        const v1 = src[i - 2 * w] as number
        const v2 = src[i - w] as number
        const v4 = src[i + w] as number
        const v5 = src[i + 2 * w] as number
        const v6 = src[i + 3 * w] as number
        let sum = 0
        let n = 0
        if (Math.abs(v0 - c) <= tau) {
          sum += v0
          n++
        }
        if (Math.abs(v1 - c) <= tau) {
          sum += v1
          n++
        }
        if (Math.abs(v2 - c) <= tau) {
          sum += v2
          n++
        }
        sum += c
        n++
        if (Math.abs(v4 - c) <= tau) {
          sum += v4
          n++
        }
        if (Math.abs(v5 - c) <= tau) {
          sum += v5
          n++
        }
        if (Math.abs(v6 - c) <= tau) {
          sum += v6
          n++
        }
        out[i] = sum / n
      }
      continue
    }
    const lo = Math.max(y - r, 0)
    const hi = Math.min(y + r, height - 1)
    for (let x = 0; x < w; x++) {
      const c = src[row + x] as number
      let sum = 0
      let n = 0
      for (let k = lo; k <= hi; k++) {
        const v = src[k * w + x] as number
        if (Math.abs(v - c) <= tau) {
          sum += v
          n++
        }
      }
      out[row + x] = sum / n
    }
  }
}

/**
 * Edge-preserving local mean of luma: a separable sigma filter over 7×7 that only averages
 * samples within ±`tau` of the centre. Returns a new array.
 */
export function sigmaMean(y: Float32Array, width: number, height: number, tau = 10): Float32Array {
  const h = new Float32Array(y.length)
  const mean = new Float32Array(y.length)
  sigmaRows(y, h, width, height, tau)
  sigmaColumns(h, mean, width, height, tau)
  return mean
}

/**
 * High-pass residual used by the detector: luma minus an edge-preserving local mean (a separable
 * sigma filter over 7×7 that only averages samples within ±`tau` of the centre), clipped to
 * ±`limit`. Flat-colour designs are a few inks with hard edges: a plain local mean would leave
 * every edge in the residual, far louder than the mark, while the sigma filter predicts each ink
 * from its own area and leaves mostly the mark.
 */
export function whitenedResidual(
  y: Float32Array,
  width: number,
  height: number,
  limit: number,
  tau = 10,
): Float32Array {
  // The mean is a fresh array: the residual overwrites it in place.
  const out = sigmaMean(y, width, height, tau)
  for (let i = 0; i < y.length; i++) {
    const d = (y[i] as number) - (out[i] as number)
    out[i] = d > limit ? limit : Math.max(d, -limit)
  }
  return out
}
