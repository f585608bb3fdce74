import { AppError } from '../../core/shared/index.js'

export type LicenceErrorCode =
  | 'LICENCE_NOT_FOUND'
  | 'LICENCE_REQUEST_INVALID'
  | 'LICENCE_DENIED'
  | 'LICENCE_PAYMENT_REQUIRED'
  | 'AGREEMENT_NOT_FOUND'

/**
 * A licence use case refused: no licence attached (`LICENCE_NOT_FOUND`), a malformed request
 * (`LICENCE_REQUEST_INVALID`, naming the field), or an agreement that the decision does not
 * allow (`LICENCE_DENIED`, `LICENCE_PAYMENT_REQUIRED`; `decision` carries the reasons and quote).
 */
export class LicenceError extends AppError<LicenceErrorCode> {
  constructor(
    code: LicenceErrorCode,
    message: string,
    readonly decision?: unknown,
    opts?: { cause?: unknown },
  ) {
    super(code, message, opts)
  }
}
