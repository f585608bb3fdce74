import type { RepeatType } from '../archive/index.js'
import type { RgbImage } from '../image/index.js'
import { createRgbImage } from '../image/index.js'
import type { LayoutType } from './build-repeat.js'
import { tileCoordinate } from './build-repeat.js'
import { findMirrorAxis } from './mirror-axis.js'
import { joinSamples, samplePixels, selectBusiestPixels } from './pixel-sample.js'

/** A repeat's geometry, as `detectRepeat` reports it. */
export interface RepeatGeometry {
  readonly type: RepeatType
  readonly tileWidth: number
  readonly tileHeight: number
}

/** How well a tile wraps at its edges. */
export interface SeamlessScore {
  /** 0..1; 1 means the seams are indistinguishable from the tile's interior. */
  readonly score: number
  /** `score >= SEAMLESS_THRESHOLD`. */
  readonly isSeamless: boolean
}

/** Scores at or above this count as seamless. */
export const SEAMLESS_THRESHOLD = 0.9

// Interior steps at or below their 95th percentile count as ordinary, so on a seamless tile 95 %
// of seam steps are ordinary; dividing by 0.95 maps that to a score of 1.
const INTERIOR_QUANTILE = 0.95
// A seam step no larger than 1.25× the steps just inside the tile on either side is ordinary
// too: on a smooth gradient the seam may fall where the image is steepest.
const LOCAL_FACTOR = 1.25
// Tile pixels that the laid-out tile reproduces within this many levels per channel count as
// consistent with the image.
const CONSISTENT_LEVELS = 12

function stepHistogramQuantile(hist: Uint32Array, total: number, q: number): number {
  if (total === 0) return 0
  const target = Math.ceil(q * total)
  let acc = 0
  for (let v = 0; v < hist.length; v++) {
    acc += hist[v] as number
    if (acc >= target) return v
  }
  return hist.length - 1
}

function step(d: Uint8Array, i: number, j: number): number {
  return (
    Math.abs((d[i] as number) - (d[j] as number)) +
    Math.abs((d[i + 1] as number) - (d[j + 1] as number)) +
    Math.abs((d[i + 2] as number) - (d[j + 2] as number))
  )
}

/**
 * Continuity of `tile`'s wrap seams under `type`, in 0..1. Seam pairs are the pixel pairs that
 * are neighbours in the laid-out repeat but not in the tile. A seam step is ordinary when it is
 * within the 95th percentile of the tile's interior steps in the same direction, or within
 * 1.25× the larger of the two steps just inside the tile on either side of that pair. The score
 * is the larger of (a) the share of ordinary seam pairs divided by 0.95, capped at 1, and (b) a
 * line rank: per direction, 1 while the seam line has no larger share of unusual steps than the
 * worst interior line in that direction, falling linearly to 0 as that share goes from the worst
 * interior line's to 1 (so a seam that merely coincides with a straight edge of the design is
 * not a seam); the lower of the two directions. Mirror seams join a pixel to itself: 1.
 */
