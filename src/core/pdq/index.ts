export type { DihedralName } from './dihedral.js'
export { DIHEDRAL_NAMES } from './dihedral.js'
export { hammingDistance, hammingDistancePacked } from './hamming.js'
export {
  formatPdqHash,
  PDQ_HEX_LENGTH,
  PDQ_PACKED_WORDS,
  packPdqHash,
  pdqHashBits,
  unpackPdqHash,
} from './hash-format.js'
export type { PackedMatch } from './linear-scan.js'
export { linearScan } from './linear-scan.js'
export type { MihIndexOptions, MihMatch, MihSearchStrategy } from './mih-index.js'
export { MihIndex } from './mih-index.js'
export type { PdqErrorCode } from './pdq-error.js'
export { PdqError } from './pdq-error.js'
export type { PdqDihedralResult, PdqResult } from './pdq-hash.js'
export { PDQ_MIN_DIMENSION, pdqHash, pdqHashDihedral } from './pdq-hash.js'
export { popcount32 } from './popcount.js'
