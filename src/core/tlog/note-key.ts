import { hash as digest } from 'node:crypto'
import { decodeBase64, encodeBase64 } from './base64.js'
import { ED25519_PUBLIC_KEY_SIZE } from './ed25519.js'
import { isValidKeyName, utf8 } from './note-text.js'
import { TlogError } from './tlog-error.js'

/** Signed-note signature type of Ed25519 note signatures (C2SP signed-note). */
export const SIGNATURE_TYPE_ED25519 = 0x01

/** Signed-note signature type of timestamped Ed25519 cosignatures (C2SP tlog-cosignature). */
export const SIGNATURE_TYPE_COSIGNATURE = 0x04

/** A parsed verifier key (C2SP signed-note "Verifier keys"). */
export interface VerifierKey {
  readonly name: string
  readonly keyId: number
  readonly type: number
  readonly publicKey: Uint8Array
}

function checkKey(name: string, publicKey: Uint8Array): void {
  if (!isValidKeyName(name)) {
    throw new TlogError('LOG_VKEY_INVALID', 'key name is empty or holds a space or "+"')
  }
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new TlogError('LOG_VKEY_INVALID', 'an Ed25519 public key is 32 bytes')
  }
}

/**
 * The signed-note key ID: the first four bytes, big-endian, of
 * `SHA-256(name ‖ 0x0A ‖ type ‖ publicKey)` (C2SP signed-note "Signatures").
 */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const nameBytes = utf8(name)
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length)
  input.set(nameBytes)
  input[nameBytes.length] = 0x0a
  input[nameBytes.length + 1] = type
  input.set(publicKey, nameBytes.length + 2)
  const sum = digest('sha256', input, 'buffer')
  return sum.readUInt32BE(0)
}

/** The key ID of a witness's Ed25519 cosigning key (signature type 0x04, tlog-cosignature). */
export function witnessKeyId(name: string, publicKey: Uint8Array): number {
  return noteKeyId(name, SIGNATURE_TYPE_COSIGNATURE, publicKey)
}

/** A key ID as eight lowercase hexadecimal digits. */
export function formatKeyId(keyId: number): string {
  return (keyId >>> 0).toString(16).padStart(8, '0')
}

function formatKey(name: string, type: number, publicKey: Uint8Array): string {
  checkKey(name, publicKey)
  const material = new Uint8Array(1 + publicKey.length)
  material[0] = type
  material.set(publicKey, 1)
  return `${name}+${formatKeyId(noteKeyId(name, type, publicKey))}+${encodeBase64(material)}`
}

/**
 * The verifier key `name+hex8(keyId)+base64(0x01 ‖ publicKey)` of an Ed25519 note signer.
 * Throws `LOG_VKEY_INVALID` for an invalid name or a key that is not 32 bytes.
 */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  return formatKey(name, SIGNATURE_TYPE_ED25519, publicKey)
}

/**
 * The verifier key `name+hex8(keyId)+base64(0x04 ‖ publicKey)` of an Ed25519 witness
 * (tlog-cosignature). Throws `LOG_VKEY_INVALID` for an invalid name or key.
 */
export function formatWitnessVerifierKey(name: string, publicKey: Uint8Array): string {
  return formatKey(name, SIGNATURE_TYPE_COSIGNATURE, publicKey)
}

const HEX8 = /^[0-9a-f]{8}$/

/**
 * Parses a verifier key of signature type 0x01 (Ed25519) or 0x04 (Ed25519 cosignature).
 * Throws `LOG_VKEY_INVALID` unless the name is valid, the key ID is eight lowercase hex digits
 * matching the key, the base64 is canonical, and the key is a 32-byte key of a known type.
 */
export function parseVerifierKey(vkey: string): VerifierKey {
  if (typeof vkey !== 'string') throw new TlogError('LOG_VKEY_INVALID', 'verifier key not a string')
  // Names and key IDs hold no '+', but base64 may: split at the first two only.
  const first = vkey.indexOf('+')
  const second = vkey.indexOf('+', first + 1)
  if (first < 0 || second < 0) {
    throw new TlogError('LOG_VKEY_INVALID', 'a verifier key is name+keyid+key')
  }
  const name = vkey.slice(0, first)
  const hex = vkey.slice(first + 1, second)
  const b64 = vkey.slice(second + 1)
  if (!isValidKeyName(name)) throw new TlogError('LOG_VKEY_INVALID', 'invalid key name')
  if (!HEX8.test(hex)) throw new TlogError('LOG_VKEY_INVALID', 'key ID is not 8 hex digits')
  const material = decodeBase64(b64)
  if (material === undefined || material.length < 1) {
    throw new TlogError('LOG_VKEY_INVALID', 'key material is not base64')
  }
  const type = material[0] as number
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE) {
    throw new TlogError('LOG_VKEY_INVALID', `unsupported signature type 0x${type.toString(16)}`)
  }
  const publicKey = material.slice(1)
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new TlogError('LOG_VKEY_INVALID', 'an Ed25519 public key is 32 bytes')
  }
  const keyId = Number.parseInt(hex, 16)
  if (keyId !== noteKeyId(name, type, publicKey)) {
    throw new TlogError('LOG_VKEY_INVALID', 'key ID does not match the key')
  }
  return { name, keyId, type, publicKey }
}
