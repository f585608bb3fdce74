import { createPrivateKey, sign } from 'node:crypto'
import { calculateJwkThumbprint, compactVerify, importJWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { parseGrantClaims } from './grant-claims.js'
import { ed25519Jwk, ed25519Thumbprint, signGrantToken } from './jws.js'

// RFC 8037 Appendix A.1–A.3: the example Ed25519 key and its RFC 7638 thumbprint.
const RFC8037_D = 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A'
const RFC8037_X = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'
const RFC8037_KID = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k'

const raw = new Uint8Array(Buffer.from(RFC8037_X, 'base64url'))
const privateKey = createPrivateKey({
  key: { kty: 'OKP', crv: 'Ed25519', d: RFC8037_D, x: RFC8037_X },
  format: 'jwk',
})

const claims = {
  iss: 'urn:selvedge:studio:std_1',
  sub: 'https://buyer.example/a',
  agreement: 'urn:selvedge:agreement:agr_1',
  assets: ['ast_1'],
  actions: ['http://www.w3.org/ns/odrl/2/reproduce'],
  units: 500,
  iat: 1_700_000_000,
  exp: 1_800_000_000,
  jti: '0123456789abcdef',
}

describe('grant JWS', () => {
  it('computes the RFC 8037 A.3 thumbprint, as jose does', async () => {
    expect(ed25519Thumbprint(raw)).toBe(RFC8037_KID)
    const jwk = ed25519Jwk(raw)
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: RFC8037_X, kid: RFC8037_KID })
    expect(await calculateJwkThumbprint(jwk)).toBe(RFC8037_KID)
  })

  it('signs a compact JWS that jose verifies, and a flipped bit that it refuses', async () => {
    const token = signGrantToken(claims, {
      kid: RFC8037_KID,
      sign: (m) => new Uint8Array(sign(null, m, privateKey)),
    })
    const key = await importJWK(ed25519Jwk(raw), 'EdDSA')
    const { payload, protectedHeader } = await compactVerify(token, key)
    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: RFC8037_KID })
    expect(parseGrantClaims(JSON.parse(new TextDecoder().decode(payload)))).toEqual(claims)
    const [h, p, s] = token.split('.') as [string, string, string]
    const sig = Buffer.from(s, 'base64url')
    sig[0] = (sig[0] as number) ^ 1
    await expect(compactVerify(`${h}.${p}.${sig.toString('base64url')}`, key)).rejects.toThrow()
  })

  it('refuses payloads without grant claims', () => {
    expect(() => parseGrantClaims({ ...claims, jti: 'xyz' })).toThrow(/grant claims/)
    expect(() => parseGrantClaims({ ...claims, units: -1 })).toThrow(/grant claims/)
    expect(parseGrantClaims({ ...claims, units: null }).units).toBeNull()
  })
})
