import { CanonicalJsonError, canonicalJsonBytes } from '../../core/canonical-json/index.js'
import { MAX_ENTRY_SIZE, TlogError } from '../../core/tlog/index.js'
import { LogError } from './log-error.js'

/** A JSON value, as log entries carry them. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue }

/**
 * A log entry before encoding: what happened (`type`, e.g. `asset.registered`), to which studio,
 * when (ISO 8601 UTC), and the facts of the event. Large payloads are logged by their hash.
 */
export interface LogEntryInput {
  readonly type: string
  readonly studio: string
  readonly time: string
  readonly [fact: string]: JsonValue
}

/**
 * Encodes an entry as RFC 8785 canonical JSON, the bytes the log stores and hashes.
 * Throws `LOG_ENTRY_INVALID` without a non-empty `type`, `studio` and `time` or for a value with
 * no canonical JSON form, and `LOG_ENTRY_TOO_LARGE` over 65,535 bytes (the tlog-tiles bound).
 */
export function encodeLogEntry(entry: LogEntryInput): Uint8Array {
  for (const field of ['type', 'studio', 'time'] as const) {
    const value = entry[field]
    if (typeof value !== 'string' || value.length === 0) {
      throw new LogError('LOG_ENTRY_INVALID', `a log entry needs a non-empty string ${field}`)
    }
  }
  let bytes: Uint8Array
  try {
    bytes = canonicalJsonBytes(entry)
  } catch (error) {
    if (error instanceof CanonicalJsonError) {
      throw new LogError('LOG_ENTRY_INVALID', `a log entry must be I-JSON: ${error.message}`, {
        cause: error,
      })
    }
    throw error
  }
  return checkEntrySize(bytes)
}

/** Returns `bytes` if a log can hold it; throws `LOG_ENTRY_TOO_LARGE` otherwise. */
export function checkEntrySize(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_ENTRY_SIZE) {
    throw new TlogError(
      'LOG_ENTRY_TOO_LARGE',
      `a log entry is at most ${MAX_ENTRY_SIZE} bytes; this one is ${bytes.length}`,
    )
  }
  return bytes
}
