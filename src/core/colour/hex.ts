import { type Lab, labToSrgb8, srgbToLab } from './cielab.js'
import { ColourError } from './colour-error.js'
import { clampRgb8, type Rgb } from './srgb.js'

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i

/**
 * Parses `#rgb` or `#rrggbb` (the `#` optional, any letter case) to 8-bit sRGB.
 * Throws {@link ColourError} `COLOUR_INVALID_HEX` for anything else.
 */
export function parseHex(hex: string): [number, number, number] {
  const m = HEX.exec(hex)
  const digits = m?.[1]
  if (digits === undefined) {
    throw new ColourError('COLOUR_INVALID_HEX', `not a hex colour: ${JSON.stringify(hex)}`)
  }
  if (digits.length === 3) {
    const v = Number.parseInt(digits, 16)
    return [((v >> 8) & 0xf) * 17, ((v >> 4) & 0xf) * 17, (v & 0xf) * 17]
  }
  const v = Number.parseInt(digits, 16)
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]
}

/** Formats sRGB as `#rrggbb` in lower case, rounding and clamping each channel to `0..255`. */
export function formatHex(rgb: Rgb): string {
  const [r, g, b] = clampRgb8(rgb)
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`
}

/** Canonical form of a hex colour: `#rrggbb`, lower case. Throws like {@link parseHex}. */
export function normaliseHex(hex: string): string {
  return formatHex(parseHex(hex))
}

/** The CIELAB (D65) of a hex colour. Throws like {@link parseHex}. */
export function hexToLab(hex: string): Lab {
  return srgbToLab(parseHex(hex))
}

/** The nearest 8-bit sRGB hex (`#rrggbb`, clipped to the gamut) of a CIELAB colour. */
export function labToHex(lab: Lab): string {
  return formatHex(labToSrgb8(lab))
}
