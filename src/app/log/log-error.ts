import { AppError } from '../../core/shared/index.js'

/**
 * `LOG_ENTRY_INVALID`: an entry lacks `type`, `studio` or `time`, or is not JSON.
 * `LOG_SUBMISSION_UNKNOWN`: a submission id the queue has never seen.
 * `LOG_UNAVAILABLE`: the sequencer did not cover a submission in time (none running, or failing).
 * `LOG_STATE_INVALID`: stored hashes disagree with the latest signed checkpoint; the log stops.
 */
export type LogErrorCode =
  | 'LOG_ENTRY_INVALID'
  | 'LOG_SUBMISSION_UNKNOWN'
  | 'LOG_UNAVAILABLE'
  | 'LOG_STATE_INVALID'

/** The transparency log service failed or refused an input. */
export class LogError extends AppError<LogErrorCode> {}

/**
 * Refusals of a C2SP tlog-witness `add-checkpoint` request, each with the status the
 * specification requires (see `http/errors.ts`).
 * `WITNESS_REQUEST_INVALID` (400): malformed body or checkpoint.
 * `WITNESS_LOG_UNKNOWN` (404): the checkpoint's origin is not a configured log.
 * `WITNESS_SIGNATURE_UNTRUSTED` (403): no signature by a trusted key of that log verifies.
 * `WITNESS_OLD_SIZE_INVALID` (400): the old size exceeds the checkpoint size.
 * `WITNESS_PROOF_INVALID` (422): the consistency proof does not verify.
 * `WITNESS_ROOT_MISMATCH` (409): same size as the recorded checkpoint but another root.
 */
export type WitnessErrorCode =
  | 'WITNESS_REQUEST_INVALID'
  | 'WITNESS_LOG_UNKNOWN'
  | 'WITNESS_SIGNATURE_UNTRUSTED'
  | 'WITNESS_OLD_SIZE_INVALID'
  | 'WITNESS_PROOF_INVALID'
  | 'WITNESS_ROOT_MISMATCH'

/** A witness refused a checkpoint. */
export class WitnessError extends AppError<WitnessErrorCode> {}
