import type { RgbImage } from '../image/index.js'

/** Pixel positions spread evenly but irregularly over an image (a jittered grid). */
export interface PixelSample {
  readonly xs: Int32Array
  readonly ys: Int32Array
}

/** How alike two sets of pixels are, from a sampled comparison. */
export interface PixelComparison {
  /** Mean over compared pixels of the mean absolute channel difference, in 8-bit levels. */
  readonly mad: number
  /** Fraction of compared pixels whose largest channel difference exceeds the tolerance. */
  readonly mismatch: number
  /** Number of pixel pairs compared (those whose partner falls inside the image). */
  readonly count: number
}

/** A channel difference above this many levels is content, not mild noise or JPEG loss. */
export const MISMATCH_LEVELS = 24

function hash32(n: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * Deterministic jittered-grid sample of about `count` pixel positions (never more than the
 * image has). The jitter comes from an integer hash of the cell index and `seed`, so results
 * never depend on a clock or global randomness.
 */
export function samplePixels(
  width: number,
  height: number,
  count: number,
  seed: number,
): PixelSample {
  const total = width * height
  const n = Math.max(1, Math.min(total, Math.floor(count)))
  const cell = Math.max(1, Math.sqrt(total / n))
  const gx = Math.max(1, Math.min(width, Math.round(width / cell)))
  const gy = Math.max(1, Math.min(height, Math.round(height / cell)))
  const xs = new Int32Array(gx * gy)
  const ys = new Int32Array(gx * gy)
  let k = 0
  for (let j = 0; j < gy; j++) {
    const y0 = Math.floor((j * height) / gy)
    const y1 = Math.floor(((j + 1) * height) / gy)
    for (let i = 0; i < gx; i++) {
      const x0 = Math.floor((i * width) / gx)
      const x1 = Math.floor(((i + 1) * width) / gx)
      const h = hash32(k * 2654435761 + seed)
      xs[k] = x0 + (h % Math.max(1, x1 - x0))
      ys[k] = y0 + ((h >>> 16) % Math.max(1, y1 - y0))
      k++
    }
  }
  return { xs, ys }
}

/** A map from a sample pixel to its partner, or `-1` when the partner lies outside the image. */
export type PartnerFn = (x: number, y: number) => number

/** Compares every sample pixel with its partner pixel. */
export function comparePixels(
  img: RgbImage,
  sample: PixelSample,
  partner: PartnerFn,
  tolerance: number = MISMATCH_LEVELS,
): PixelComparison {
  const d = img.data
  const w = img.width
  const { xs, ys } = sample
  let sum = 0
  let bad = 0
  let count = 0
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k] as number
    const y = ys[k] as number
    const j = partner(x, y)
    if (j < 0) continue
    const i = (y * w + x) * 3
    const a = Math.abs((d[i] as number) - (d[j] as number))
    const b = Math.abs((d[i + 1] as number) - (d[j + 1] as number))
    const c = Math.abs((d[i + 2] as number) - (d[j + 2] as number))
    sum += a + b + c
    if (a > tolerance || b > tolerance || c > tolerance) bad++
    count++
  }
  return count === 0
    ? { mad: Number.POSITIVE_INFINITY, mismatch: 1, count: 0 }
    : { mad: sum / (3 * count), mismatch: bad / count, count }
}

/** Compares the image with itself translated by (`dx`, `dy`): pixel p against p + (dx, dy). */
export function compareShift(
  img: RgbImage,
  sample: PixelSample,
  dx: number,
  dy: number,
  tolerance: number = MISMATCH_LEVELS,
): PixelComparison {
  const { width: w, height: h, data: d } = img
  const { xs, ys } = sample
  const off = (dy * w + dx) * 3
  let sum = 0
  let bad = 0
  let count = 0
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k] as number
    const y = ys[k] as number
    const u = x + dx
    const v = y + dy
    if (u < 0 || v < 0 || u >= w || v >= h) continue
    const i = (y * w + x) * 3
    const j = i + off
    const a = Math.abs((d[i] as number) - (d[j] as number))
    const b = Math.abs((d[i + 1] as number) - (d[j + 1] as number))
    const c = Math.abs((d[i + 2] as number) - (d[j + 2] as number))
    sum += a + b + c
    if (a > tolerance || b > tolerance || c > tolerance) bad++
    count++
  }
  return count === 0
    ? { mad: Number.POSITIVE_INFINITY, mismatch: 1, count: 0 }
    : { mad: sum / (3 * count), mismatch: bad / count, count }
}

