import { srgbToLinear } from './srgb.js'

/**
 * Tolerance, in 8-bit sRGB units, for a colour to count as a mix of inks: rounding to 8 bits
 * moves a blend at most √3/2 off the ideal mix, and resamplers add a little more.
 */
export const BLEND_TOLERANCE = 4

/** Colours prepared for {@link isInkBlend}: each in encoded sRGB and in linear light, ×255. */
export interface InkSet {
  readonly size: number
  readonly encoded: Float64Array
  readonly linear: Float64Array
}

/** Prepares interleaved 8-bit sRGB colours (`3 * n` values) for {@link isInkBlend}. */
export function prepareInks(rgb: ArrayLike<number>): InkSet {
  const size = Math.floor(rgb.length / 3)
  const encoded = Float64Array.from(rgb)
  const linear = encoded.map((c) => 255 * srgbToLinear(c / 255))
  return { size, encoded, linear }
}

/**
 * Whether the sRGB colour `(r, g, b)` lies, within `tolerance`, on a mix of two or three of the
 * inks: the edge pixels an antialiased renderer leaves between flat areas. Mixes are tested in
 * encoded sRGB (how most renderers blend) and in linear light (how the careful ones do).
 */
export function isInkBlend(
  r: number,
  g: number,
  b: number,
  inks: InkSet,
  tolerance: number = BLEND_TOLERANCE,
): boolean {
  const lin = [
    255 * srgbToLinear(r / 255),
    255 * srgbToLinear(g / 255),
    255 * srgbToLinear(b / 255),
  ] as const
  return (
    isMix([r, g, b], inks.encoded, inks.size, tolerance) ||
    isMix(lin, inks.linear, inks.size, tolerance)
  )
}

function isMix(c: readonly number[], inks: Float64Array, n: number, tol: number): boolean {
  const tol2 = tol * tol
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (onSegment(c, inks, i, j, tol2)) return true
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      for (let k = j + 1; k < n; k++) {
        if (inTriangle(c, inks, i, j, k, tol2)) return true
      }
    }
  }
  return false
}

function onSegment(c: readonly number[], inks: Float64Array, i: number, j: number, tol2: number) {
  let uu = 0
  let uc = 0
  for (let d = 0; d < 3; d++) {
    const p = inks[3 * i + d] as number
    const u = (inks[3 * j + d] as number) - p
    uu += u * u
    uc += u * ((c[d] as number) - p)
  }
  if (uu === 0) return false
  const t = Math.min(1, Math.max(0, uc / uu))
  let e = 0
  for (let d = 0; d < 3; d++) {
    const p = inks[3 * i + d] as number
    const diff = (c[d] as number) - (p + t * ((inks[3 * j + d] as number) - p))
    e += diff * diff
  }
  return e <= tol2
}

function inTriangle(
  c: readonly number[],
  inks: Float64Array,
  i: number,
  j: number,
  k: number,
  tol2: number,
): boolean {
  // Least squares for c ≈ p + s·u + t·v, then require s, t ≥ 0 and s + t ≤ 1.
  let uu = 0
  let uv = 0
  let vv = 0
  let uc = 0
  let vc = 0
  for (let d = 0; d < 3; d++) {
    const p = inks[3 * i + d] as number
    const u = (inks[3 * j + d] as number) - p
    const v = (inks[3 * k + d] as number) - p
    const w = (c[d] as number) - p
    uu += u * u
    uv += u * v
    vv += v * v
    uc += u * w
    vc += v * w
  }
  const det = uu * vv - uv * uv
  if (!(det > 1e-9)) return false
  const s = (uc * vv - vc * uv) / det
  const t = (vc * uu - uc * uv) / det
  if (s < 0 || t < 0 || s + t > 1) return false
  let e = 0
  for (let d = 0; d < 3; d++) {
    const p = inks[3 * i + d] as number
    const fit = p + s * ((inks[3 * j + d] as number) - p) + t * ((inks[3 * k + d] as number) - p)
    const diff = (c[d] as number) - fit
    e += diff * diff
  }
  return e <= tol2
}
