import type { ErrorCode } from '../http/errors.js'

/** Exit status for a usage error (unknown command or flag, missing argument). */
export const EXIT_USAGE = 2

/**
 * Exit status per error code, grouped so that scripts can branch on the kind of failure:
 * 3 not found, 4 invalid input, 5 rejected image, 6 authentication or permission,
 * 7 storage, 1 anything else.
 */
export const EXIT_CODES: Record<ErrorCode, number> = {
  ASSET_NOT_FOUND: 3,
  ASSET_VERSION_NOT_FOUND: 3,
  KEY_NOT_FOUND: 3,
  ROUTE_NOT_FOUND: 3,
  ASSET_METADATA_INVALID: 4,
  ASSET_LINEAGE_INVALID: 4,
  ASSET_QUERY_INVALID: 4,
  ASSET_FILE_IN_USE: 4,
  KEY_INPUT_INVALID: 4,
  REQUEST_INVALID: 4,
  REQUEST_TOO_LARGE: 4,
  FILE_UNREADABLE: 4,
  IMAGE_UNREADABLE: 5,
  IMAGE_UNSUPPORTED_TYPE: 5,
  IMAGE_TOO_LARGE: 5,
  AUTH_KEY_MISSING: 6,
  AUTH_KEY_INVALID: 6,
  AUTH_FORBIDDEN: 6,
  STUDIO_NOT_INITIALISED: 6,
  COLOUR_INVALID_HEX: 4,
  COLOUR_INVALID_MAPPING: 4,
  COLOUR_INVALID_OPTIONS: 4,
  PDQ_INVALID_HASH: 4,
  PDQ_INVALID_IMAGE: 1,
  STORAGE_CONFLICT: 7,
  STORAGE_FAILURE: 7,
  INTERNAL: 1,
}
