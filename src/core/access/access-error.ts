import { AppError } from '../shared/index.js'

export type AccessErrorCode =
  | 'AUTH_KEY_MISSING'
  | 'AUTH_KEY_INVALID'
  | 'AUTH_FORBIDDEN'
  | 'KEY_NOT_FOUND'
  | 'KEY_INPUT_INVALID'

/** Authentication or authorisation failed, or a key request is malformed. */
export class AccessError extends AppError<AccessErrorCode> {}
