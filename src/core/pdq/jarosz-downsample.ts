import type { RgbImage } from '../image/index.js'

/** Side of the square PDQ downsample. */
export const PDQ_DOWNSAMPLE_SIZE = 64

// BT.601 luma weights, as the reference's fillFloatLumaFromRGB.
const LUMA_R = 0.299
const LUMA_G = 0.587
const LUMA_B = 0.114

const IS_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1

/**
 * Box-filter window for one Jarosz pass from `oldSize` samples down to `newSize`: half of the
 * `oldSize / newSize` block, rounded up, because two passes of a box make a tent that spans the
 * whole block (reference `computeJaroszFilterWindowSize`). At least 1 for positive sizes.
 */
export function jaroszWindowSize(oldSize: number, newSize: number = PDQ_DOWNSAMPLE_SIZE): number {
  return Math.floor((oldSize + 2 * newSize - 1) / (2 * newSize))
}

/**
 * One axis of the reference's filtering: a box of width `window` applied twice, then sampled at
 * the `PDQ_DOWNSAMPLE_SIZE` block centres `floor((j + 0.5) · size / 64)` (`decimateFloat`).
 * Box output `m` is the mean of inputs `[m - left, m + right]` clipped to the axis, with
 * `right = floor((window + 2) / 2) - 1` and `left = window - 1 - right`; clipping shrinks the
 * divisor, as the reference's grow and shrink phases do. Both passes and the sampling are
 * linear, so each sample is a fixed weighting (a tent) of the inputs.
 */
interface TentAxis {
  readonly size: number
  readonly window: number
  readonly left: number
  readonly right: number
  /** Per sample: first and last box output `[from, to]` averaged by the second pass. */
  readonly from: Int32Array
  readonly to: Int32Array
  /** Per sample: 1 when every box in `[from, to]` is unclipped, so its divisor is `window`. */
  readonly isInterior: Uint8Array
}

function tentAxis(size: number): TentAxis {
  const window = jaroszWindowSize(size)
  const right = ((window + 2) >> 1) - 1
  const left = window - 1 - right
  const from = new Int32Array(PDQ_DOWNSAMPLE_SIZE)
  const to = new Int32Array(PDQ_DOWNSAMPLE_SIZE)
  const isInterior = new Uint8Array(PDQ_DOWNSAMPLE_SIZE)
  for (let j = 0; j < PDQ_DOWNSAMPLE_SIZE; j++) {
    const centre = Math.floor(((j + 0.5) * size) / PDQ_DOWNSAMPLE_SIZE)
    const a = Math.max(0, centre - left)
    const b = Math.min(size - 1, centre + right)
    from[j] = a
    to[j] = b
    isInterior[j] = a - left >= 0 && b + right <= size - 1 ? 1 : 0
  }
  return { size, window, left, right, from, to, isInterior }
}

/** Input range `[first, last]` that sample `j` of `axis` reads. */
function tentSupport(axis: TentAxis, j: number): [number, number] {
  const first = Math.max(0, (axis.from[j] as number) - axis.left)
  const last = Math.min(axis.size - 1, (axis.to[j] as number) + axis.right)
  return [first, last]
}

/** Explicit input weights of sample `j` of `axis`, indexed from `tentSupport(axis, j)[0]`. */
function tentWeights(axis: TentAxis, j: number): Float64Array {
  const [first, last] = tentSupport(axis, j)
  const a = axis.from[j] as number
  const b = axis.to[j] as number
  const weights = new Float64Array(last - first + 1)
  const outer = 1 / (b - a + 1)
  for (let m = a; m <= b; m++) {
    const lo = Math.max(0, m - axis.left)
    const hi = Math.min(axis.size - 1, m + axis.right)
    const w = outer / (hi - lo + 1)
    for (let k = lo; k <= hi; k++) weights[k - first] = (weights[k - first] as number) + w
  }
  return weights
}

/**
 * Sample `j` of `axis` from the input's prefix sums: `p[k]` is the sum of inputs `0..k-1` and
 * `q[k]` the sum of `p[0..k-1]`. Interior samples are four lookups in `q`, because the sum of
 * equal-width box sums telescopes; samples near the ends add up their clipped boxes from `p`.
 */
function tentFromPrefix(axis: TentAxis, j: number, p: Float64Array, q: Float64Array): number {
  const a = axis.from[j] as number
  const b = axis.to[j] as number
  const { left, right } = axis
  if (axis.isInterior[j] === 1) {
    const sum =
      (q[b + right + 2] as number) -
      (q[a + right + 1] as number) -
      (q[b - left + 1] as number) +
      (q[a - left] as number)
    return sum / ((b - a + 1) * axis.window)
  }
  let acc = 0
  for (let m = a; m <= b; m++) {
    const lo = Math.max(0, m - left)
    const hi = Math.min(axis.size - 1, m + right)
    acc += ((p[hi + 1] as number) - (p[lo] as number)) / (hi - lo + 1)
  }
  return acc / (b - a + 1)
}

function lumaAt(data: Uint8Array, at: number): number {
  return (
    LUMA_R * (data[at] as number) +
    LUMA_G * (data[at + 1] as number) +
    LUMA_B * (data[at + 2] as number)
  )
}

