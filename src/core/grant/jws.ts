import { createHash } from 'node:crypto'
import { GRANT_ALG, GRANT_TYP, type GrantClaims } from './grant-claims.js'

/** A public Ed25519 JWK (RFC 8037 §2) with its RFC 7638 thumbprint as `kid`. */
export interface Ed25519Jwk {
  readonly kty: 'OKP'
  readonly crv: 'Ed25519'
  readonly x: string
  readonly kid: string
  readonly alg: 'EdDSA'
  readonly use: 'sig'
}

/** base64url without padding (RFC 7515 §2). */
export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

/**
 * RFC 7638 §3.2 thumbprint of an Ed25519 public key: SHA-256 over the required members
 * (`crv`, `kty`, `x`) in lexicographic order, no whitespace, base64url.
 */
export function ed25519Thumbprint(publicKey: Uint8Array): string {
  const canonical = `{"crv":"Ed25519","kty":"OKP","x":"${base64url(publicKey)}"}`
  return createHash('sha256').update(canonical).digest('base64url')
}

/** The public JWK of a raw 32-byte Ed25519 key. Throws `RangeError` for another length. */
export function ed25519Jwk(publicKey: Uint8Array): Ed25519Jwk {
  if (publicKey.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes')
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x: base64url(publicKey),
    kid: ed25519Thumbprint(publicKey),
    alg: 'EdDSA',
    use: 'sig',
  }
}

/**
 * Serialises and signs grant claims as a compact JWS (RFC 7515 §7.1) with header
 * `{"alg":"EdDSA","typ":"JWT","kid"}`. `sign` is an Ed25519 signature over the signing input
 * (RFC 8037 §3.1), so the token verifies with any JOSE library given the public JWK.
 */
export function signGrantToken(
  claims: GrantClaims,
  key: { readonly kid: string; sign(message: Uint8Array): Uint8Array },
): string {
  const header = { alg: GRANT_ALG, typ: GRANT_TYP, kid: key.kid }
  const encode = (v: unknown) => base64url(new TextEncoder().encode(JSON.stringify(v)))
  const signingInput = `${encode(header)}.${encode(claims)}`
  const signature = key.sign(new TextEncoder().encode(signingInput))
  return `${signingInput}.${base64url(signature)}`
}
