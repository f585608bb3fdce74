import { AppError } from '../core/shared/index.js'

export type StorageErrorCode = 'STORAGE_CONFLICT' | 'STORAGE_FAILURE'

/**
 * A storage adapter failed. `STORAGE_CONFLICT` for a unique-constraint violation, otherwise
 * `STORAGE_FAILURE`; the driver's error is the `cause` and never reaches a response.
 */
export class StorageError extends AppError<StorageErrorCode> {}
