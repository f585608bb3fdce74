export type { ArchiveErrorCode } from './archive-error.js'
export { ArchiveError } from './archive-error.js'
export type { MetadataInput } from './metadata-input.js'
export { parseMetadataInput, pixelsToCm, resolveShares } from './metadata-input.js'
export type {
  AnalysisFacts,
  ApiKeyRecord,
  Asset,
  AssetMetadata,
  AssetVersion,
  Collection,
  ConstructionSpec,
  Designer,
  DesignerShare,
  LineageLink,
  LineageRelation,
  PaletteColour,
  PrintSpec,
  RepeatSpec,
  RepeatType,
  Role,
  Studio,
  Visibility,
} from './types.js'
export { LINEAGE_RELATIONS, REPEAT_TYPES, ROLES } from './types.js'
