import { AppError } from '../shared/index.js'

export type XmpErrorCode = 'XMP_IMAGE_INVALID' | 'XMP_TOO_LARGE'

/**
 * XMP could not be written: the container is not a well-formed PNG or JPEG
 * (`XMP_IMAGE_INVALID`), or the standard packet cannot fit a JPEG APP1 segment
 * (`XMP_TOO_LARGE`).
 */
export class XmpError extends AppError<XmpErrorCode> {}
