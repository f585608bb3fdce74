export { canonicalJson, canonicalJsonBytes } from './canonical-json.js'
export type { CanonicalJsonErrorCode } from './canonical-json-error.js'
export { CanonicalJsonError } from './canonical-json-error.js'
