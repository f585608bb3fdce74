import { GrantError } from './grant-error.js'

/** The claims of a grant token (a JWT signed with EdDSA). */
export interface GrantClaims {
  /** The issuing studio, `urn:selvedge:studio:<id>`. */
  readonly iss: string
  /** The assignee's party IRI. */
  readonly sub: string
  /** The agreement's IRI. */
  readonly agreement: string
  /** The asset ids covered. */
  readonly assets: readonly string[]
  /** The action IRIs granted. */
  readonly actions: readonly string[]
  /** Units granted; null when the agreement names none. */
  readonly units: number | null
  /** Issued at, seconds since the epoch. */
  readonly iat: number
  /** Expiry, seconds since the epoch. */
  readonly exp: number
  /** The 64-bit grant id, 16 lower-case hex digits. */
  readonly jti: string
}

/** Algorithm and header of every grant token: EdDSA with an Ed25519 key (RFC 8037). */
export const GRANT_ALG = 'EdDSA'
export const GRANT_TYP = 'JWT'

const JTI = /^[0-9a-f]{16}$/

/** The issuer IRI of a studio's grants. */
export function grantIssuer(studioId: string): string {
  return `urn:selvedge:studio:${studioId}`
}

/** The studio id named by a grant issuer, or null when it is not one of ours. */
export function studioOfIssuer(iss: string): string | null {
  const m = /^urn:selvedge:studio:([A-Za-z0-9_-]{1,100})$/.exec(iss)
  return m?.[1] ?? null
}

/**
 * Checks that a verified payload has the grant claim shapes; throws `GRANT_INVALID` otherwise.
 * (Signature and expiry are checked before this, by the verifier.)
 */
export function parseGrantClaims(payload: Readonly<Record<string, unknown>>): GrantClaims {
  const p = payload
  const strings = (v: unknown): v is string[] =>
    Array.isArray(v) && v.every((s) => typeof s === 'string')
  const ok =
    typeof p['iss'] === 'string' &&
    typeof p['sub'] === 'string' &&
    typeof p['agreement'] === 'string' &&
    strings(p['assets']) &&
    strings(p['actions']) &&
    (p['units'] === null || (Number.isSafeInteger(p['units']) && (p['units'] as number) >= 0)) &&
    Number.isSafeInteger(p['iat']) &&
    Number.isSafeInteger(p['exp']) &&
    typeof p['jti'] === 'string' &&
    JTI.test(p['jti'])
  if (!ok) throw new GrantError('GRANT_INVALID', 'the grant token does not carry grant claims')
  return {
    iss: p['iss'] as string,
    sub: p['sub'] as string,
    agreement: p['agreement'] as string,
    assets: p['assets'] as string[],
    actions: p['actions'] as string[],
    units: p['units'] as number | null,
    iat: p['iat'] as number,
    exp: p['exp'] as number,
    jti: p['jti'] as string,
  }
}
