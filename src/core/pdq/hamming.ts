import { PDQ_PACKED_WORDS, packPdqHash } from './hash-format.js'
import { popcount32 } from './popcount.js'

const scratchA = new Uint32Array(PDQ_PACKED_WORDS)
const scratchB = new Uint32Array(PDQ_PACKED_WORDS)

/**
 * Hamming distance (0..256) between two packed hashes, `a[aOffset..+8)` and `b[bOffset..+8)`.
 * The caller guarantees both ranges lie inside their buffers.
 */
export function hammingDistancePacked(
  a: Uint32Array,
  aOffset: number,
  b: Uint32Array,
  bOffset: number,
): number {
  let d = 0
  for (let k = 0; k < PDQ_PACKED_WORDS; k++) {
    d += popcount32((a[aOffset + k] as number) ^ (b[bOffset + k] as number))
  }
  return d
}

/**
 * Hamming distance (0..256) between two hashes in text form; case is ignored.
 * Throws `PdqError('PDQ_INVALID_HASH')` when either is not 64 hex digits.
 */
export function hammingDistance(a: string, b: string): number {
  packPdqHash(a, scratchA)
  packPdqHash(b, scratchB)
  return hammingDistancePacked(scratchA, 0, scratchB, 0)
}
