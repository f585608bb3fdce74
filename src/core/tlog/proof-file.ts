import { decodeBase64, encodeBase64 } from './base64.js'
import { parseDecimal } from './decimal.js'
import type { Hash } from './hash.js'
import { isHash } from './hash.js'
import { parseNote } from './signed-note.js'
import { TlogError } from './tlog-error.js'

/** The first line of a tlog-proof file. */
export const PROOF_FILE_HEADER = 'c2sp.org/tlog-proof@v1'

// A tree of at most 2^52 leaves has inclusion proofs of at most 52 hashes; allow 63 as
// tlog-witness does for consistency proofs.
const MAX_PROOF_HASHES = 63

/** A C2SP tlog-proof: an entry index, its inclusion proof and the signed checkpoint. */
export interface ProofFile {
  readonly index: number
  /** Inclusion proof, RFC 9162 order (leaf's sibling first). */
  readonly proof: readonly Hash[]
  /** The checkpoint as a signed note, verbatim (with its signature lines). */
  readonly checkpoint: string
  /** Opaque, unauthenticated application data (the optional `extra` line). */
  readonly extraData?: Uint8Array
}

function invalid(reason: string, cause?: unknown): TlogError {
  return new TlogError('LOG_PROOF_INVALID', `malformed tlog-proof: ${reason}`, { cause })
}

/**
 * Formats a tlog-proof file (C2SP tlog-proof "Format"): the header, an optional `extra` line,
 * `index N`, one base64 hash per line, a blank line, then the signed checkpoint verbatim.
 * Throws `LOG_PROOF_INVALID` for a bad index, a hash that is not 32 bytes, more than 63
 * hashes, empty extra data, or a checkpoint that is not a well-formed signed note.
 */
export function formatProofFile(p: ProofFile): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0) throw invalid('index out of range')
  if (p.proof.length > MAX_PROOF_HASHES) throw invalid('too many proof hashes')
  try {
    parseNote(p.checkpoint)
  } catch (cause) {
    throw invalid('checkpoint is not a signed note', cause)
  }
  let out = `${PROOF_FILE_HEADER}\n`
  if (p.extraData !== undefined) {
    if (p.extraData.length === 0) throw invalid('extra data is empty')
    out += `extra ${encodeBase64(p.extraData)}\n`
  }
  out += `index ${p.index}\n`
  for (const h of p.proof) {
    if (!isHash(h)) throw invalid('proof hashes are 32 bytes')
    out += `${encodeBase64(h)}\n`
  }
  return `${out}\n${p.checkpoint}`
}

/**
 * Parses a tlog-proof file. The checkpoint is checked to be a well-formed signed note but not
 * verified: use `verifyProofFile`.
 * Throws `LOG_PROOF_INVALID` for any deviation from the format.
 */
export function parseProofFile(text: string): ProofFile {
  if (typeof text !== 'string') throw invalid('not a string')
  const blank = text.indexOf('\n\n')
  if (blank < 0) throw invalid('no blank line before the checkpoint')
  const head = text.slice(0, blank).split('\n')
  const checkpoint = text.slice(blank + 2)
  if (head[0] !== PROOF_FILE_HEADER) throw invalid(`first line is not ${PROOF_FILE_HEADER}`)
  let at = 1
  let extraData: Uint8Array | undefined
  if (head[at]?.startsWith('extra ')) {
    extraData = decodeBase64((head[at] as string).slice('extra '.length))
    if (extraData === undefined || extraData.length === 0) throw invalid('bad extra line')
    at++
  }
  const indexLine = head[at]
  if (indexLine === undefined || !indexLine.startsWith('index ')) throw invalid('no index line')
  const index = parseDecimal(indexLine.slice('index '.length))
  if (index === undefined) throw invalid('bad index')
  at++
  const proof: Hash[] = []
  for (; at < head.length; at++) {
    const h = decodeBase64(head[at] as string)
    if (h === undefined || h.length !== 32) throw invalid('bad proof hash line')
    proof.push(h)
  }
  if (proof.length > MAX_PROOF_HASHES) throw invalid('too many proof hashes')
  try {
    parseNote(checkpoint)
  } catch (cause) {
    throw invalid('checkpoint is not a signed note', cause)
  }
  return extraData === undefined
    ? { index, proof, checkpoint }
    : { index, proof, checkpoint, extraData }
}
