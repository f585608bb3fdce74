import type { RgbImage } from '../image/index.js'
import type { ColumnLattice, Vec2 } from './lattice.js'
import type { PixelSample } from './pixel-sample.js'
import { MISMATCH_LEVELS } from './pixel-sample.js'

/** Pixels that break a near-repeat, and what share of the image they are. */
export interface Violations {
  /** The generator the pixels break: each p in `sample` differs from p + `generator`. */
  readonly generator: Vec2
  readonly sample: PixelSample
  /** Violating pixels over compared pixels, over the whole image (before any thinning). */
  readonly fraction: number
}

/**
 * Scans the whole image for pixels p that `generator` does not map onto a like pixel (some
 * channel of p + generator differs by more than `tolerance`, default `MISMATCH_LEVELS`). A near-repeat (stripes with
 * a motif laid over them) leaves its exceptions here, however rare; an exact repeat leaves
 * none. At most `maxCount` positions are kept, evenly thinned.
 */
export function findViolations(
  img: RgbImage,
  generator: Vec2,
  maxCount: number,
  tolerance: number = MISMATCH_LEVELS,
): Violations {
  const { width: w, height: h, data: d } = img
  const gx = generator.x
  const gy = generator.y
  const x0 = Math.max(0, -gx)
  const x1 = Math.min(w, w - gx)
  const y0 = Math.max(0, -gy)
  const y1 = Math.min(h, h - gy)
  const off = (gy * w + gx) * 3
  const xs: number[] = []
  const ys: number[] = []
  const t = tolerance
  for (let y = y0; y < y1; y++) {
    const rowEnd = (y * w + x1) * 3
    for (let i = (y * w + x0) * 3; i < rowEnd; i += 3) {
      const j = i + off
      const a = (d[i] as number) - (d[j] as number)
      const b = (d[i + 1] as number) - (d[j + 1] as number)
      const c = (d[i + 2] as number) - (d[j + 2] as number)
      if (a > t || a < -t || b > t || b < -t || c > t || c < -t) {
        const p = i / 3
        xs.push(p % w)
        ys.push((p - (p % w)) / w)
      }
    }
  }
  const compared = Math.max(0, x1 - x0) * Math.max(0, y1 - y0)
  const fraction = compared === 0 ? 0 : xs.length / compared
  const step = Math.max(1, Math.ceil(xs.length / maxCount))
  const keepX: number[] = []
  const keepY: number[] = []
  for (let k = 0; k < xs.length; k += step) {
    keepX.push(xs[k] as number)
    keepY.push(ys[k] as number)
  }
  return {
    generator,
    sample: { xs: Int32Array.from(keepX), ys: Int32Array.from(keepY) },
    fraction,
  }
}

/**
 * Points of `lattice` in the half-window `|x| <= maxX`, `0 <= y <= maxY` (`y > 0` or `x > 0`),
 * shortest first, at most `limit` of them.
 */
export function latticePoints(
  lattice: ColumnLattice,
  maxX: number,
  maxY: number,
  limit: number,
): Vec2[] {
  const out: Vec2[] = []
  const kMax = Math.floor(maxX / lattice.stepX)
  for (let k = -kMax; k <= kMax; k++) {
    const x = k * lattice.stepX
    const base = k * lattice.shiftY
    let y = base - Math.floor(base / lattice.periodY) * lattice.periodY
    for (; y <= maxY; y += lattice.periodY) {
      if (y === 0 && x <= 0) continue
      out.push({ x, y })
    }
  }
  out.sort((p, q) => p.x * p.x + p.y * p.y - (q.x * q.x + q.y * q.y))
  return out.slice(0, limit)
}

/**
 * Share of the violations of generator `g` (pixel pairs p, p + g that differ) that shift `v`
 * does not carry onto a like pair (p + v like p, and p + g + v like p + g), among those it maps
 * inside the image; `1` when fewer than a third stay inside. Stops early once the share is
 * certain to exceed `giveUp`. A true period of the whole design carries the near-repeat's
 * exceptions onto copies of themselves and scores near 0; the near-repeat's own vectors, and
 * vectors a pixel or two off a true period, score high.
 */
export function violationRate(
  img: RgbImage,
  violations: PixelSample,
  g: Vec2,
  v: Vec2,
  giveUp: number,
  tolerance: number = MISMATCH_LEVELS,
): number {
  const { width: w, height: h, data: d } = img
  const { xs, ys } = violations
  const n = xs.length
  const offV = (v.y * w + v.x) * 3
  const offG = (g.y * w + g.x) * 3
  const differs = (i: number, j: number) =>
    Math.abs((d[i] as number) - (d[j] as number)) > tolerance ||
    Math.abs((d[i + 1] as number) - (d[j + 1] as number)) > tolerance ||
    Math.abs((d[i + 2] as number) - (d[j + 2] as number)) > tolerance
  let bad = 0
  let inside = 0
  const limit = giveUp * n
  for (let k = 0; k < n; k++) {
    const x = xs[k] as number
    const y = ys[k] as number
    const u = x + v.x + Math.max(0, g.x)
    const t = y + v.y + Math.max(0, g.y)
    const u0 = x + v.x + Math.min(0, g.x)
    const t0 = y + v.y + Math.min(0, g.y)
    if (u0 < 0 || t0 < 0 || u >= w || t >= h) continue
    inside++
    const i = (y * w + x) * 3
    if (differs(i, i + offV) || differs(i + offG, i + offG + offV)) {
      bad++
      if (bad > limit) return 1
    }
  }
  return inside < n / 3 ? 1 : bad / inside
}

/**
 * Share of pixels, over the whole image, that differ (some channel by more than
 * `tolerance`) from their mirror image about the line `axis2 / 2` (between pixels
 * `(axis2 − 1) / 2` and `(axis2 + 1) / 2`) along `direction`, among those whose mirror image lies
 * inside. A near-symmetry (a symmetric ground with an asymmetric motif) shows here.
 */
export function flipViolationFraction(
  img: RgbImage,
  direction: 'x' | 'y',
  axis2: number,
  tolerance: number = MISMATCH_LEVELS,
): number {
  const { width: w, height: h, data: d } = img
  const t = tolerance
  let bad = 0
  let compared = 0
  for (let y = 0; y < h; y++) {
    const yy = direction === 'y' ? axis2 - y : y
    if (yy < 0 || yy >= h) continue
    for (let x = 0; x < w; x++) {
      const xx = direction === 'x' ? axis2 - x : x
      if (xx < 0 || xx >= w) continue
      const i = (y * w + x) * 3
      const j = (yy * w + xx) * 3
      const a = (d[i] as number) - (d[j] as number)
      const b = (d[i + 1] as number) - (d[j + 1] as number)
      const c = (d[i + 2] as number) - (d[j + 2] as number)
      if (a > t || a < -t || b > t || b < -t || c > t || c < -t) bad++
      compared++
    }
  }
  return compared === 0 ? 1 : bad / compared
}
