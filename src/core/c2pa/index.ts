export type { CredentialErrorCode } from './credential-error.js'
export { CredentialError } from './credential-error.js'
export type {
  AssertionDefinition,
  IngredientDefinition,
  IngredientFacts,
  LicenceStance,
  ManifestDefinition,
  ManifestFacts,
  ManifestPlan,
  TrainingMiningKey,
  TrainingUse,
} from './manifest-definition.js'
export {
  buildManifestDefinition,
  TRAINING_MINING_KEYS,
  trainingUseOf,
} from './manifest-definition.js'
export { extractManifestStore } from './manifest-store-bytes.js'
export { createdSourceType, tierOfSourceType } from './tier-of-file.js'
