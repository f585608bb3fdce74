import { decodeBase64, encodeBase64 } from './base64.js'
import type { Hash } from './hash.js'
import { isHash } from './hash.js'
import { TlogError } from './tlog-error.js'

/**
 * Formats hashes one base64 hash per line, each line ending in a newline (the body of a
 * consistency proof response). Throws `LOG_PROOF_INVALID` for a hash that is not 32 bytes.
 */
export function formatHashLines(hashes: readonly Hash[]): string {
  let out = ''
  for (const h of hashes) {
    if (!isHash(h)) throw new TlogError('LOG_PROOF_INVALID', 'hashes are 32 bytes')
    out += `${encodeBase64(h)}\n`
  }
  return out
}

/**
 * Parses one base64 hash per newline-terminated line (the empty string is no hashes).
 * Throws `LOG_PROOF_INVALID` for a line that is not canonical base64 of 32 bytes, a missing
 * final newline, or more than 63 lines.
 */
export function parseHashLines(text: string): Hash[] {
  if (text === '') return []
  if (!text.endsWith('\n')) throw new TlogError('LOG_PROOF_INVALID', 'missing final newline')
  const lines = text.slice(0, -1).split('\n')
  if (lines.length > 63) throw new TlogError('LOG_PROOF_INVALID', 'more than 63 hashes')
  return lines.map((line) => {
    const h = decodeBase64(line)
    if (h === undefined || h.length !== 32) {
      throw new TlogError('LOG_PROOF_INVALID', 'a line is not a base64 hash')
    }
    return h
  })
}
