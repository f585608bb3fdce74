import { decodeBase64, encodeBase64 } from './base64.js'
import { cosignatureMessage } from './cosignature-message.js'
import { ED25519_SIGNATURE_SIZE, verifyEd25519 } from './ed25519.js'
import type { VerifierKey } from './note-key.js'
import {
  formatKeyId,
  noteKeyId,
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE,
  SIGNATURE_TYPE_ED25519,
} from './note-key.js'
import { isValidKeyName, isValidNoteText, utf8 } from './note-text.js'
import { TlogError } from './tlog-error.js'

/**
 * An Ed25519 note signer. `sign` returns the 64-byte RFC 8032 signature of `message`; the core
 * never sees the private key.
 */
export interface NoteSigner {
  readonly name: string
  readonly publicKey: Uint8Array
  sign(message: Uint8Array): Uint8Array
}

/** A signature line of a note, identified by key name and key ID. */
export interface NoteSignature {
  readonly name: string
  readonly keyId: number
}

/** A note whose signatures were checked against a set of verifier keys. */
export interface OpenedNote {
  /** The note text, ending in a newline, without the blank line and signatures. */
  readonly text: string
  /** Signatures by the given keys, all verified, without duplicates. */
  readonly verified: NoteSignature[]
  /** Signatures by keys not given, ignored, without duplicate lines. */
  readonly unverified: NoteSignature[]
}

/** A signature line split into its parts (internal to the tlog module). */
export interface RawNoteSignature {
  readonly name: string
  readonly keyId: number
  /** The signature bytes after the key ID. */
  readonly signature: Uint8Array
  /** The whole line without its trailing newline. */
  readonly line: string
}

const SIGNATURE_PREFIX = '\u2014 '
// Go's sumdb/note stops at 100 signatures; signed-note requires accepting at least 16.
const MAX_SIGNATURES = 100
const MAX_NOTE_LENGTH = 1_000_000

function malformed(reason: string): TlogError {
  return new TlogError('LOG_NOTE_INVALID', `malformed note: ${reason}`)
}

/**
 * Splits a signed note into text and signature lines (C2SP signed-note "Format") without
 * checking any signature. Throws `LOG_NOTE_INVALID` for a malformed note.
 */
export function parseNote(note: string): { text: string; signatures: RawNoteSignature[] } {
  if (typeof note !== 'string') throw malformed('not a string')
  if (note.length > MAX_NOTE_LENGTH) throw malformed('too long')
  if (!isValidNoteText(note)) throw malformed('invalid UTF-8 or a control character')
  // The text ends at the last blank line; what follows is one or more signature lines.
  const split = note.lastIndexOf('\n\n')
  if (split < 0) throw malformed('no blank line before the signatures')
  const text = note.slice(0, split + 1)
  const block = note.slice(split + 2)
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('no signature lines')
  const lines = block.slice(0, -1).split('\n')
  if (lines.length > MAX_SIGNATURES) throw malformed('too many signatures')
  const signatures: RawNoteSignature[] = []
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('a signature line lacks "— "')
    const rest = line.slice(SIGNATURE_PREFIX.length)
    const space = rest.indexOf(' ')
    if (space < 0) throw malformed('a signature line lacks a signature')
    const name = rest.slice(0, space)
    const bytes = decodeBase64(rest.slice(space + 1))
    if (!isValidKeyName(name) || bytes === undefined || bytes.length < 5) {
      throw malformed('a signature line is invalid')
    }
    const keyId =
      (bytes[0] as number) * 2 ** 24 +
      (bytes[1] as number) * 2 ** 16 +
      (bytes[2] as number) * 2 ** 8 +
      (bytes[3] as number)
    signatures.push({ name, keyId, signature: bytes.slice(4), line })
  }
  return { text, signatures }
}

/** The signature line `— name base64(keyId ‖ signature)` with its trailing newline. */
export function formatSignatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const bytes = new Uint8Array(4 + signature.length)
  new DataView(bytes.buffer).setUint32(0, keyId >>> 0)
  bytes.set(signature, 4)
  return `${SIGNATURE_PREFIX}${name} ${encodeBase64(bytes)}\n`
}

