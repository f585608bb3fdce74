import { AppError } from '../shared/index.js'

/**
 * `LOG_INDEX_OUT_OF_RANGE`: an entry index, stored-hash index or tree level is outside the tree.
 * `LOG_SIZE_INVALID`: a tree size is negative, too large, or an old size exceeds a new one.
 * `LOG_PROOF_INVALID`: a proof or tlog-proof file is malformed or does not verify.
 * `LOG_NOTE_INVALID`: a signed note is malformed.
 * `LOG_SIGNATURE_INVALID`: no trusted key verifies a note, or a known key's signature fails.
 * `LOG_VKEY_INVALID`: a verifier key string is malformed.
 * `LOG_CHECKPOINT_INVALID`: a checkpoint body is malformed.
 * `LOG_TILE_PATH_INVALID`: a tile path or tile reference is not canonical.
 * `LOG_BUNDLE_INVALID`: an entry bundle is truncated or malformed.
 * `LOG_ENTRY_TOO_LARGE`: an entry exceeds 65,535 bytes.
 * `LOG_HASH_READ_FAILED`: a hash reader returned the wrong number or size of hashes.
 */
export type TlogErrorCode =
  | 'LOG_INDEX_OUT_OF_RANGE'
  | 'LOG_SIZE_INVALID'
  | 'LOG_PROOF_INVALID'
  | 'LOG_NOTE_INVALID'
  | 'LOG_SIGNATURE_INVALID'
  | 'LOG_VKEY_INVALID'
  | 'LOG_CHECKPOINT_INVALID'
  | 'LOG_TILE_PATH_INVALID'
  | 'LOG_BUNDLE_INVALID'
  | 'LOG_ENTRY_TOO_LARGE'
  | 'LOG_HASH_READ_FAILED'

/** A transparency-log input that is malformed, out of range, or fails verification. */
export class TlogError extends AppError<TlogErrorCode> {}
