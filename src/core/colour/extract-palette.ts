import type { PaletteColour } from '../archive/index.js'
import type { RgbImage } from '../image/index.js'
import { clusterByElbow } from './choose-clusters.js'
import { labToSrgb8, srgbToLab, srgbToLabInto } from './cielab.js'
import { ColourError } from './colour-error.js'
import { buildColourHistogram, type ColourHistogram, coarsenHistogram } from './colour-histogram.js'
import { deltaE2000 } from './delta-e.js'
import { formatHex, parseHex } from './hex.js'
import { isInkBlend, prepareInks } from './ink-blend.js'
import { interiorShares } from './interior-share.js'
import { assignNearest, type WeightedPoints } from './kmeans.js'
import { createPrng } from './prng.js'

/** Options for {@link extractPalette}; every field has a default. */
export interface PaletteOptions {
  /** Most colours to report, an integer in 1..256. Default {@link DEFAULT_MAX_COLOURS}. */
  readonly maxColours?: number
  /** Seed of the k-means++ initialisation. Default {@link DEFAULT_PALETTE_SEED}. */
  readonly seed?: number
}

/** The inks of a design, most coverage first, and how many there are. */
export interface ExtractedPalette {
  readonly palette: PaletteColour[]
  /** `palette.length`: the number of inks (screens) the design needs. */
  readonly colourCount: number
}

/** Default most inks {@link extractPalette} reports: a generous screen count. */
export const DEFAULT_MAX_COLOURS = 12
/** Default k-means++ seed, fixed so palettes are reproducible across runs and machines. */
export const DEFAULT_PALETTE_SEED = 0x5e1fed6e
/** Colours closer than this CIEDE2000 difference are one ink (about a just-noticeable ×2.5). */
export const INK_MERGE_DELTA_E = 2.5
/** Colours covering less than this share are candidates for antialiasing blends, not inks. */
export const MINOR_INK_COVERAGE = 0.005
/** A major colour that is a mix of other inks is a seam of blends below this interior share. */
export const SEAM_INTERIOR_SHARE = 0.2
// More colours than this are binned coarser before k-means.
const CLUSTER_POINT_LIMIT = 4096
// k-means centres of blend pixels are averages of many mixes, so they sit less tightly on a mix.
const CENTRE_BLEND_TOLERANCE = 6

/**
 * How each cluster reports its colour: `mode`, the commonest exact colour among its pixels (flat
 * inks keep their exact hex); `mean`, the pixel-weighted mean in CIELAB (textured designs).
 */
type Representative = 'mode' | 'mean'

/**
 * Extracts the ink palette of a design. Instead of clustering a subsample, one pass counts every
 * pixel into a colour histogram: exact when the image has at most 4,096 distinct colours, else in
 * 32×32×32 sRGB bins (16×16×16 when more than 4,096 of those are filled), each represented by the
 * mean of its pixels. Clustering then works on histogram entries weighted by pixel count, which is
 * both faster than a 64k-pixel sample and exact for flat designs: coverages are true pixel shares
 * (for binned images, whole bins go to the ink nearest their mean).
 *
 * - Flat designs, where the colours covering at least 0.5 % plus the smaller colours that are not
 *   mixes of two or three of those number at most `maxColours`: each such colour is an ink, and
 *   mixes (antialiased edges) count towards their nearest ink. Without antialiasing this is exact.
 * - Otherwise: weighted k-means in CIELAB, k grown from 1 by the elbow rule up to `maxColours`,
 *   seeded k-means++ so the result is deterministic.
 *
 * Clustering is in CIELAB rather than OKLab because the result is reported in CIELAB and inks are
 * merged by CIEDE2000, which is defined on CIELAB; Euclidean CIELAB (ΔE76) is a fine k-means
 * metric at the scale of ink differences. Then inks closer than ΔE2000 2.5 are merged, and the
 * palette is sorted by coverage (descending, ties by hex). Pure; never mutates `img`.
 *
 * Throws {@link ColourError} `COLOUR_INVALID_OPTIONS` for a bad `maxColours` or `seed`, and
 * RangeError when `img.data` does not match its size.
 */
