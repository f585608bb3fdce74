export type { Lab } from './cielab.js'
export { labToSrgb, labToSrgb8, labToXyz, srgbToLab, xyzToLab } from './cielab.js'
export type { ColourErrorCode } from './colour-error.js'
export { ColourError } from './colour-error.js'
export { deltaE76, deltaE2000 } from './delta-e.js'
export type { ExtractedPalette, PaletteOptions } from './extract-palette.js'
export {
  DEFAULT_MAX_COLOURS,
  DEFAULT_PALETTE_SEED,
  extractPalette,
  INK_MERGE_DELTA_E,
  MINOR_INK_COVERAGE,
} from './extract-palette.js'
export { formatHex, hexToLab, labToHex, normaliseHex, parseHex } from './hex.js'
export type { OkLab } from './oklab.js'
export { oklabToSrgb, srgbToOklab } from './oklab.js'
export type { Prng } from './prng.js'
export { createPrng } from './prng.js'
export type { ColourMapping } from './recolour.js'
export { recolour } from './recolour.js'
export type { Rgb } from './srgb.js'
export { linearToSrgb, srgbToLinear } from './srgb.js'
export type { Xyz } from './xyz.js'
export { D65_WHITE, linearSrgbToXyz, xyzToLinearSrgb } from './xyz.js'
