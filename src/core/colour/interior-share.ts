import type { RgbImage } from '../image/index.js'
import { ColourTable } from './colour-table.js'

/**
 * For each packed RGB colour in `keys`, the share of its pixels that sit in a uniform 2×2 block
 * (the pixel, its right, lower and lower-right neighbours all that colour). Inks form areas and
 * score high; antialiasing blends form one-pixel seams along edges and score near 0. A colour
 * with no pixel off the last row and column scores 0.
 */
export function interiorShares(img: RgbImage, keys: readonly number[]): Float64Array {
  const table = new ColourTable(Math.max(1, keys.length))
  keys.forEach((key, i) => {
    table.set(key, i)
  })
  const seen = new Float64Array(keys.length)
  const interior = new Float64Array(keys.length)
  const { width: w, height: h, data: d } = img
  const stride = w * 3
  for (let y = 0; y + 1 < h; y++) {
    let prevKey = -1
    let prevIndex = -1
    for (let x = 0, j = y * stride; x + 1 < w; x++, j += 3) {
      const key = ((d[j] as number) << 16) | ((d[j + 1] as number) << 8) | (d[j + 2] as number)
      const index = key === prevKey ? prevIndex : table.get(key)
      prevKey = key
      prevIndex = index
      if (index < 0) continue
      seen[index] = (seen[index] as number) + 1
      if (sameAt(d, j, j + 3) && sameAt(d, j, j + stride) && sameAt(d, j, j + stride + 3)) {
        interior[index] = (interior[index] as number) + 1
      }
    }
  }
  for (let i = 0; i < keys.length; i++) {
    const s = seen[i] as number
    interior[i] = s > 0 ? (interior[i] as number) / s : 0
  }
  return interior
}

function sameAt(d: Uint8Array, a: number, b: number): boolean {
  return d[a] === d[b] && d[a + 1] === d[b + 1] && d[a + 2] === d[b + 2]
}
