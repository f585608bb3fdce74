import { cosignatureMessage } from './cosignature-message.js'
import { ED25519_SIGNATURE_SIZE } from './ed25519.js'
import { formatKeyId, SIGNATURE_TYPE_COSIGNATURE, witnessKeyId } from './note-key.js'
import { isValidKeyName } from './note-text.js'
import type { NoteSigner } from './signed-note.js'
import { checkNoteSignature, formatSignatureLine, keyTable, parseNote } from './signed-note.js'
import { TlogError } from './tlog-error.js'

/** A cosignature that verified: the witness name, key ID and the time it claims (POSIX s). */
export interface VerifiedCosignature {
  readonly name: string
  readonly keyId: number
  readonly timestamp: number
}

/**
 * The note signature line of a v1 cosignature, `— name base64(keyId ‖ u64 timestamp ‖ sig)`,
 * ending in a newline so it can be appended to a signed checkpoint.
 * Throws `LOG_NOTE_INVALID` for an invalid name or timestamp, `LOG_SIGNATURE_INVALID` for a
 * signature that is not 64 bytes.
 */
export function formatCosignatureLine(
  name: string,
  keyId: number,
  timestamp: number,
  signature: Uint8Array,
): string {
  if (!isValidKeyName(name)) throw new TlogError('LOG_NOTE_INVALID', 'invalid witness name')
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TlogError('LOG_NOTE_INVALID', `cosignature timestamp ${String(timestamp)} invalid`)
  }
  if (signature.length !== ED25519_SIGNATURE_SIZE) {
    throw new TlogError('LOG_SIGNATURE_INVALID', 'an Ed25519 signature is 64 bytes')
  }
  const bytes = new Uint8Array(8 + ED25519_SIGNATURE_SIZE)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, Math.floor(timestamp / 2 ** 32))
  view.setUint32(4, timestamp >>> 0)
  bytes.set(signature, 8)
  return formatSignatureLine(name, keyId, bytes)
}

/**
 * Cosigns a checkpoint body as a witness (tlog-cosignature v1, type 0x04) at `timestamp`, read
 * by the caller from its clock. Returns the signature line, ending in a newline.
 * Throws as {@link cosignatureMessage} and {@link formatCosignatureLine}.
 */
export function cosignCheckpoint(
  checkpointBody: string,
  signer: NoteSigner,
  timestamp: number,
): string {
  const message = cosignatureMessage(checkpointBody, timestamp)
  const keyId = witnessKeyId(signer.name, signer.publicKey)
  return formatCosignatureLine(signer.name, keyId, timestamp, signer.sign(message))
}

/**
 * Verifies the cosignatures on a signed checkpoint by the given witness keys (vkeys of type
 * 0x04), ignoring every other signature. It does not check the log's own signature (use
 * `openNote`), and it applies no quorum: the caller's policy counts the result.
 * Throws `LOG_NOTE_INVALID` for a malformed note, `LOG_VKEY_INVALID` for a malformed or
 * non-witness key, `LOG_SIGNATURE_INVALID` when a known witness's cosignature fails.
 */
export function verifyCosignatures(
  note: string,
  witnessVkeys: readonly string[],
): VerifiedCosignature[] {
  const { text, signatures } = parseNote(note)
  const keys = keyTable(witnessVkeys)
  for (const key of keys.values()) {
    if (key.type !== SIGNATURE_TYPE_COSIGNATURE) {
      throw new TlogError('LOG_VKEY_INVALID', `${key.name} is not a witness key (type 0x04)`)
    }
  }
  const verified: VerifiedCosignature[] = []
  const seen = new Set<string>()
  for (const sig of signatures) {
    const id = `${sig.name}+${formatKeyId(sig.keyId)}`
    const key = keys.get(id)
    if (key === undefined) continue
    const timestamp = checkNoteSignature(key, text, sig.signature)
    if (timestamp === undefined) {
      throw new TlogError('LOG_SIGNATURE_INVALID', `cosignature by ${id} does not verify`)
    }
    if (seen.has(id)) continue
    seen.add(id)
    verified.push({ name: sig.name, keyId: sig.keyId, timestamp })
  }
  return verified
}
