import type { MeteringErrorCode, UsageRejectCode } from '../../core/metering/index.js'
import { AppError } from '../../core/shared/index.js'

export type BillingErrorCode =
  | 'USAGE_BATCH_EMPTY'
  | 'USAGE_BODY_INVALID'
  | 'USAGE_BATCH_TOO_LARGE'
  | 'USAGE_BATCH_REJECTED'
  | 'USAGE_PAYMENT_REQUIRED'
  | 'USAGE_GRANT_HELD'
  | 'USAGE_ASSET_NOT_COVERED'
  | 'USAGE_PERIOD_CLOSED'
  | 'WALLET_INSUFFICIENT'
  | 'PAYMENT_INVALID'
  | 'PAYMENT_NOT_FOUND'
  | 'PAYMENT_NOT_PENDING'
  | 'BILLING_PERIOD_INVALID'
  | 'BILLING_PERIOD_OPEN'
  | 'BILLING_PERIOD_CLOSED'
  | 'BILLING_DOCUMENT_NOT_FOUND'
  | 'BILLING_DOCUMENT_INVALID'
  | 'BILLING_RECEIPT_UNAVAILABLE'

/**
 * Metering, wallet and billing refusals. `details` travels beside `error` in an HTTP body (the
 * rejected events of an atomic batch, the quote of a payment required) and in CLI JSON output.
 */
export class BillingError extends AppError<BillingErrorCode | UsageRejectCode | MeteringErrorCode> {
  constructor(
    code: BillingErrorCode | UsageRejectCode | MeteringErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(code, message)
  }
}
