import { AppError } from '../shared/index.js'

export type ImageErrorCode = 'IMAGE_UNREADABLE' | 'IMAGE_UNSUPPORTED_TYPE' | 'IMAGE_TOO_LARGE'

/** A file that cannot be accepted as an image. */
export class ImageError extends AppError<ImageErrorCode> {}

/** Largest accepted image, in pixels (100 megapixels). */
export const MAX_IMAGE_PIXELS = 100_000_000
