import type { RgbImage } from '../image/index.js'

/**
 * Mean absolute step (sum over R, G, B) between horizontally adjacent pixels, folded by the
 * column of the right-hand pixel modulo `period`: `profile[k]` is the mean step across the
 * vertical lines `x ≡ k (mod period)`. Reads every `rowStride`-th row. A repeat built from a tile
 * whose left and right edges do not match shows a full-height line: one high entry.
 */
export function columnStepProfile(img: RgbImage, period: number, rowStride = 1): Float64Array {
  const { width: w, height: h, data: d } = img
  const sum = new Float64Array(period)
  const count = new Float64Array(period)
  for (let y = 0; y < h; y += rowStride) {
    let i = y * w * 3 + 3
    for (let x = 1; x < w; x++, i += 3) {
      const k = x % period
      sum[k] =
        (sum[k] as number) +
        Math.abs((d[i] as number) - (d[i - 3] as number)) +
        Math.abs((d[i + 1] as number) - (d[i - 2] as number)) +
        Math.abs((d[i + 2] as number) - (d[i - 1] as number))
      count[k] = (count[k] as number) + 1
    }
  }
  for (let k = 0; k < period; k++) sum[k] = (sum[k] as number) / Math.max(1, count[k] as number)
  return sum
}

/** As `columnStepProfile`, for vertically adjacent pixels folded by row (every `colStride`-th column). */
export function rowStepProfile(img: RgbImage, period: number, colStride = 1): Float64Array {
  const { width: w, height: h, data: d } = img
  const sum = new Float64Array(period)
  const count = new Float64Array(period)
  const rowBytes = w * 3
  for (let y = 1; y < h; y++) {
    const k = y % period
    let acc = 0
    let n = 0
    for (let x = 0; x < w; x += colStride) {
      const i = y * rowBytes + x * 3
      const j = i - rowBytes
      acc +=
        Math.abs((d[i] as number) - (d[j] as number)) +
        Math.abs((d[i + 1] as number) - (d[j + 1] as number)) +
        Math.abs((d[i + 2] as number) - (d[j + 2] as number))
      n++
    }
    sum[k] = (sum[k] as number) + acc
    count[k] = (count[k] as number) + n
  }
  for (let k = 0; k < period; k++) sum[k] = (sum[k] as number) / Math.max(1, count[k] as number)
  return sum
}

/** How far the strongest line of a step profile stands above the profile's mean, in levels. */
export function lineExcess(profile: Float64Array): number {
  let max = 0
  let total = 0
  for (const v of profile) {
    total += v
    if (v > max) max = v
  }
  return profile.length === 0 ? 0 : max - total / profile.length
}