function wrapContinuity(tile: RgbImage, type: LayoutType): number {
  if (type === 'mirror') return 1
  const { width: w, height: h, data: d } = tile
  const stepsX = new Uint16Array(Math.max(0, w - 1) * h)
  const stepsY = new Uint16Array(w * Math.max(0, h - 1))
  const histX = new Uint32Array(766)
  const histY = new Uint32Array(766)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3
      if (x + 1 < w) {
        const v = step(d, i, i + 3)
        stepsX[y * (w - 1) + x] = v
        histX[v] = (histX[v] as number) + 1
      }
      if (y + 1 < h) {
        const v = step(d, i, i + w * 3)
        stepsY[y * w + x] = v
        histY[v] = (histY[v] as number) + 1
      }
    }
  }
  const limitX = stepHistogramQuantile(histX, stepsX.length, INTERIOR_QUANTILE)
  const limitY = stepHistogramQuantile(histY, stepsY.length, INTERIOR_QUANTILE)
  // Worst interior line per direction: the largest share of steps above the limit.
  let worstX = 0
  for (let x = 0; x + 1 < w; x++) {
    let bad = 0
    for (let y = 0; y < h; y++) if ((stepsX[y * (w - 1) + x] as number) > limitX) bad++
    worstX = Math.max(worstX, bad / h)
  }
  let worstY = 0
  const badY = new Uint32Array(Math.max(0, h - 1))
  for (let i = 0; i < stepsY.length; i++) {
    if ((stepsY[i] as number) > limitY) {
      const row = (i - (i % w)) / w
      badY[row] = (badY[row] as number) + 1
    }
  }
  for (const b of badY) worstY = Math.max(worstY, b / w)

  const dropShift = type === 'half-drop' ? Math.floor(h / 2) : 0
  const brickShift = type === 'half-brick' ? Math.floor(w / 2) : 0
  let okX = 0
  for (let y = 0; y < h; y++) {
    // Right edge of one tile meets the left edge of the next.
    const yr = (((y - dropShift) % h) + h) % h
    const i = (y * w + w - 1) * 3
    const j = yr * w * 3
    const local = w > 1 ? Math.max(step(d, i - 3, i), step(d, j, j + 3)) : 0
    if (step(d, i, j) <= Math.max(limitX, LOCAL_FACTOR * local)) okX++
  }
  let okY = 0
  for (let x = 0; x < w; x++) {
    // Bottom edge of one tile meets the top edge of the one below.
    const xb = (((x - brickShift) % w) + w) % w
    const i = ((h - 1) * w + x) * 3
    const j = xb * 3
    const local = h > 1 ? Math.max(step(d, i - w * 3, i), step(d, j, j + w * 3)) : 0
    if (step(d, i, j) <= Math.max(limitY, LOCAL_FACTOR * local)) okY++
  }
  const share = Math.min(1, (okX + okY) / (w + h) / INTERIOR_QUANTILE)
  const rank = (seamBad: number, worst: number, hasInterior: boolean) =>
    !hasInterior || seamBad <= worst ? 1 : 1 - (seamBad - worst) / (1 - worst)
  const lineRank = Math.min(rank(1 - okX / h, worstX, w > 1), rank(1 - okY / w, worstY, h > 1))
  return Math.max(share, lineRank)
}

function toLayout(type: RepeatType): LayoutType | null {
  switch (type) {
    case 'block':
    case 'half-drop':
    case 'half-brick':
    case 'mirror':
      return type
    case 'none':
      return null
  }
}

/**
 * Scores how well a tile wraps at its edges, 0..1, and whether it counts as seamless
 * (`score >= 0.9`).
 *
 * Without a repeat (or with `'none'`) the whole image is the tile, laid out as a block: the
 * seam pairs are (last column, first column) of every row and (last row, first row) of every
 * column. A seam pair's colour step (sum of |ΔR|+|ΔG|+|ΔB|) is ordinary when it is within the
 * 95th percentile of the interior steps in the same direction, or within 1.25× the larger of
 * the steps just inside the tile on either side of that pair (a seam on a steep but smooth
 * gradient is not a seam). The score is the larger of (a) the share of ordinary seam pairs
 * divided by 0.95, capped at 1, and (b) a line rank — 1 while each seam line has no larger share
 * of unusual steps than the worst interior line in its direction, falling linearly to 0 as that
 * share approaches 1 — so a seam that merely coincides with a straight edge of the design still
 * passes. A tile cut from a periodic image at exactly one period scores about 1; a cut at an
 * arbitrary point of a photograph scores low; a flat colour scores 1.
 *
 * With a repeat, the tile is read from the image at its origin — the top-left corner for block,
 * half-drop and half-brick (repeat files start at a tile corner), the best mirror lines for
 * mirror — averaging every image pixel that the layout maps to each tile pixel. The score is the
 * lower of (a) that wrap rule applied to the layout's own seams (for a half-drop the right
 * edge meets the left edge shifted by `floor(h/2)`, for a half-brick the bottom edge meets the
 * top edge shifted by `floor(w/2)`; mirror seams always join) and (b) the share of image pixels
 * on tile borders that the tile, laid out by the same rule as `buildRepeat`, reproduces within
 * 12 levels per channel — so a repeat that does not fit the image cannot score well.
 *
 * Throws RangeError when the tile size is not a positive integer or exceeds the image.
 */