export function extractPalette(img: RgbImage, opts: PaletteOptions = {}): ExtractedPalette {
  const maxColours = opts.maxColours ?? DEFAULT_MAX_COLOURS
  const seed = opts.seed ?? DEFAULT_PALETTE_SEED
  if (!Number.isInteger(maxColours) || maxColours < 1 || maxColours > 256) {
    throw new ColourError('COLOUR_INVALID_OPTIONS', `maxColours must be 1..256, got ${maxColours}`)
  }
  if (!Number.isInteger(seed)) {
    throw new ColourError('COLOUR_INVALID_OPTIONS', `seed must be an integer, got ${seed}`)
  }
  if (img.data.length !== img.width * img.height * 3) {
    throw new RangeError(
      `image data length ${img.data.length} does not match ${img.width}x${img.height}`,
    )
  }
  const fine = buildColourHistogram(img)
  if (fine.total === 0) return { palette: [], colourCount: 0 }
  // Thousands of colours are grouped into 16×16×16 sRGB bins so that k-means stays fast.
  const hist = fine.size > CLUSTER_POINT_LIMIT ? coarsenHistogram(fine, 4) : fine

  const points = toLabPoints(hist)

  const inks = hist.kind === 'exact' ? findFlatInks(img, hist, maxColours) : null
  let centres: Float64Array
  let representative: Representative
  if (inks !== null) {
    centres = new Float64Array(inks.length * 3)
    inks.forEach((p, c) => {
      centres.set(points.coords.subarray(3 * p, 3 * p + 3), 3 * c)
    })
    representative = 'mode'
  } else {
    const k = Math.min(maxColours, points.size)
    centres = clusterByElbow(points, k, createPrng(seed)).centres
    representative = 'mean'
  }

  centres = mergeCloseCentres(points, centres, representative)
  if (representative === 'mean') centres = dropBlendCentres(points, centres, hist.total)
  return summarise(points, hist, centres, representative)
}

function toLabPoints(hist: ColourHistogram): WeightedPoints {
  const coords = new Float64Array(hist.size * 3)
  for (let i = 0; i < hist.size; i++) {
    const [r, g, b] = rgbOf(hist, i)
    srgbToLabInto(r, g, b, coords, 3 * i)
  }
  return { size: hist.size, coords, weight: hist.count }
}

/**
 * The histogram entries that are inks of a flat design, heaviest first, or null when the design
 * is not flat (more than `maxColours` colours that are neither major nor blends of majors).
 */
function findFlatInks(img: RgbImage, hist: ColourHistogram, maxColours: number): number[] | null {
  const order = Array.from({ length: hist.size }, (_, i) => i)
  // Ties fall back to the order colours were first seen in, so the result is deterministic.
  order.sort((a, b) => (hist.count[b] as number) - (hist.count[a] as number) || a - b)
  const threshold = MINOR_INK_COVERAGE * hist.total
  let majors = order.filter((i) => (hist.count[i] as number) >= threshold)
  // Far more major colours than inks allowed: a textured or photographic image, not blends.
  if (majors.length > 2 * maxColours) return null
  // A long antialiased edge can leave one blend level above the coverage threshold; such a
  // colour is a mix of other majors and lies in seams, not areas.
  const suspects = majors.filter((i) => {
    const others = prepareInks(majors.filter((m) => m !== i).flatMap((m) => rgbOf(hist, m)))
    const [r, g, b] = rgbOf(hist, i)
    return others.size >= 2 && isInkBlend(r, g, b, others)
  })
  if (suspects.length > 0) {
    const shares = interiorShares(
      img,
      suspects.map((i) => packRgb(rgbOf(hist, i))),
    )
    const seams = new Set(suspects.filter((_, s) => (shares[s] as number) < SEAM_INTERIOR_SHARE))
    majors = majors.filter((i) => !seams.has(i))
  }
  if (majors.length > maxColours) return null
  const majorInks = prepareInks(majors.flatMap((i) => rgbOf(hist, i)))
  const isMajor = new Set(majors)
  const inks = [...majors]
  for (const i of order) {
    if (isMajor.has(i)) continue
    const [r, g, b] = rgbOf(hist, i)
    if (majors.length >= 2 && isInkBlend(r, g, b, majorInks)) continue
    inks.push(i)
    if (inks.length > maxColours) return null
  }
  return inks
}

function rgbOf(hist: ColourHistogram, i: number): [number, number, number] {
  return [hist.rgb[3 * i] as number, hist.rgb[3 * i + 1] as number, hist.rgb[3 * i + 2] as number]
}

function packRgb([r, g, b]: readonly [number, number, number]): number {
  return (r << 16) | (g << 8) | b
}

function centreWeights(points: WeightedPoints, centres: Float64Array): Float64Array {
  const k = centres.length / 3
  const assignment = new Int32Array(points.size)
  assignNearest(points, centres, k, assignment, new Float64Array(points.size))
  const weights = new Float64Array(k)
  for (let i = 0; i < points.size; i++) {
    const c = assignment[i] as number
    weights[c] = (weights[c] as number) + (points.weight[i] as number)
  }
  return weights
}

