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
  for (let x = 0; x < width; x++) {
    let sum = 0
    for (let k = -r; k <= r; k++) sum += tmp[clamp(k, height) * width + x] as number
    for (let y = 0; y < height; y++) {
      out[y * width + x] = sum / span
      sum +=
        (tmp[clamp(y + r + 1, height) * width + x] as number) -
        (tmp[clamp(y - r, height) * width + x] as number)
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

// One pass of a 1-D sigma filter: the mean of the samples within ±tau of the centre, over
// ±r samples along `step`.
function sigmaPass(
  src: Float32Array,
  out: Float32Array,
  lines: number,
  length: number,
  lineStride: number,
  step: number,
  r: number,
  tau: number,
): void {
  for (let l = 0; l < lines; l++) {
    const base = l * lineStride
    for (let i = 0; i < length; i++) {
      const c = src[base + i * step] as number
      let sum = 0
      let n = 0
      const lo = Math.max(i - r, 0)
      const hi = i + r >= length ? length - 1 : i + r
      for (let k = lo; k <= hi; k++) {
        const v = src[base + k * step] as number
        const d = v - c
        if (d <= tau && d >= -tau) {
          sum += v
          n++
        }
      }
      out[base + i * step] = sum / n
    }
  }
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
  const h = new Float32Array(y.length)
  const mean = new Float32Array(y.length)
  sigmaPass(y, h, height, width, width, 1, 3, tau)
  sigmaPass(h, mean, width, height, 1, width, 3, tau)
  const out = new Float32Array(y.length)
  for (let i = 0; i < y.length; i++) {
    const d = (y[i] as number) - (mean[i] as number)
    out[i] = d > limit ? limit : Math.max(d, -limit)
  }
  return out
}