export function scoreSeamless(img: RgbImage, repeat?: RepeatGeometry): SeamlessScore {
  const layout = repeat === undefined ? null : toLayout(repeat.type)
  if (repeat === undefined || layout === null) {
    const score = wrapContinuity(img, 'block')
    return { score, isSeamless: score >= SEAMLESS_THRESHOLD }
  }
  const w = repeat.tileWidth
  const h = repeat.tileHeight
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) {
    throw new RangeError(`invalid tile size ${w}x${h}`)
  }
  if (w > img.width || h > img.height) {
    throw new RangeError(`tile ${w}x${h} is larger than the image ${img.width}x${img.height}`)
  }
  let ox = 0
  let oy = 0
  if (layout === 'mirror') {
    const fine = samplePixels(img.width, img.height, 10_000, 12)
    const coarse = samplePixels(img.width, img.height, 1_500, 11)
    const scan = joinSamples(coarse, selectBusiestPixels(img, coarse, 0.5))
    ox = findMirrorAxis(img, scan, fine, 'x', w)?.position ?? 0
    oy = findMirrorAxis(img, scan, fine, 'y', h)?.position ?? 0
  }
  const tile = extractTile(img, layout, w, h, ox, oy)
  const continuity = wrapContinuity(tile, layout)
  const consistency = borderConsistency(img, tile, layout, ox, oy)
  const score = Math.min(continuity, consistency)
  return { score, isSeamless: score >= SEAMLESS_THRESHOLD }
}

// The tile as the mean of all image pixels that the layout maps onto each tile pixel.
function extractTile(
  img: RgbImage,
  layout: LayoutType,
  w: number,
  h: number,
  ox: number,
  oy: number,
): RgbImage {
  const sum = new Float64Array(w * h * 3)
  const count = new Uint32Array(w * h)
  const tc: [number, number] = [0, 0]
  const d = img.data
  for (let y = 0, i = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++, i += 3) {
      tileCoordinate(layout, w, h, x - ox, y - oy, tc)
      const t = tc[1] * w + tc[0]
      sum[t * 3] = (sum[t * 3] as number) + (d[i] as number)
      sum[t * 3 + 1] = (sum[t * 3 + 1] as number) + (d[i + 1] as number)
      sum[t * 3 + 2] = (sum[t * 3 + 2] as number) + (d[i + 2] as number)
      count[t] = (count[t] as number) + 1
    }
  }
  const tile = createRgbImage(w, h)
  for (let t = 0; t < w * h; t++) {
    const n = Math.max(1, count[t] as number)
    tile.data[t * 3] = Math.round((sum[t * 3] as number) / n)
    tile.data[t * 3 + 1] = Math.round((sum[t * 3 + 1] as number) / n)
    tile.data[t * 3 + 2] = Math.round((sum[t * 3 + 2] as number) / n)
  }
  return tile
}

function borderConsistency(
  img: RgbImage,
  tile: RgbImage,
  layout: LayoutType,
  ox: number,
  oy: number,
): number {
  const { width: w, height: h, data: td } = tile
  const d = img.data
  const tc: [number, number] = [0, 0]
  let ok = 0
  let total = 0
  for (let y = 0, i = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++, i += 3) {
      tileCoordinate(layout, w, h, x - ox, y - oy, tc)
      const [tx, ty] = tc
      if (tx !== 0 && tx !== w - 1 && ty !== 0 && ty !== h - 1) continue
      const j = (ty * w + tx) * 3
      total++
      if (
        Math.abs((d[i] as number) - (td[j] as number)) <= CONSISTENT_LEVELS &&
        Math.abs((d[i + 1] as number) - (td[j + 1] as number)) <= CONSISTENT_LEVELS &&
        Math.abs((d[i + 2] as number) - (td[j + 2] as number)) <= CONSISTENT_LEVELS
      ) {
        ok++
      }
    }
  }
  return total === 0 ? 1 : ok / total
}
