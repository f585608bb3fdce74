import { parseCheckpoint } from './checkpoint.js'
import type { VerifiedCosignature } from './cosignature.js'
import { verifyCosignatures } from './cosignature.js'
import type { Hash } from './hash.js'
import { hashesEqual, leafHash as hashLeaf, isHash } from './hash.js'
import { parseVerifierKey, SIGNATURE_TYPE_ED25519 } from './note-key.js'
import { parseProofFile } from './proof-file.js'
import { openNote } from './signed-note.js'
import type { TlogErrorCode } from './tlog-error.js'
import { TlogError } from './tlog-error.js'
import { verifyInclusion } from './verify-proof.js'

/** What {@link verifyProofFile} checks a tlog-proof against. */
export interface VerifyProofFileInput {
  /** The log's verifier key (type 0x01); its name must equal the checkpoint origin. */
  readonly vkey: string
  /** The tlog-proof file text. */
  readonly proofFile: string
  /** The logged entry; its leaf hash is computed. Give this or `leafHash`. */
  readonly entry?: Uint8Array
  /** The leaf hash of the logged entry. If given with `entry`, both must agree. */
  readonly leafHash?: Hash
  /** Witness verifier keys (type 0x04); their cosignatures are verified and reported. */
  readonly witnessVkeys?: readonly string[]
}

/** The verdict of {@link verifyProofFile}. */
export type VerifyProofFileResult =
  | {
      readonly ok: true
      readonly index: number
      readonly size: number
      readonly origin: string
      readonly rootHash: Hash
      readonly cosignatures: VerifiedCosignature[]
    }
  | { readonly ok: false; readonly code: TlogErrorCode; readonly reason: string }

function fail(code: TlogErrorCode, reason: string): VerifyProofFileResult {
  return { ok: false, code, reason }
}

/**
 * Verifies a tlog-proof offline (C2SP tlog-proof "Verifying a tlog proof"): the checkpoint is
 * signed by `vkey`, its origin equals the key name, the cosignatures of any given witnesses
 * verify, and the entry is included at `index` under the checkpoint's root.
 * Never throws: every failure comes back as `{ ok: false, code, reason }` with codes
 * `LOG_VKEY_INVALID`, `LOG_PROOF_INVALID`, `LOG_NOTE_INVALID`, `LOG_SIGNATURE_INVALID`,
 * `LOG_CHECKPOINT_INVALID` or `LOG_INDEX_OUT_OF_RANGE`.
 */
export function verifyProofFile(input: VerifyProofFileInput): VerifyProofFileResult {
  try {
    return verifyOrThrow(input)
  } catch (err) {
    if (err instanceof TlogError) return fail(err.code, err.message)
    return fail('LOG_PROOF_INVALID', err instanceof Error ? err.message : 'verification failed')
  }
}

function verifyOrThrow(input: VerifyProofFileInput): VerifyProofFileResult {
  const key = parseVerifierKey(input.vkey)
  if (key.type !== SIGNATURE_TYPE_ED25519) {
    return fail('LOG_VKEY_INVALID', 'the log key must be an Ed25519 key (type 0x01)')
  }
  let leaf: Hash
  if (input.entry !== undefined) {
    leaf = hashLeaf(input.entry)
    if (input.leafHash !== undefined && !hashesEqual(leaf, input.leafHash)) {
      return fail('LOG_PROOF_INVALID', 'entry and leaf hash disagree')
    }
  } else if (input.leafHash !== undefined) {
    if (!isHash(input.leafHash)) return fail('LOG_PROOF_INVALID', 'leaf hash is not 32 bytes')
    leaf = input.leafHash
  } else {
    return fail('LOG_PROOF_INVALID', 'neither an entry nor a leaf hash was given')
  }
  const proof = parseProofFile(input.proofFile)
  const note = openNote(proof.checkpoint, [input.vkey])
  const checkpoint = parseCheckpoint(note.text)
  // tlog-checkpoint "Signatures": the log's key name matches the origin line; we require it.
  if (checkpoint.origin !== key.name) {
    return fail('LOG_CHECKPOINT_INVALID', `origin ${checkpoint.origin} is not key ${key.name}`)
  }
  const cosignatures = verifyCosignatures(proof.checkpoint, input.witnessVkeys ?? [])
  if (proof.index >= checkpoint.size) {
    return fail(
      'LOG_INDEX_OUT_OF_RANGE',
      `index ${proof.index} is outside the checkpoint of size ${checkpoint.size}`,
    )
  }
  if (!verifyInclusion(leaf, proof.index, checkpoint.size, proof.proof, checkpoint.rootHash)) {
    return fail('LOG_PROOF_INVALID', 'the inclusion proof does not lead to the checkpoint root')
  }
  return {
    ok: true,
    index: proof.index,
    size: checkpoint.size,
    origin: checkpoint.origin,
    rootHash: checkpoint.rootHash,
    cosignatures,
  }
}