function labAt(centres: Float64Array, c: number): [number, number, number] {
  return [centres[3 * c] as number, centres[3 * c + 1] as number, centres[3 * c + 2] as number]
}

function withoutCentre(centres: Float64Array, c: number): Float64Array {
  const out = new Float64Array(centres.length - 3)
  out.set(centres.subarray(0, 3 * c))
  out.set(centres.subarray(3 * c + 3), 3 * c)
  return out
}

/** Merges the closest pair of centres while it is closer than {@link INK_MERGE_DELTA_E}. */
function mergeCloseCentres(
  points: WeightedPoints,
  start: Float64Array,
  representative: Representative,
): Float64Array {
  let centres = start
  for (;;) {
    const k = centres.length / 3
    let bestA = -1
    let bestB = -1
    let bestD = INK_MERGE_DELTA_E
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const d = deltaE2000(labAt(centres, a), labAt(centres, b))
        if (d < bestD) {
          bestD = d
          bestA = a
          bestB = b
        }
      }
    }
    if (bestA < 0) return centres
    const w = centreWeights(points, centres)
    const wa = w[bestA] as number
    const wb = w[bestB] as number
    const keep = wa >= wb ? bestA : bestB
    const drop = keep === bestA ? bestB : bestA
    if (representative === 'mean' && wa + wb > 0) {
      for (let d = 0; d < 3; d++) {
        const va = centres[3 * bestA + d] as number
        const vb = centres[3 * bestB + d] as number
        centres[3 * keep + d] = (va * wa + vb * wb) / (wa + wb)
      }
    }
    centres = withoutCentre(centres, drop)
  }
}

/** Drops minor centres that are mixes of major ones: clusters of antialiasing pixels. */
function dropBlendCentres(
  points: WeightedPoints,
  start: Float64Array,
  total: number,
): Float64Array {
  let centres = start
  for (;;) {
    const k = centres.length / 3
    const w = centreWeights(points, centres)
    const rgb = Array.from({ length: k }, (_, c) => labToSrgb8(labAt(centres, c)))
    const majors = rgb.filter((_, c) => (w[c] as number) >= MINOR_INK_COVERAGE * total)
    if (majors.length < 2 || majors.length === k) return centres
    const inks = prepareInks(majors.flat())
    let victim = -1
    for (let c = 0; c < k && victim < 0; c++) {
      const [r, g, b] = rgb[c] as [number, number, number]
      const isMinor = (w[c] as number) < MINOR_INK_COVERAGE * total
      if (isMinor && isInkBlend(r, g, b, inks, CENTRE_BLEND_TOLERANCE)) victim = c
    }
    if (victim < 0) return centres
    centres = withoutCentre(centres, victim)
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100 + 0
}

function summarise(
  points: WeightedPoints,
  hist: ColourHistogram,
  centres: Float64Array,
  representative: Representative,
): ExtractedPalette {
  const k = centres.length / 3
  const assignment = new Int32Array(points.size)
  assignNearest(points, centres, k, assignment, new Float64Array(points.size))
  const weight = new Float64Array(k)
  const sums = new Float64Array(3 * k)
  const mode = new Int32Array(k).fill(-1)
  for (let i = 0; i < points.size; i++) {
    const c = assignment[i] as number
    const w = points.weight[i] as number
    weight[c] = (weight[c] as number) + w
    for (let d = 0; d < 3; d++)
      sums[3 * c + d] = (sums[3 * c + d] as number) + w * (points.coords[3 * i + d] as number)
    const m = mode[c] as number
    if (m < 0 || w > (points.weight[m] as number)) mode[c] = i
  }
  const palette: PaletteColour[] = []
  for (let c = 0; c < k; c++) {
    const w = weight[c] as number
    if (w === 0) continue
    let hex: string
    if (representative === 'mode') {
      const m = mode[c] as number
      hex = formatHex([
        hist.rgb[3 * m] as number,
        hist.rgb[3 * m + 1] as number,
        hist.rgb[3 * m + 2] as number,
      ])
    } else {
      const mean: [number, number, number] = [
        (sums[3 * c] as number) / w,
        (sums[3 * c + 1] as number) / w,
        (sums[3 * c + 2] as number) / w,
      ]
      hex = formatHex(labToSrgb8(mean))
    }
    const lab = srgbToLab(parseHex(hex))
    palette.push({
      hex,
      lab: [round2(lab[0]), round2(lab[1]), round2(lab[2])],
      coverage: w / hist.total,
    })
  }
  palette.sort((a, b) => b.coverage - a.coverage || (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0))
  return { palette, colourCount: palette.length }
}
