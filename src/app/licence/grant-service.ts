import { decodeJwt, type JSONWebKeySet } from 'jose'
import {
  type Ed25519Jwk,
  ed25519Jwk,
  ed25519Thumbprint,
  type GrantClaims,
  GrantError,
  signGrantToken,
  studioOfIssuer,
} from '../../core/grant/index.js'
import type { KeyRing } from '../key-ring.js'
import type { Clock } from '../ports.js'
import { verifyGrantToken } from './grant-verify.js'

/** A JWK set of a studio's grant keys (RFC 7517 §5). */
export interface GrantJwks {
  readonly keys: readonly Ed25519Jwk[]
}

/**
 * Grant tokens: signs them with the studio's active grant key (EdDSA, `kid` the key's RFC 7638
 * thumbprint) and verifies them against the studio's published keys.
 */
export class GrantService {
  constructor(private readonly deps: { keyRing: KeyRing; clock: Clock }) {}

  /** The studio's grant public keys as a JWK set; creates the first key if there is none. */
  async jwks(studioId: string): Promise<GrantJwks> {
    await this.deps.keyRing.signer(studioId, 'grant')
    const keys = await this.deps.keyRing.publicKeys(studioId, 'grant')
    return { keys: keys.map((k) => ed25519Jwk(k.publicKey)) }
  }

  /** Signs `claims` with the studio's active grant key. */
  async sign(studioId: string, claims: GrantClaims): Promise<string> {
    const signer = await this.deps.keyRing.signer(studioId, 'grant')
    return signGrantToken(claims, {
      kid: ed25519Thumbprint(signer.publicKey),
      sign: (m) => signer.sign(m),
    })
  }

  /**
   * Verifies a token issued by one of this instance's studios: the studio is read from `iss`,
   * then the signature is checked against that studio's keys, and the expiry against the clock.
   * Throws `GRANT_INVALID` for anything else, including a token naming another issuer.
   */
  async verify(token: string): Promise<GrantClaims & { readonly studioId: string }> {
    let iss: unknown
    try {
      iss = decodeJwt(token).iss
    } catch (cause) {
      throw new GrantError('GRANT_INVALID', 'the grant token cannot be decoded', { cause })
    }
    const studioId = typeof iss === 'string' ? studioOfIssuer(iss) : null
    if (studioId === null)
      throw new GrantError('GRANT_INVALID', 'the grant token has no known issuer')
    const keys = await this.deps.keyRing.publicKeys(studioId, 'grant')
    const jwks: JSONWebKeySet = { keys: keys.map((k) => ({ ...ed25519Jwk(k.publicKey) })) }
    const { claims } = await verifyGrantToken(token, jwks, new Date(this.deps.clock.nowIso()))
    if (claims.iss !== iss) throw new GrantError('GRANT_INVALID', 'the grant token issuer changed')
    return { ...claims, studioId }
  }
}
