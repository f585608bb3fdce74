export type { ImageErrorCode } from './image-error.js'
export { ImageError, MAX_IMAGE_PIXELS } from './image-error.js'
export type { RgbImage } from './rgb-image.js'
export { createRgbImage, toLuma } from './rgb-image.js'
