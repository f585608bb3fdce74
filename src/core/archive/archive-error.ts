import { AppError } from '../shared/index.js'

export type ArchiveErrorCode =
  | 'ASSET_NOT_FOUND'
  | 'ASSET_VERSION_NOT_FOUND'
  | 'ASSET_METADATA_INVALID'
  | 'ASSET_LINEAGE_INVALID'
  | 'ASSET_QUERY_INVALID'
  | 'ASSET_FILE_IN_USE'
  | 'STUDIO_NOT_INITIALISED'

/** A pattern-archive request that cannot be carried out. */
export class ArchiveError extends AppError<ArchiveErrorCode> {}
