import { AppError } from '../shared/index.js'

/**
 * `PDQ_INVALID_HASH`: a hash is not 64 hexadecimal digits.
 * `PDQ_INVALID_IMAGE`: an image's sample buffer does not hold `width * height * 3` bytes.
 */
export type PdqErrorCode = 'PDQ_INVALID_HASH' | 'PDQ_INVALID_IMAGE'

/** A malformed PDQ hash or image handed to the PDQ module. */
export class PdqError extends AppError<PdqErrorCode> {}
