import type { RgbImage } from '../image/index.js'
import { createRgbImage } from '../image/index.js'

/** A repeat layout that `buildRepeat` can lay out (every `RepeatType` except `'none'`). */
export type LayoutType = 'block' | 'half-drop' | 'half-brick' | 'mirror'

/** Where the top-left corner of one tile lands in the output, in pixels (may be negative). */
export interface RepeatOrigin {
  readonly x: number
  readonly y: number
}

function mod(a: number, n: number): number {
  const r = a % n
  return r < 0 ? r + n : r
}

/**
 * Maps a pattern-plane pixel to the tile pixel the layout places there, writing `[tx, ty]` into
 * `out`. The layout rules, for a `w`×`h` tile with one tile's top-left corner at pattern (0, 0):
 * - `block`: `(px mod w, py mod h)`.
 * - `half-drop`: tile column `c = floor(px / w)` is shifted down by `c * floor(h / 2)`, so
 *   `(px mod w, (py - c * floor(h / 2)) mod h)`.
 * - `half-brick`: tile row `r = floor(py / h)` is shifted right by `r * floor(w / 2)`, so
 *   `((px - r * floor(w / 2)) mod w, py mod h)`.
 * - `mirror`: odd tile columns are flipped left-right and odd tile rows top-bottom, so the
 *   period is `2w`×`2h`.
 */
export function tileCoordinate(
  type: LayoutType,
  tileWidth: number,
  tileHeight: number,
  px: number,
  py: number,
  out: [number, number] = [0, 0],
): [number, number] {
  const w = tileWidth
  const h = tileHeight
  switch (type) {
    case 'block':
      out[0] = mod(px, w)
      out[1] = mod(py, h)
      return out
    case 'half-drop': {
      const c = Math.floor(px / w)
      out[0] = px - c * w
      out[1] = mod(py - c * Math.floor(h / 2), h)
      return out
    }
    case 'half-brick': {
      const r = Math.floor(py / h)
      out[0] = mod(px - r * Math.floor(w / 2), w)
      out[1] = py - r * h
      return out
    }
    case 'mirror': {
      const c = Math.floor(px / w)
      const r = Math.floor(py / h)
      const tx = px - c * w
      const ty = py - r * h
      out[0] = (c & 1) === 0 ? tx : w - 1 - tx
      out[1] = (r & 1) === 0 ? ty : h - 1 - ty
      return out
    }
  }
}

/**
 * Lays `tile` out as a repeat of the given type over a `width`×`height` canvas. `origin` is where
 * one tile's top-left corner lands (default `(0, 0)`); see {@link tileCoordinate} for the exact
 * per-layout rule. Pure; never mutates `tile`. Throws RangeError for a non-positive or
 * non-integer size, a non-integer origin, or a tile whose data length does not match its size.
 */
export function buildRepeat(
  tile: RgbImage,
  type: LayoutType,
  width: number,
  height: number,
  origin?: RepeatOrigin,
): RgbImage {
  const w = tile.width
  const h = tile.height
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) {
    throw new RangeError(`invalid tile size ${w}x${h}`)
  }
  if (tile.data.length !== w * h * 3) {
    throw new RangeError(`tile data length ${tile.data.length} does not match ${w}x${h}`)
  }
  const ox = origin?.x ?? 0
  const oy = origin?.y ?? 0
  if (!Number.isInteger(ox) || !Number.isInteger(oy)) {
    throw new RangeError(`invalid origin ${ox},${oy}`)
  }
  const out = createRgbImage(width, height)
  const src = tile.data
  const dst = out.data
  const tc: [number, number] = [0, 0]
  let j = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      tileCoordinate(type, w, h, x - ox, y - oy, tc)
      const i = (tc[1] * w + tc[0]) * 3
      dst[j] = src[i] as number
      dst[j + 1] = src[i + 1] as number
      dst[j + 2] = src[i + 2] as number
      j += 3
    }
  }
  return out
}
