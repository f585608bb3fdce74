import { utf8 } from './note-text.js'
import { TlogError } from './tlog-error.js'

/**
 * The message an Ed25519 v1 cosignature signs (C2SP tlog-cosignature "Ed25519 signed message"):
 * `cosignature/v1\ntime <timestamp>\n` followed by the whole checkpoint body.
 * Throws `LOG_CHECKPOINT_INVALID` for a body not ending in a newline, `LOG_NOTE_INVALID` for a
 * timestamp that is not a non-negative safe integer (POSIX seconds).
 */
export function cosignatureMessage(checkpointBody: string, timestamp: number): Uint8Array {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TlogError('LOG_NOTE_INVALID', `cosignature timestamp ${String(timestamp)} invalid`)
  }
  if (!checkpointBody.endsWith('\n')) {
    throw new TlogError('LOG_CHECKPOINT_INVALID', 'a checkpoint body ends in a newline')
  }
  return utf8(`cosignature/v1\ntime ${timestamp}\n${checkpointBody}`)
}
