import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from 'jose'
import {
  GRANT_ALG,
  type GrantClaims,
  GrantError,
  parseGrantClaims,
} from '../../core/grant/index.js'

// A compact JWS: three base64url parts. Grants are never JWE or unsecured JWTs.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** True when `value` has the shape of a compact JWS (not a proof that it is a grant). */
export function looksLikeGrantToken(value: string): boolean {
  return value.length <= 8192 && COMPACT_JWS.test(value)
}

/**
 * Verifies a grant token offline against a JWK set: EdDSA only, signature by a key of the set
 * (by `kid`), not expired at `now`, with grant claims. Throws `GRANT_INVALID` otherwise.
 */
export async function verifyGrantToken(
  token: string,
  jwks: JSONWebKeySet,
  now: Date,
): Promise<{ claims: GrantClaims; kid: string }> {
  if (!looksLikeGrantToken(token)) {
    throw new GrantError('GRANT_INVALID', 'the grant token is not a compact JWS')
  }
  try {
    const keys = createLocalJWKSet(jwks)
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      algorithms: [GRANT_ALG],
      currentDate: now,
      requiredClaims: ['iss', 'sub', 'exp', 'jti'],
    })
    return {
      claims: parseGrantClaims(payload as Record<string, unknown>),
      kid: protectedHeader.kid ?? '',
    }
  } catch (cause) {
    if (cause instanceof GrantError) throw cause
    throw new GrantError('GRANT_INVALID', grantFailure(cause), { cause })
  }
}

function grantFailure(cause: unknown): string {
  if (cause instanceof errors.JWTExpired) return 'the grant token has expired'
  if (cause instanceof errors.JWKSNoMatchingKey)
    return 'the grant token was signed by an unknown key'
  if (cause instanceof errors.JWSSignatureVerificationFailed) {
    return 'the grant token signature does not verify'
  }
  return 'the grant token is not valid'
}
