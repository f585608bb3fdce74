import { AppError } from '../shared/index.js'

export type ProvenanceErrorCode =
  | 'AUTHORSHIP_STEP_INVALID'
  | 'AUTHORSHIP_OUTPUT_MISMATCH'
  | 'AUTHORSHIP_ORDER'
  | 'AUTHORSHIP_INPUT_UNKNOWN'
  | 'AUTHORSHIP_FORMAT_UNSUPPORTED'

/**
 * An authorship step or statement request refused: a malformed step (`AUTHORSHIP_STEP_INVALID`,
 * the message names the field), a step that contradicts the archive (`AUTHORSHIP_OUTPUT_MISMATCH`,
 * `AUTHORSHIP_ORDER`, `AUTHORSHIP_INPUT_UNKNOWN`), or a statement format other than md and pdf
 * (`AUTHORSHIP_FORMAT_UNSUPPORTED`).
 */
export class ProvenanceError extends AppError<ProvenanceErrorCode> {}
