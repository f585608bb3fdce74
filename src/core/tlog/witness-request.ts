import { decodeBase64, encodeBase64 } from './base64.js'
import { parseDecimal } from './decimal.js'
import type { Hash } from './hash.js'
import { isHash } from './hash.js'
import { parseNote } from './signed-note.js'
import { TlogError } from './tlog-error.js'

/** The body of a tlog-witness `add-checkpoint` request. */
export interface AddCheckpointRequest {
  readonly oldSize: number
  /** Consistency proof from `oldSize` to the checkpoint's size (at most 63 hashes). */
  readonly proof: readonly Hash[]
  /** The signed checkpoint note, verbatim. */
  readonly checkpoint: string
}

// tlog-witness "add-checkpoint": the client MUST NOT send more than 63 proof lines.
const MAX_PROOF_LINES = 63

function invalid(reason: string, cause?: unknown): TlogError {
  return new TlogError('LOG_PROOF_INVALID', `malformed add-checkpoint body: ${reason}`, { cause })
}

/**
 * Formats an `add-checkpoint` body: `old <size>`, one base64 hash per line, a blank line, then
 * the checkpoint (C2SP tlog-witness). Throws `LOG_PROOF_INVALID` for a bad size or proof.
 */
export function formatAddCheckpointRequest(r: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(r.oldSize) || r.oldSize < 0) throw invalid('bad old size')
  if (r.proof.length > MAX_PROOF_LINES) throw invalid('more than 63 proof lines')
  let out = `old ${r.oldSize}\n`
  for (const h of r.proof) {
    if (!isHash(h)) throw invalid('proof hashes are 32 bytes')
    out += `${encodeBase64(h)}\n`
  }
  return `${out}\n${r.checkpoint}`
}

/**
 * Parses an `add-checkpoint` body. The checkpoint is checked to be a well-formed note but not
 * verified. Throws `LOG_PROOF_INVALID` for a malformed old-size or proof line, more than 63
 * proof lines, or a missing blank line (a witness answers 400), and `LOG_NOTE_INVALID` for a
 * malformed checkpoint note.
 */
export function parseAddCheckpointRequest(body: string): AddCheckpointRequest {
  if (typeof body !== 'string') throw invalid('not a string')
  const blank = body.indexOf('\n\n')
  if (blank < 0) throw invalid('no blank line before the checkpoint')
  const head = body.slice(0, blank).split('\n')
  const checkpoint = body.slice(blank + 2)
  const oldLine = head[0] as string
  if (!oldLine.startsWith('old ')) throw invalid('first line is not "old <size>"')
  const oldSize = parseDecimal(oldLine.slice(4))
  if (oldSize === undefined) throw invalid('bad old size')
  if (head.length - 1 > MAX_PROOF_LINES) throw invalid('more than 63 proof lines')
  const proof: Hash[] = []
  for (let i = 1; i < head.length; i++) {
    const h = decodeBase64(head[i] as string)
    if (h === undefined || h.length !== 32) throw invalid('bad proof line')
    proof.push(h)
  }
  parseNote(checkpoint)
  return { oldSize, proof, checkpoint }
}
