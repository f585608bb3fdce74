import type { RgbImage } from '../image/index.js'
import type { PixelComparison, PixelSample } from './pixel-sample.js'
import { compareFlip } from './pixel-sample.js'

/** A mirror line between two pixel columns (`'x'`) or rows (`'y'`), and how well it holds. */
export interface MirrorAxis {
  /** The line lies between pixel `position − 1` and pixel `position`. */
  readonly position: number
  readonly comparison: PixelComparison
}

// Residues re-scored on the fine sample: symmetric grounds (stripes) tie many residues.
const RESCORED = 4

/**
 * Finds the best mirror line for an image that is periodic with period `2·spacing` along
 * `direction` and should be symmetric about lines `spacing` apart. Every residue of the line
 * position modulo `spacing` is scored on the small `scan` sample (best: the busiest pixels),
 * using the representative nearest the image centre (largest overlap); the four best are
 * re-scored on `fine`. Returns the best line with `position` in `[0, spacing)`, or `null` when
 * nothing could be compared.
 */
export function findMirrorAxis(
  img: RgbImage,
  scan: PixelSample,
  fine: PixelSample,
  direction: 'x' | 'y',
  spacing: number,
): MirrorAxis | null {
  const extent = direction === 'x' ? img.width : img.height
  const centre = extent / 2
  const scored: { residue: number; mad: number }[] = []
  for (let r = 0; r < spacing; r++) {
    const pos = r + Math.round((centre - r) / spacing) * spacing
    const c = compareFlip(img, scan, direction, 2 * pos - 1)
    if (c.count > 0) scored.push({ residue: r, mad: c.mad })
  }
  scored.sort((p, q) => p.mad - q.mad)
  let best: MirrorAxis | null = null
  for (const { residue } of scored.slice(0, RESCORED)) {
    const pos = residue + Math.round((centre - residue) / spacing) * spacing
    const c = compareFlip(img, fine, direction, 2 * pos - 1)
    if (c.count > 0 && (best === null || c.mad < best.comparison.mad)) {
      best = { position: residue, comparison: c }
    }
  }
  return best
}