/**
 * Mean absolute difference of the shift (`dx`, `dy`) over the sample, or `+Infinity` as soon as
 * it is certain to exceed `bound` (the running sum already exceeds `bound` times the largest
 * possible count), or when fewer than `minCount` pairs overlap. For fast arg-min searches.
 */
export function boundedShiftMad(
  img: RgbImage,
  sample: PixelSample,
  dx: number,
  dy: number,
  bound: number,
  minCount: number,
): number {
  const { width: w, height: h, data: d } = img
  const { xs, ys } = sample
  const off = (dy * w + dx) * 3
  const limit = bound * 3 * xs.length
  let sum = 0
  let count = 0
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k] as number
    const y = ys[k] as number
    const u = x + dx
    const v = y + dy
    if (u < 0 || v < 0 || u >= w || v >= h) continue
    const i = (y * w + x) * 3
    const j = i + off
    sum +=
      Math.abs((d[i] as number) - (d[j] as number)) +
      Math.abs((d[i + 1] as number) - (d[j + 1] as number)) +
      Math.abs((d[i + 2] as number) - (d[j + 2] as number))
    count++
    if (sum > limit) return Number.POSITIVE_INFINITY
  }
  return count < Math.max(1, minCount) ? Number.POSITIVE_INFINITY : sum / (3 * count)
}

/**
 * Compares the image with its mirror image about a line between pixels: `axis2 = 2a − 1` for an
 * axis between column (or row) `a − 1` and `a`; pixel x is paired with `axis2 − x`.
 */
export function compareFlip(
  img: RgbImage,
  sample: PixelSample,
  direction: 'x' | 'y',
  axis2: number,
  tolerance: number = MISMATCH_LEVELS,
): PixelComparison {
  const w = img.width
  const h = img.height
  if (direction === 'x') {
    return comparePixels(
      img,
      sample,
      (x, y) => {
        const u = axis2 - x
        return u < 0 || u >= w ? -1 : (y * w + u) * 3
      },
      tolerance,
    )
  }
  return comparePixels(
    img,
    sample,
    (x, y) => {
      const v = axis2 - y
      return v < 0 || v >= h ? -1 : (v * w + x) * 3
    },
    tolerance,
  )
}

/**
 * Compares sample pixels with other, unrelated sample pixels (the sample paired with itself
 * rotated by half its length): the typical difference between two arbitrary pixels.
 */
export function compareUnrelated(
  img: RgbImage,
  sample: PixelSample,
  tolerance: number = MISMATCH_LEVELS,
): PixelComparison {
  const n = sample.xs.length
  const w = img.width
  const half = Math.floor(n / 2) + 1
  let k = 0
  return comparePixels(
    img,
    sample,
    () => {
      const m = (k++ + half) % n
      return ((sample.ys[m] as number) * w + (sample.xs[m] as number)) * 3
    },
    tolerance,
  )
}

/**
 * The pixels of `sample` that sit on a content edge: some channel differs by more than
 * `tolerance` from the right or lower neighbour. Shifts that merely slide flat areas over each
 * other look alike almost everywhere, but not on edges, so these pixels discriminate best.
 */
export function selectEdgePixels(
  img: RgbImage,
  sample: PixelSample,
  tolerance: number = MISMATCH_LEVELS,
): PixelSample {
  const { width: w, height: h, data: d } = img
  const xs: number[] = []
  const ys: number[] = []
  const differs = (i: number, j: number) =>
    Math.abs((d[i] as number) - (d[j] as number)) > tolerance ||
    Math.abs((d[i + 1] as number) - (d[j + 1] as number)) > tolerance ||
    Math.abs((d[i + 2] as number) - (d[j + 2] as number)) > tolerance
  for (let k = 0; k < sample.xs.length; k++) {
    const x = sample.xs[k] as number
    const y = sample.ys[k] as number
    const i = (y * w + x) * 3
    if ((x + 1 < w && differs(i, i + 3)) || (y + 1 < h && differs(i, i + w * 3))) {
      xs.push(x)
      ys.push(y)
    }
  }
  return { xs: Int32Array.from(xs), ys: Int32Array.from(ys) }
}

