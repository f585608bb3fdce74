import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { LicenceErrorCode } from '../app/licence/index.js'
import type { LogErrorCode, WitnessErrorCode } from '../app/log/index.js'
import { BillingError, type BillingErrorCode } from '../app/metering/index.js'
import type { StorageErrorCode } from '../app/storage-error.js'
import type { AccessErrorCode } from '../core/access/index.js'
import type { ArchiveErrorCode } from '../core/archive/index.js'
import type { CredentialErrorCode } from '../core/c2pa/index.js'
import type { ColourErrorCode } from '../core/colour/index.js'
import type { GrantErrorCode } from '../core/grant/index.js'
import type { ImageErrorCode } from '../core/image/index.js'
import type { MeteringErrorCode, UsageRejectCode } from '../core/metering/index.js'
import type { PdqErrorCode } from '../core/pdq/index.js'
import { PolicyError, type PolicyErrorCode } from '../core/policy/index.js'
import type { ProvenanceErrorCode } from '../core/provenance/index.js'
import { AppError } from '../core/shared/index.js'
import type { TlogErrorCode } from '../core/tlog/index.js'
import type { WatermarkErrorCode } from '../core/watermark/index.js'
import type { XmpErrorCode } from '../core/xmp/index.js'

/** Codes the HTTP layer raises itself. */
export type HttpErrorCode =
  | 'REQUEST_INVALID'
  | 'REQUEST_TOO_LARGE'
  | 'FILE_UNREADABLE'
  | 'ROUTE_NOT_FOUND'
  | 'INTERNAL'

export type ErrorCode =
  | AccessErrorCode
  | ArchiveErrorCode
  | ImageErrorCode
  | ColourErrorCode
  | PdqErrorCode
  | PolicyErrorCode
  | LicenceErrorCode
  | GrantErrorCode
  | XmpErrorCode
  | WatermarkErrorCode
  | StorageErrorCode
  | TlogErrorCode
  | LogErrorCode
  | WitnessErrorCode
  | ProvenanceErrorCode
  | CredentialErrorCode
  | MeteringErrorCode
  | UsageRejectCode
  | BillingErrorCode
  | HttpErrorCode

/** Every error code and its HTTP status; a code without a status fails the type-check. */
export const STATUS: Record<ErrorCode, number> = {
  AUTH_KEY_MISSING: 401,
  AUTH_KEY_INVALID: 401,
  AUTH_FORBIDDEN: 403,
  KEY_NOT_FOUND: 404,
  KEY_INPUT_INVALID: 400,
  ASSET_NOT_FOUND: 404,
  ASSET_VERSION_NOT_FOUND: 404,
  ASSET_METADATA_INVALID: 400,
  ASSET_LINEAGE_INVALID: 422,
  ASSET_QUERY_INVALID: 400,
  ASSET_FILE_IN_USE: 409,
  STUDIO_NOT_INITIALISED: 409,
  IMAGE_UNREADABLE: 422,
  IMAGE_UNSUPPORTED_TYPE: 415,
  IMAGE_TOO_LARGE: 413,
  COLOUR_INVALID_HEX: 400,
  COLOUR_INVALID_MAPPING: 400,
  COLOUR_INVALID_OPTIONS: 400,
  PDQ_INVALID_HASH: 400,
  PDQ_INVALID_IMAGE: 500,
  STORAGE_CONFLICT: 409,
  STORAGE_FAILURE: 503,
  REQUEST_INVALID: 400,
  REQUEST_TOO_LARGE: 413,
  FILE_UNREADABLE: 400,
  ROUTE_NOT_FOUND: 404,
  POLICY_INVALID: 400,
  POLICY_REQUEST_INVALID: 400,
  LICENCE_NOT_FOUND: 404,
  LICENCE_REQUEST_INVALID: 400,
  LICENCE_DENIED: 403,
  LICENCE_PAYMENT_REQUIRED: 402,
  AGREEMENT_NOT_FOUND: 404,
  GRANT_INVALID: 401,
  GRANT_NOT_COVERED: 403,
  XMP_IMAGE_INVALID: 422,
  XMP_TOO_LARGE: 413,
  LOG_INDEX_OUT_OF_RANGE: 404,
  LOG_SIZE_INVALID: 400,
  LOG_PROOF_INVALID: 422,
  LOG_NOTE_INVALID: 400,
  LOG_SIGNATURE_INVALID: 422,
  LOG_VKEY_INVALID: 400,
  LOG_CHECKPOINT_INVALID: 400,
  LOG_TILE_PATH_INVALID: 400,
  LOG_BUNDLE_INVALID: 422,
  LOG_ENTRY_TOO_LARGE: 413,
  LOG_HASH_READ_FAILED: 500,
  LOG_ENTRY_INVALID: 400,
  LOG_SUBMISSION_UNKNOWN: 404,
  LOG_UNAVAILABLE: 503,
  LOG_STATE_INVALID: 500,
  // C2SP tlog-witness "add-checkpoint" fixes these statuses.
  WITNESS_REQUEST_INVALID: 400,
  WITNESS_LOG_UNKNOWN: 404,
  WITNESS_SIGNATURE_UNTRUSTED: 403,
  WITNESS_OLD_SIZE_INVALID: 400,
  WITNESS_PROOF_INVALID: 422,
  WITNESS_ROOT_MISMATCH: 409,
  AUTHORSHIP_STEP_INVALID: 400,
  AUTHORSHIP_OUTPUT_MISMATCH: 422,
  AUTHORSHIP_ORDER: 422,
  AUTHORSHIP_INPUT_UNKNOWN: 422,
  AUTHORSHIP_FORMAT_UNSUPPORTED: 406,
  WATERMARK_IMAGE_TOO_SMALL: 422,
  WATERMARK_PAYLOAD_INVALID: 400,
  WATERMARK_KEY_INVALID: 500,
  CREDENTIAL_IMPORT_INVALID: 400,
  CREDENTIAL_TRUST_INVALID: 400,
  USAGE_EVENT_INVALID: 400,
  USAGE_TYPE_UNKNOWN: 400,
  USAGE_UNITS_INVALID: 400,
  USAGE_GRANT_UNKNOWN: 422,
  USAGE_GRANT_REVOKED: 422,
  USAGE_GRANT_EXPIRED: 422,
  USAGE_TIME_OUTSIDE_GRANT: 422,
  USAGE_TIME_TOO_OLD: 422,
  USAGE_TIME_IN_FUTURE: 422,
  USAGE_ASSET_NOT_COVERED: 422,
  USAGE_BATCH_EMPTY: 400,
  USAGE_BODY_INVALID: 400,
  USAGE_BATCH_TOO_LARGE: 413,
  USAGE_BATCH_REJECTED: 422,
  USAGE_PAYMENT_REQUIRED: 402,
  USAGE_GRANT_HELD: 402,
  USAGE_PERIOD_CLOSED: 409,
  PRICE_MODEL_INVALID: 400,
  LEDGER_UNBALANCED: 500,
  SPLIT_INVALID: 422,
  WALLET_INSUFFICIENT: 402,
  PAYMENT_INVALID: 400,
  PAYMENT_NOT_FOUND: 404,
  PAYMENT_NOT_PENDING: 409,
  BILLING_PERIOD_INVALID: 400,
  BILLING_PERIOD_OPEN: 409,
  BILLING_PERIOD_CLOSED: 409,
  BILLING_DOCUMENT_NOT_FOUND: 404,
  BILLING_DOCUMENT_INVALID: 422,
  BILLING_RECEIPT_UNAVAILABLE: 404,
  INTERNAL: 500,
}