/**
 * Signs note text with Ed25519 signers (signature type 0x01), producing
 * `text ‖ "\n" ‖ signature lines` in signer order.
 * Throws `LOG_NOTE_INVALID` for text that is empty, lacks a final newline or holds control
 * characters, `LOG_VKEY_INVALID` for a signer with an invalid name or key, and
 * `LOG_SIGNATURE_INVALID` when a signer returns something other than 64 bytes.
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (typeof text !== 'string' || !text.endsWith('\n') || !isValidNoteText(text)) {
    throw malformed('text must be valid UTF-8 ending in a newline')
  }
  if (signers.length === 0) throw malformed('a note needs at least one signature')
  const message = utf8(text)
  let out = `${text}\n`
  for (const signer of signers) {
    if (!isValidKeyName(signer.name)) throw new TlogError('LOG_VKEY_INVALID', 'invalid key name')
    if (!(signer.publicKey instanceof Uint8Array) || signer.publicKey.length !== 32) {
      throw new TlogError('LOG_VKEY_INVALID', 'an Ed25519 public key is 32 bytes')
    }
    const signature = signer.sign(message)
    if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_SIZE) {
      throw new TlogError('LOG_SIGNATURE_INVALID', 'signer did not return a 64-byte signature')
    }
    const keyId = noteKeyId(signer.name, SIGNATURE_TYPE_ED25519, signer.publicKey)
    out += formatSignatureLine(signer.name, keyId, signature)
  }
  return out
}

/**
 * Checks one signature by a known key: Ed25519 over the text (type 0x01), or a timestamped
 * cosignature (type 0x04). Returns the cosignature timestamp, 0 for type 0x01, or undefined
 * when the signature does not verify.
 */
export function checkNoteSignature(
  key: VerifierKey,
  text: string,
  signature: Uint8Array,
): number | undefined {
  if (key.type === SIGNATURE_TYPE_ED25519) {
    return verifyEd25519(key.publicKey, utf8(text), signature) ? 0 : undefined
  }
  if (key.type === SIGNATURE_TYPE_COSIGNATURE) {
    // tlog-cosignature: timestamped_signature = u64 big-endian timestamp ‖ Ed25519 signature.
    if (signature.length !== 8 + ED25519_SIGNATURE_SIZE) return undefined
    const view = new DataView(signature.buffer, signature.byteOffset, 8)
    const timestamp = view.getUint32(0) * 2 ** 32 + view.getUint32(4)
    if (!Number.isSafeInteger(timestamp)) return undefined
    const message = cosignatureMessage(text, timestamp)
    return verifyEd25519(key.publicKey, message, signature.subarray(8)) ? timestamp : undefined
  }
  return undefined
}

/** Parses verifier keys into a lookup by `name+keyid`, rejecting two keys that collide. */
export function keyTable(verifierKeys: readonly string[]): Map<string, VerifierKey> {
  const table = new Map<string, VerifierKey>()
  for (const vkey of verifierKeys) {
    const key = parseVerifierKey(vkey)
    const id = `${key.name}+${formatKeyId(key.keyId)}`
    const existing = table.get(id)
    if (existing !== undefined && Buffer.compare(existing.publicKey, key.publicKey) !== 0) {
      throw new TlogError('LOG_VKEY_INVALID', `two verifier keys share name and ID ${id}`)
    }
    table.set(id, key)
  }
  return table
}

/**
 * Opens a signed note, verifying every signature whose key name and ID match one of
 * `verifierKeys` (types 0x01 and 0x04) and ignoring the rest (C2SP signed-note "Signatures").
 * Throws `LOG_NOTE_INVALID` for a malformed note, `LOG_VKEY_INVALID` for a malformed key, and
 * `LOG_SIGNATURE_INVALID` when a signature by a known key fails or no known key signed.
 */
export function openNote(note: string, verifierKeys: readonly string[]): OpenedNote {
  const { text, signatures } = parseNote(note)
  const keys = keyTable(verifierKeys)
  const verified: NoteSignature[] = []
  const unverified: NoteSignature[] = []
  const seen = new Set<string>()
  for (const sig of signatures) {
    const id = `${sig.name}+${formatKeyId(sig.keyId)}`
    const key = keys.get(id)
    if (key === undefined) {
      if (!seen.has(sig.line)) unverified.push({ name: sig.name, keyId: sig.keyId })
      seen.add(sig.line)
      continue
    }
    if (checkNoteSignature(key, text, sig.signature) === undefined) {
      throw new TlogError('LOG_SIGNATURE_INVALID', `signature by ${id} does not verify`)
    }
    if (!seen.has(id)) verified.push({ name: sig.name, keyId: sig.keyId })
    seen.add(id)
  }
  if (verified.length === 0) {
    throw new TlogError('LOG_SIGNATURE_INVALID', 'no signature by a trusted key')
  }
  return { text, verified, unverified }
}