/** A row's bytes: `data`, plus its word view on little-endian hosts (else empty). */
interface RowSource {
  readonly data: Uint8Array
  readonly words: Uint32Array
  /** Byte position in `data.buffer` of `words[0]`. */
  readonly wordsAt: number
}

function rowSource(data: Uint8Array): RowSource {
  const wordsAt = (data.byteOffset + 3) & ~3
  const wordCount = Math.max(0, (data.byteOffset + data.length - wordsAt) >> 2)
  const words = IS_LITTLE_ENDIAN
    ? new Uint32Array(data.buffer, wordsAt, wordCount)
    : new Uint32Array(0)
  return { data, words, wordsAt }
}

/**
 * Fills `p` and `q` (see `tentFromPrefix`) with the prefix sums of the luma of `count` pixels
 * starting at byte `start`. This is PDQ's hot loop, and one 32-bit load per 4/3 pixel beats
 * three byte loads, so on little-endian hosts the word-aligned middle of the row is read four
 * pixels (three words) at a time; the ragged ends, and big-endian hosts, take the byte path.
 */
function fillLumaPrefix(
  src: RowSource,
  start: number,
  count: number,
  p: Float64Array,
  q: Float64Array,
): void {
  const { data, words } = src
  const at0 = data.byteOffset + start
  let s1 = 0
  let s2 = 0
  let c = 0
  p[0] = 0
  q[0] = 0
  q[1] = 0
  if (words.length > 0) {
    // Byte path up to the first pixel whose first byte starts a word of the buffer.
    let head = 0
    while (head < 3 && ((at0 + 3 * head) & 3) !== 0) head++
    for (const end = Math.min(count, head); c < end; c++) {
      s1 += lumaAt(data, start + 3 * c)
      p[c + 1] = s1
      s2 += s1
      q[c + 2] = s2
    }
    let w = (at0 + 3 * c - src.wordsAt) >> 2
    for (; c + 4 <= count; c += 4, w += 3) {
      const x0 = words[w] as number
      const x1 = words[w + 1] as number
      const x2 = words[w + 2] as number
      s1 += LUMA_R * (x0 & 255) + LUMA_G * ((x0 >>> 8) & 255) + LUMA_B * ((x0 >>> 16) & 255)
      p[c + 1] = s1
      s2 += s1
      q[c + 2] = s2
      s1 += LUMA_R * (x0 >>> 24) + LUMA_G * (x1 & 255) + LUMA_B * ((x1 >>> 8) & 255)
      p[c + 2] = s1
      s2 += s1
      q[c + 3] = s2
      s1 += LUMA_R * ((x1 >>> 16) & 255) + LUMA_G * (x1 >>> 24) + LUMA_B * (x2 & 255)
      p[c + 3] = s1
      s2 += s1
      q[c + 4] = s2
      s1 += LUMA_R * ((x2 >>> 8) & 255) + LUMA_G * ((x2 >>> 16) & 255) + LUMA_B * (x2 >>> 24)
      p[c + 4] = s1
      s2 += s1
      q[c + 5] = s2
    }
  }
  for (; c < count; c++) {
    s1 += lumaAt(data, start + 3 * c)
    p[c + 1] = s1
    s2 += s1
    q[c + 2] = s2
  }
}

/**
 * Luma of `img` blurred with two X/Y passes of box filters (Jarosz's tent approximation) and
 * decimated to 64×64 at block centres, as the reference's `jaroszFilterFloat` plus
 * `decimateFloat`, row-major into `out` (4096 entries, overwritten). Computed in float64 and
 * only where the decimation looks, so it equals the reference to within the reference's
 * float32 rounding. The caller checks the image shape.
 */
export function downsampleLuma64(img: RgbImage, out: Float64Array): void {
  const { width, height, data } = img
  const size = PDQ_DOWNSAMPLE_SIZE
  const ax = tentAxis(width)
  const ay = tentAxis(height)

  const isRowNeeded = new Uint8Array(height)
  for (let i = 0; i < size; i++) {
    const [first, last] = tentSupport(ay, i)
    isRowNeeded.fill(1, first, last + 1)
  }

  // Horizontal stage: every row the vertical stage reads, reduced to its 64 samples.
  const rowSamples = new Float64Array(height * size)
  const p = new Float64Array(width + 1)
  const q = new Float64Array(width + 2)
  const src = rowSource(data)
  for (let r = 0; r < height; r++) {
    if (isRowNeeded[r] === 0) continue
    fillLumaPrefix(src, r * width * 3, width, p, q)
    const base = r * size
    for (let j = 0; j < size; j++) rowSamples[base + j] = tentFromPrefix(ax, j, p, q)
  }

  // Vertical stage on the 64 column samples, with explicit weights (64 rows are cheap).
  out.fill(0, 0, size * size)
  for (let i = 0; i < size; i++) {
    const first = tentSupport(ay, i)[0]
    const weights = tentWeights(ay, i)
    const outBase = i * size
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k] as number
      const inBase = (first + k) * size
      for (let j = 0; j < size; j++) {
        out[outBase + j] = (out[outBase + j] as number) + w * (rowSamples[inBase + j] as number)
      }
    }
  }
}