/** The one error body shape: `{ error: { code, message } }`; causes never leave the process. */
export interface ErrorBody {
  readonly error: {
    readonly code: string
    readonly message: string
    /** For `POLICY_INVALID` and `POLICY_REQUEST_INVALID`: every problem with its JSON path. */
    readonly problems?: readonly { readonly path: string; readonly message: string }[]
  }
}

/** Raised by route handlers for malformed requests, and by the CLI for files it cannot read. */
export class HttpError extends AppError<HttpErrorCode> {}

function isKnownCode(code: string): code is ErrorCode {
  return Object.hasOwn(STATUS, code)
}

/** Maps any thrown value to a status and body; unknown errors become a logged 500. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof AppError && isKnownCode(err.code)) {
    const status = STATUS[err.code]
    const message = status >= 500 ? 'the server could not complete the request' : err.message
    if (err instanceof BillingError && status < 500) {
      // The rejected events of a batch, the quote of a payment required: beside `error`.
      return { status, body: { error: { code: err.code, message }, ...err.details } }
    }
    if (err instanceof PolicyError) {
      const problems = err.problems.map((p) => ({ path: p.path, message: p.message }))
      return { status, body: { error: { code: err.code, message, problems } } }
    }
    return { status, body: { error: { code: err.code, message } } }
  }
  const fe = err as Partial<FastifyError>
  if (fe.validation !== undefined) {
    return {
      status: 400,
      body: { error: { code: 'REQUEST_INVALID', message: fe.message ?? 'invalid request' } },
    }
  }
  if (
    fe.code === 'FST_REQ_FILE_TOO_LARGE' ||
    fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ||
    fe.statusCode === 413
  ) {
    return {
      status: 413,
      body: { error: { code: 'REQUEST_TOO_LARGE', message: 'the request body is too large' } },
    }
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      body: { error: { code: 'REQUEST_INVALID', message: fe.message ?? 'invalid request' } },
    }
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'the server could not complete the request' } },
  }
}

/** Fastify error handler: logs server faults (without secrets), answers with the error body. */
export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(err)
  if (status >= 500) req.log.error({ err }, 'request failed')
  void reply.status(status).send(body)
}
