import type { KeyObject } from 'node:crypto'
import { createPublicKey, verify } from 'node:crypto'

// RFC 8410 SubjectPublicKeyInfo prefix for a raw 32-byte Ed25519 public key.
const SPKI_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
])

/** The size of an Ed25519 public key in bytes. */
export const ED25519_PUBLIC_KEY_SIZE = 32

/** The size of an Ed25519 signature in bytes. */
export const ED25519_SIGNATURE_SIZE = 64

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const der = new Uint8Array(SPKI_PREFIX.length + ED25519_PUBLIC_KEY_SIZE)
  der.set(SPKI_PREFIX)
  der.set(publicKey, SPKI_PREFIX.length)
  return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
}

/**
 * Verifies an RFC 8032 Ed25519 signature. Returns false, never throws, for a malformed key or
 * signature.
 */
export function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return false
  if (signature.length !== ED25519_SIGNATURE_SIZE) return false
  try {
    return verify(null, message, publicKeyObject(publicKey), signature)
  } catch {
    return false
  }
}
