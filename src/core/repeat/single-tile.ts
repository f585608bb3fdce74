import type { RgbImage } from '../image/index.js'
import type { PixelComparison, PixelSample } from './pixel-sample.js'
import { compareShift } from './pixel-sample.js'
import { scoreSeamless } from './seamless.js'

// The wrap seams must carry content, not a plain margin.
const BORDER_SPREAD_RATIO = 0.25

/**
 * The single-tile rule: an image with no period inside it is one seamless repeat tile when
 * (a) it has structure — neighbouring pixels are clearly more alike than unrelated ones, in mean
 * difference or in content-level differences, so it is neither flat nor pure noise — (b)
 * `scoreSeamless(img).isSeamless`, and (c) the colour spread of a border band (4 % of each side)
 * is at least a quarter of the whole image's, so content crosses the seams rather than a motif
 * sitting on a plain margin (a placed design). Returns the seamless score when the rule holds,
 * else `null`. `unrelated` is `compareUnrelated(img, sample)`.
 */
export function singleTileScore(
  img: RgbImage,
  sample: PixelSample,
  unrelated: PixelComparison,
): number | null {
  const right = compareShift(img, sample, 1, 0)
  const down = compareShift(img, sample, 0, 1)
  const neighbourMad = Math.max(right.mad, down.mad)
  const neighbourMismatch = Math.max(right.mismatch, down.mismatch)
  // Structure: neighbours are clearly more alike than unrelated pixels, in mean difference or
  // in content-level (> 24 levels) differences. Flat colour and pure noise have none.
  const hasStructure =
    unrelated.mad - neighbourMad >= Math.max(1, 0.25 * unrelated.mad) ||
    (unrelated.mismatch >= 0.005 && neighbourMismatch < 0.7 * unrelated.mismatch)
  const seam = scoreSeamless(img)
  return hasStructure &&
    seam.isSeamless &&
    borderSpread(img) >= BORDER_SPREAD_RATIO * spread(img, () => true)
    ? seam.score
    : null
}

function borderSpread(img: RgbImage): number {
  const bw = Math.max(2, Math.round(img.width * 0.04))
  const bh = Math.max(2, Math.round(img.height * 0.04))
  return spread(img, (x, y) => x < bw || y < bh || x >= img.width - bw || y >= img.height - bh)
}

// Mean absolute deviation from the mean colour (per channel, averaged) of the selected pixels.
function spread(img: RgbImage, select: (x: number, y: number) => boolean): number {
  const step = Math.max(1, Math.floor(Math.sqrt((img.width * img.height) / 65_536)))
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let n = 0
  const d = img.data
  for (let y = 0; y < img.height; y += step) {
    for (let x = 0; x < img.width; x += step) {
      if (!select(x, y)) continue
      const i = (y * img.width + x) * 3
      s0 += d[i] as number
      s1 += d[i + 1] as number
      s2 += d[i + 2] as number
      n++
    }
  }
  if (n === 0) return 0
  const m0 = s0 / n
  const m1 = s1 / n
  const m2 = s2 / n
  let dev = 0
  for (let y = 0; y < img.height; y += step) {
    for (let x = 0; x < img.width; x += step) {
      if (!select(x, y)) continue
      const i = (y * img.width + x) * 3
      dev +=
        Math.abs((d[i] as number) - m0) +
        Math.abs((d[i + 1] as number) - m1) +
        Math.abs((d[i + 2] as number) - m2)
    }
  }
  return dev / (3 * n)
}
