export type { AgreementDuty, AgreementTerms } from './agreement-document.js'
export { buildAgreementDocument } from './agreement-document.js'
export type { GrantClaims } from './grant-claims.js'
export {
  GRANT_ALG,
  GRANT_TYP,
  grantIssuer,
  parseGrantClaims,
  studioOfIssuer,
} from './grant-claims.js'
export type { GrantErrorCode } from './grant-error.js'
export { GrantError } from './grant-error.js'
export type { Ed25519Jwk } from './jws.js'
export { base64url, ed25519Jwk, ed25519Thumbprint, signGrantToken } from './jws.js'
