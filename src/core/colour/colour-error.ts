import { AppError } from '../shared/index.js'

/** Codes of {@link ColourError}; listed in docs/errors.md. */
export type ColourErrorCode =
  | 'COLOUR_INVALID_HEX'
  | 'COLOUR_INVALID_MAPPING'
  | 'COLOUR_INVALID_OPTIONS'

/** A colour value, colourway mapping or palette option that cannot be used. */
export class ColourError extends AppError<ColourErrorCode> {}
