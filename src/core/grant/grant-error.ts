import { AppError } from '../shared/index.js'

export type GrantErrorCode = 'GRANT_INVALID' | 'GRANT_NOT_COVERED'

/**
 * A grant token was refused: malformed, forged, expired or signed by an unknown key
 * (`GRANT_INVALID`), or valid but not covering what was asked, such as another asset
 * (`GRANT_NOT_COVERED`).
 */
export class GrantError extends AppError<GrantErrorCode> {}
