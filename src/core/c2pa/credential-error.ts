import { AppError } from '../shared/index.js'

export type CredentialErrorCode = 'CREDENTIAL_IMPORT_INVALID' | 'CREDENTIAL_TRUST_INVALID'

/**
 * Content Credentials refused: a certificate chain or private key given to import that cannot
 * sign C2PA claims (`CREDENTIAL_IMPORT_INVALID`, the message says why), or trust anchors that
 * are not PEM certificates (`CREDENTIAL_TRUST_INVALID`).
 */
export class CredentialError extends AppError<CredentialErrorCode> {}
