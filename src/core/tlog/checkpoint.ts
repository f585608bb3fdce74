import { decodeBase64, encodeBase64 } from './base64.js'
import { parseDecimal } from './decimal.js'
import type { Hash } from './hash.js'
import { isHash } from './hash.js'
import { isValidNoteText } from './note-text.js'
import { TlogError } from './tlog-error.js'
import { MAX_TREE_SIZE } from './tree-bounds.js'

/** A log checkpoint (C2SP tlog-checkpoint): origin, tree size, root hash, extension lines. */
export interface Checkpoint {
  readonly origin: string
  readonly size: number
  readonly rootHash: Hash
  readonly extensions?: readonly string[]
}

/** A parsed checkpoint: extensions always present (possibly empty). */
export interface ParsedCheckpoint {
  readonly origin: string
  readonly size: number
  readonly rootHash: Hash
  readonly extensions: string[]
}

function invalid(reason: string): TlogError {
  return new TlogError('LOG_CHECKPOINT_INVALID', `malformed checkpoint: ${reason}`)
}

function isLine(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0 && !s.includes('\n') && isValidNoteText(s)
}

/**
 * Formats a checkpoint body: `origin\nsize\nbase64(rootHash)\n` then one line per extension,
 * each ending in a newline (C2SP tlog-checkpoint "Note text").
 * Throws `LOG_CHECKPOINT_INVALID` for an empty or multi-line origin or extension, a size that
 * is not an integer in [0, 2^52], or a root hash that is not 32 bytes.
 */
export function formatCheckpoint(c: Checkpoint): string {
  if (!isLine(c.origin)) throw invalid('origin must be one non-empty line')
  if (!Number.isSafeInteger(c.size) || c.size < 0 || c.size > MAX_TREE_SIZE) {
    throw invalid(`size ${String(c.size)} out of range`)
  }
  if (!isHash(c.rootHash)) throw invalid('root hash must be 32 bytes')
  let body = `${c.origin}\n${c.size}\n${encodeBase64(c.rootHash)}\n`
  for (const ext of c.extensions ?? []) {
    if (!isLine(ext)) throw invalid('extension lines must be non-empty single lines')
    body += `${ext}\n`
  }
  return body
}

/**
 * Parses a checkpoint body (the text of the signed note, ending in a newline).
 * Throws `LOG_CHECKPOINT_INVALID` for fewer than three lines, an empty origin or extension
 * line, a size with leading zeros or above 2^52, or a root that is not canonical base64 of
 * 32 bytes.
 */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  if (typeof text !== 'string' || !text.endsWith('\n') || !isValidNoteText(text)) {
    throw invalid('text must be valid UTF-8 ending in a newline')
  }
  const lines = text.slice(0, -1).split('\n')
  if (lines.length < 3) throw invalid('fewer than three lines')
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]]
  if (origin.length === 0) throw invalid('empty origin')
  const size = parseDecimal(sizeLine)
  if (size === undefined || size > MAX_TREE_SIZE) throw invalid('bad tree size')
  const rootHash = decodeBase64(rootLine)
  if (rootHash === undefined || rootHash.length !== 32) throw invalid('bad root hash')
  if (extensions.some((e) => e.length === 0)) throw invalid('empty extension line')
  return { origin, size, rootHash, extensions }
}
