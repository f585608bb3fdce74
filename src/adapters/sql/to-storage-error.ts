import { StorageError } from '../../app/storage-error.js'
import type { DialectTraits } from './dialect-traits.js'

/**
 * Wraps a driver error as a `StorageError` with the original as `cause`: `STORAGE_CONFLICT` for a
 * unique violation, `STORAGE_FAILURE` otherwise. A `StorageError` passes through unchanged. The
 * message names the operation, never the driver's text, which can carry row values.
 */
export function toStorageError(traits: DialectTraits, error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error
  if (traits.isUniqueViolation(error)) {
    return new StorageError('STORAGE_CONFLICT', `${what}: a unique key already exists`, {
      cause: error,
    })
  }
  if (traits.isForeignKeyViolation(error)) {
    return new StorageError('STORAGE_FAILURE', `${what}: a referenced row does not exist`, {
      cause: error,
    })
  }
  return new StorageError('STORAGE_FAILURE', `${what} failed`, { cause: error })
}