/**
 * Median, over the sample, of the mean absolute channel difference between a pixel and its
 * right and lower neighbours (pooled): a robust noise level for images with flat areas, and an
 * over-estimate (never an under-estimate by much) for busy textures.
 */
export function medianNeighbourDifference(img: RgbImage, sample: PixelSample): number {
  const { width: w, height: h, data: d } = img
  const hist = new Uint32Array(766)
  let n = 0
  const add = (i: number, j: number) => {
    const v =
      Math.abs((d[i] as number) - (d[j] as number)) +
      Math.abs((d[i + 1] as number) - (d[j + 1] as number)) +
      Math.abs((d[i + 2] as number) - (d[j + 2] as number))
    hist[v] = (hist[v] as number) + 1
    n++
  }
  for (let k = 0; k < sample.xs.length; k++) {
    const x = sample.xs[k] as number
    const y = sample.ys[k] as number
    const i = (y * w + x) * 3
    if (x + 1 < w) add(i, i + 3)
    if (y + 1 < h) add(i, i + w * 3)
  }
  if (n === 0) return 0
  let acc = 0
  for (let v = 0; v < hist.length; v++) {
    acc += hist[v] as number
    if (acc * 2 >= n) return v / 3
  }
  return 255
}

/**
 * The `fraction` of `sample` with the largest local step (sum over channels of the absolute
 * differences to the right and lower neighbours). Under heavy noise the content edges are
 * still over-represented here, which makes a one-pixel error in a shift far more visible than on
 * an unselected sample.
 */
export function selectBusiestPixels(
  img: RgbImage,
  sample: PixelSample,
  fraction: number,
): PixelSample {
  const { width: w, height: h, data: d } = img
  const n = sample.xs.length
  const score = new Uint16Array(n)
  const hist = new Uint32Array(1531)
  for (let k = 0; k < n; k++) {
    const x = sample.xs[k] as number
    const y = sample.ys[k] as number
    const i = (y * w + x) * 3
    let v = 0
    if (x + 1 < w) {
      v +=
        Math.abs((d[i] as number) - (d[i + 3] as number)) +
        Math.abs((d[i + 1] as number) - (d[i + 4] as number)) +
        Math.abs((d[i + 2] as number) - (d[i + 5] as number))
    }
    if (y + 1 < h) {
      const j = i + w * 3
      v +=
        Math.abs((d[i] as number) - (d[j] as number)) +
        Math.abs((d[i + 1] as number) - (d[j + 1] as number)) +
        Math.abs((d[i + 2] as number) - (d[j + 2] as number))
    }
    score[k] = v
    hist[v] = (hist[v] as number) + 1
  }
  const want = Math.max(1, Math.ceil(fraction * n))
  let threshold = hist.length - 1
  for (let acc = 0; threshold > 0; threshold--) {
    acc += hist[threshold] as number
    if (acc >= want) break
  }
  const xs: number[] = []
  const ys: number[] = []
  for (let k = 0; k < n; k++) {
    if ((score[k] as number) >= threshold) {
      xs.push(sample.xs[k] as number)
      ys.push(sample.ys[k] as number)
    }
  }
  return { xs: Int32Array.from(xs), ys: Int32Array.from(ys) }
}

/** The samples one after another (a pixel in several counts several times). */
export function joinSamples(...samples: readonly PixelSample[]): PixelSample {
  const n = samples.reduce((t, s) => t + s.xs.length, 0)
  const xs = new Int32Array(n)
  const ys = new Int32Array(n)
  let k = 0
  for (const s of samples) {
    xs.set(s.xs, k)
    ys.set(s.ys, k)
    k += s.xs.length
  }
  return { xs, ys }
}
