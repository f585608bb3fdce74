import type { RgbImage } from '../image/index.js'
import { ColourTable } from './colour-table.js'

/**
 * The colours of an image with their pixel counts. `exact`: every distinct colour. `binned`:
 * colours grouped into 32×32×32 sRGB bins, each represented by the mean colour of its pixels.
 */
export interface ColourHistogram {
  readonly kind: 'exact' | 'binned'
  /** Number of entries. */
  readonly size: number
  /** Interleaved sRGB of each entry, `0..255` (fractional for bin means). */
  readonly rgb: Float64Array
  readonly count: Float64Array
  /** Number of pixels, the sum of `count`. */
  readonly total: number
}

/** Up to this many distinct colours are counted exactly; more fall back to bins. */
export const EXACT_COLOUR_LIMIT = 4096

/** Counts the colours of every pixel of `img`: exactly when few, else in 15-bit bins. */
export function buildColourHistogram(img: RgbImage): ColourHistogram {
  return exactHistogram(img) ?? binnedHistogram(img)
}

function exactHistogram(img: RgbImage): ColourHistogram | null {
  const d = img.data
  const n = img.width * img.height
  const table = new ColourTable(EXACT_COLOUR_LIMIT)
  const keys = new Int32Array(EXACT_COLOUR_LIMIT)
  const counts = new Float64Array(EXACT_COLOUR_LIMIT)
  let size = 0
  let prevKey = -1
  let prevIndex = -1
  // Flat designs are long runs of one ink, so the previous pixel's entry is checked first.
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const key = ((d[j] as number) << 16) | ((d[j + 1] as number) << 8) | (d[j + 2] as number)
    if (key === prevKey) {
      counts[prevIndex] = (counts[prevIndex] as number) + 1
      continue
    }
    let index = table.get(key)
    if (index < 0) {
      if (!table.set(key, size)) return null
      index = size
      keys[size++] = key
    }
    counts[index] = (counts[index] as number) + 1
    prevKey = key
    prevIndex = index
  }
  const rgb = new Float64Array(size * 3)
  for (let i = 0; i < size; i++) {
    const key = keys[i] as number
    rgb[3 * i] = key >>> 16
    rgb[3 * i + 1] = (key >>> 8) & 0xff
    rgb[3 * i + 2] = key & 0xff
  }
  return { kind: 'exact', size, rgb, count: counts.slice(0, size), total: n }
}

function binnedHistogram(img: RgbImage): ColourHistogram {
  const d = img.data
  const n = img.width * img.height
  const counts = new Uint32Array(32768)
  // 32-bit integer sums are faster and exact while pixels × 255 < 2³²; bigger images use floats.
  const sums = n < 2 ** 24 ? new Uint32Array(32768 * 3) : new Float64Array(32768 * 3)
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = d[j] as number
    const g = d[j + 1] as number
    const b = d[j + 2] as number
    const bin = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)
    counts[bin] = (counts[bin] as number) + 1
    sums[3 * bin] = (sums[3 * bin] as number) + r
    sums[3 * bin + 1] = (sums[3 * bin + 1] as number) + g
    sums[3 * bin + 2] = (sums[3 * bin + 2] as number) + b
  }
  return collectBins(counts, sums, n)
}

/**
 * Groups the entries of `hist` into `2 ** (3 * bitsPerChannel)` sRGB bins, each the count-weighted
 * mean of its entries; for clustering many colours quickly. Totals are unchanged.
 */
export function coarsenHistogram(hist: ColourHistogram, bitsPerChannel: number): ColourHistogram {
  const shift = 8 - bitsPerChannel
  const bins = 1 << (3 * bitsPerChannel)
  const counts = new Float64Array(bins)
  const sums = new Float64Array(bins * 3)
  for (let i = 0; i < hist.size; i++) {
    const c = hist.count[i] as number
    const r = hist.rgb[3 * i] as number
    const g = hist.rgb[3 * i + 1] as number
    const b = hist.rgb[3 * i + 2] as number
    const bin =
      (((r | 0) >> shift) << (2 * bitsPerChannel)) |
      (((g | 0) >> shift) << bitsPerChannel) |
      ((b | 0) >> shift)
    counts[bin] = (counts[bin] as number) + c
    sums[3 * bin] = (sums[3 * bin] as number) + c * r
    sums[3 * bin + 1] = (sums[3 * bin + 1] as number) + c * g
    sums[3 * bin + 2] = (sums[3 * bin + 2] as number) + c * b
  }
  return collectBins(counts, sums, hist.total)
}

function collectBins(
  counts: Float64Array | Uint32Array,
  sums: Float64Array | Uint32Array,
  total: number,
): ColourHistogram {
  let size = 0
  for (let bin = 0; bin < counts.length; bin++) if ((counts[bin] as number) > 0) size++
  const rgb = new Float64Array(size * 3)
  const count = new Float64Array(size)
  for (let bin = 0, k = 0; bin < counts.length; bin++) {
    const c = counts[bin] as number
    if (c === 0) continue
    count[k] = c
    rgb[3 * k] = (sums[3 * bin] as number) / c
    rgb[3 * k + 1] = (sums[3 * bin + 1] as number) / c
    rgb[3 * k + 2] = (sums[3 * bin + 2] as number) / c
    k++
  }
  return { kind: 'binned', size, rgb, count, total }
}
