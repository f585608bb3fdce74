import { createCipheriv, createDecipheriv } from 'node:crypto'

const NONCE_BYTES = 12
const TAG_BYTES = 16

/**
 * Private keys at rest: AES-256-GCM under the instance master key, stored as base64 of
 * `nonce ‖ ciphertext ‖ tag`. The associated data binds a sealed key to its record (its id and
 * what it is for), so a sealed blob copied onto another record does not open.
 */
export function sealSecret(
  masterKey: Uint8Array,
  nonce: Uint8Array,
  associatedData: string,
  plaintext: Uint8Array,
): string {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`a nonce is ${NONCE_BYTES} bytes`)
  const cipher = createCipheriv('aes-256-gcm', masterKey, nonce)
  cipher.setAAD(Buffer.from(associatedData))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')
}

/** Opens what {@link sealSecret} sealed; throws when the key, data or blob do not match. */
export function unsealSecret(
  masterKey: Uint8Array,
  associatedData: string,
  sealed: string,
): Buffer {
  const bytes = Buffer.from(sealed, 'base64')
  const nonce = bytes.subarray(0, NONCE_BYTES)
  const tag = bytes.subarray(bytes.length - TAG_BYTES)
  const body = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', masterKey, nonce)
  decipher.setAAD(Buffer.from(associatedData))
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(body), decipher.final()])
}

/** Bytes of nonce {@link sealSecret} takes. */
export const SEAL_NONCE_BYTES = NONCE_BYTES
