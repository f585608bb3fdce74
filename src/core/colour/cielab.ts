import type { Vec3 } from './mat3.js'
import { clampRgb8, linearToSrgb, type Rgb, SRGB8_TO_LINEAR, srgbToLinear } from './srgb.js'
import {
  D65_WHITE,
  LINEAR_SRGB_TO_XYZ_MATRIX,
  linearSrgbToXyz,
  type Xyz,
  xyzToLinearSrgb,
} from './xyz.js'

/** CIELAB (CIE 1976 L*a*b*) relative to the D65 white: `L` in `0..100`, `a` and `b` unbounded. */
export type Lab = readonly [number, number, number]

// CIE 15:2004 §8.2.1, with the exact rational constants rather than the rounded 0.008856 / 903.3,
// so that the two branches of f meet continuously and the round trip is exact.
const EPSILON = 216 / 24389
const KAPPA = 24389 / 27

function f(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116
}

function fInverse(t: number): number {
  const t3 = t * t * t
  return t3 > EPSILON ? t3 : (116 * t - 16) / KAPPA
}

/** XYZ (D65, `Y` of white = 1) to CIELAB. */
export function xyzToLab(xyz: Xyz): Lab {
  const fx = f(xyz[0] / D65_WHITE[0])
  const fy = f(xyz[1] / D65_WHITE[1])
  const fz = f(xyz[2] / D65_WHITE[2])
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)]
}

/** CIELAB to XYZ (D65, `Y` of white = 1); the exact inverse of {@link xyzToLab}. */
export function labToXyz(lab: Lab): Xyz {
  const fy = (lab[0] + 16) / 116
  const fx = fy + lab[1] / 500
  const fz = fy - lab[2] / 200
  // The L branch uses L directly (not fy³) below κε = 8, as CIE 15 specifies.
  const y = lab[0] > KAPPA * EPSILON ? fy * fy * fy : lab[0] / KAPPA
  return [fInverse(fx) * D65_WHITE[0], y * D65_WHITE[1], fInverse(fz) * D65_WHITE[2]]
}

/** An sRGB colour (`0..255` per channel) to CIELAB (D65). */
export function srgbToLab(rgb: Rgb): Lab {
  const lin: Vec3 = [
    srgbToLinear(rgb[0] / 255),
    srgbToLinear(rgb[1] / 255),
    srgbToLinear(rgb[2] / 255),
  ]
  return xyzToLab(linearSrgbToXyz(lin))
}

/**
 * CIELAB (D65) to sRGB on the `0..255` scale, unclamped and unrounded: channels fall outside
 * `0..255` for colours outside the sRGB gamut. Use {@link labToSrgb8} for displayable values.
 */
export function labToSrgb(lab: Lab): Rgb {
  const lin = xyzToLinearSrgb(labToXyz(lab))
  return [255 * linearToSrgb(lin[0]), 255 * linearToSrgb(lin[1]), 255 * linearToSrgb(lin[2])]
}

/** CIELAB (D65) to 8-bit sRGB, clipped per channel to the gamut and rounded. */
export function labToSrgb8(lab: Lab): [number, number, number] {
  return clampRgb8(labToSrgb(lab))
}

const M = LINEAR_SRGB_TO_XYZ_MATRIX
const XN = D65_WHITE[0]
const YN = D65_WHITE[1]
const ZN = D65_WHITE[2]

function linearOf(c: number): number {
  const i = Math.floor(c)
  const t = c - i
  if (t === 0 && i >= 0 && i <= 255) return SRGB8_TO_LINEAR[i] as number
  if (i < 0 || i >= 255) return srgbToLinear(c / 255)
  const lo = SRGB8_TO_LINEAR[i] as number
  return lo + t * ((SRGB8_TO_LINEAR[i + 1] as number) - lo)
}

/**
 * Writes the CIELAB of the sRGB colour `(r, g, b)` (`0..255`) into `out[at..at+2]` without
 * allocating, for per-pixel loops. Integer channels give exactly {@link srgbToLab}'s result;
 * fractional ones interpolate the transfer curve between 8-bit codes (error below 0.01 ΔE76,
 * worst near black where the cube root magnifies it; 0.005 seen in 200,000 random colours).
 */
export function srgbToLabInto(
  r: number,
  g: number,
  b: number,
  out: Float64Array,
  at: number,
): void {
  const lr = linearOf(r)
  const lg = linearOf(g)
  const lb = linearOf(b)
  const fx = f((M[0] * lr + M[1] * lg + M[2] * lb) / XN)
  const fy = f((M[3] * lr + M[4] * lg + M[5] * lb) / YN)
  const fz = f((M[6] * lr + M[7] * lg + M[8] * lb) / ZN)
  out[at] = 116 * fy - 16
  out[at + 1] = 500 * (fx - fy)
  out[at + 2] = 200 * (fy - fz)
}
