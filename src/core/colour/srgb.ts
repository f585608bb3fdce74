/**
 * An sRGB colour with channels on the 8-bit scale `0..255`. Values may be fractional, and
 * functions that return one may go outside `0..255` for colours outside the sRGB gamut.
 */
export type Rgb = readonly [number, number, number]

/**
 * The sRGB transfer function (IEC 61966-2-1): an encoded channel in `0..1` to linear light in
 * `0..1`. Defined for any real input by odd symmetry.
 */
export function srgbToLinear(c: number): number {
  const x = Math.abs(c)
  const y = x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4
  return c < 0 ? -y : y
}

/** The inverse of {@link srgbToLinear}: linear light in `0..1` to an encoded channel in `0..1`. */
export function linearToSrgb(c: number): number {
  const x = Math.abs(c)
  const y = x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055
  return c < 0 ? -y : y
}

/** Linear light of each 8-bit code value, so hot loops skip the power function. */
export const SRGB8_TO_LINEAR: Float64Array = (() => {
  const t = new Float64Array(256)
  for (let i = 0; i < 256; i++) t[i] = srgbToLinear(i / 255)
  return t
})()

/** Rounds each channel to an integer and clamps it to `0..255`. */
export function clampRgb8(rgb: Rgb): [number, number, number] {
  return [clamp8(rgb[0]), clamp8(rgb[1]), clamp8(rgb[2])]
}

/** Rounds to an integer in `0..255`; NaN becomes 0. */
export function clamp8(x: number): number {
  if (!(x > 0)) return 0
  if (x >= 255) return 255
  return Math.round(x)
}
