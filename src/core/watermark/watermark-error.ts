import { AppError } from '../shared/index.js'

export type WatermarkErrorCode =
  | 'WATERMARK_IMAGE_TOO_SMALL'
  | 'WATERMARK_PAYLOAD_INVALID'
  | 'WATERMARK_KEY_INVALID'

/** A watermark that cannot be embedded or searched for with the given input. */
export class WatermarkError extends AppError<WatermarkErrorCode> {}
