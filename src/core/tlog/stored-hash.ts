import type { Hash } from './hash.js'
import { HASH_SIZE, nodeHash } from './hash.js'
import { TlogError } from './tlog-error.js'
import { checkIndex, checkSize, MAX_TREE_SIZE, trailingZeros } from './tree-bounds.js'

/**
 * Reads stored hashes by stored-hash index, synchronously. It must return exactly one 32-byte
 * hash per requested index, in request order. Storage is async, so callers prefetch the indexes
 * that the `*Indexes` planners name and pass a map-backed reader.
 */
export type HashReader = (indexes: readonly number[]) => readonly Hash[]

// Stored-hash layout of Go's sumdb/tlog (Crosby and Wallach §3.3): the hashes of all complete
// subtrees in one dense sequence, where record n's leaf hash is followed by the hashes of the
// subtrees it completes.

/**
 * The stored-hash index of the complete subtree at `level` (0 = leaves) numbered `n` within its
 * level, i.e. covering records `[n·2^level, (n+1)·2^level)`.
 * Throws `LOG_INDEX_OUT_OF_RANGE` if the subtree lies beyond {@link MAX_TREE_SIZE}.
 */
export function storedHashIndex(level: number, n: number): number {
  if (
    !Number.isSafeInteger(level) ||
    level < 0 ||
    level > 52 ||
    !Number.isSafeInteger(n) ||
    n < 0 ||
    (n + 1) * 2 ** level > MAX_TREE_SIZE
  ) {
    throw new TlogError('LOG_INDEX_OUT_OF_RANGE', `no stored hash at level ${level}, n ${n}`)
  }
  // Level L's n-th hash is written right after level L+1's (2n+1)-th hash.
  const m = (n + 1) * 2 ** level - 1
  // Level 0's m-th hash is at m + ⌊m/2⌋ + ⌊m/4⌋ + … = 2m − popcount(m).
  return 2 * m - popcount(m) + level
}

function popcount(x: number): number {
  const high = Math.floor(x / 2 ** 32)
  return popcount32(high) + popcount32(x >>> 0)
}

function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

/**
 * The inverse of {@link storedHashIndex}.
 * Throws `LOG_INDEX_OUT_OF_RANGE` for a negative, fractional or too large index.
 */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_STORED_HASH_COUNT) {
    throw new TlogError('LOG_INDEX_OUT_OF_RANGE', `stored-hash index ${String(index)} is invalid`)
  }
  // storedHashIndex(0, n) ≤ 2n, so the record that wrote `index` is in [index/2, index/2 + log n].
  let n = Math.floor(index / 2)
  let indexN = storedHashIndex(0, n)
  for (;;) {
    // Record n+1's leaf hash follows record n's leaf hash and the subtrees record n completes.
    const next = indexN + 1 + trailingZeros(n + 1)
    if (next > index) break
    n++
    indexN = next
  }
  const level = index - indexN
  return { level, n: Math.floor(n / 2 ** level) }
}

// storedHashCount(2^52) = 2·2^52 − 1 + 52: see storedHashCount.
const MAX_STORED_HASH_COUNT = 2 * MAX_TREE_SIZE - 1 + 52

/**
 * The number of stored hashes a tree of `size` records holds.
 * Throws `LOG_SIZE_INVALID` for a size outside `[0, 2^52]`.
 */
export function storedHashCount(size: number): number {
  checkSize(size)
  if (size === 0) return 0
  // Everything up to the last leaf hash, then the subtrees that leaf completes.
  return storedHashIndex(0, size - 1) + 1 + trailingZeros(size)
}

/**
 * The stored-hash indexes that {@link storedHashesForRecord} reads for record `n`, ascending.
 * Throws `LOG_INDEX_OUT_OF_RANGE` for an invalid record number.
 */
export function storedHashesForRecordIndexes(n: number): number[] {
  checkIndex(n, MAX_TREE_SIZE, 'record')
  // Each trailing 1 bit of n completes a subtree and consumes its left sibling.
  const m = trailingZeros(n + 1)
  const indexes = new Array<number>(m)
  for (let i = 0; i < m; i++) {
    indexes[m - 1 - i] = storedHashIndex(i, Math.floor(n / 2 ** i) - 1)
  }
  return indexes
}

/**
 * The hashes to append to storage, starting at `storedHashIndex(0, n)`, when writing record `n`
 * whose leaf hash is `leaf`: the leaf hash and then the hash of every subtree it completes.
 * Throws `LOG_INDEX_OUT_OF_RANGE` for an invalid `n`, `LOG_HASH_READ_FAILED` for a bad reader.
 */
export function storedHashesForRecord(n: number, leaf: Hash, read: HashReader): Hash[] {
  const indexes = storedHashesForRecordIndexes(n)
  const old = readHashes(read, indexes)
  const hashes: Hash[] = [leaf]
  let h = leaf
  const m = indexes.length
  for (let i = 0; i < m; i++) {
    h = nodeHash(old[m - 1 - i] as Hash, h)
    hashes.push(h)
  }
  return hashes
}

/** Calls `read` and checks it answered one 32-byte hash per index. */
export function readHashes(read: HashReader, indexes: readonly number[]): readonly Hash[] {
  if (indexes.length === 0) return []
  const hashes = read(indexes)
  if (hashes.length !== indexes.length) {
    throw new TlogError(
      'LOG_HASH_READ_FAILED',
      `hash reader returned ${hashes.length} hashes for ${indexes.length} indexes`,
    )
  }
  for (const h of hashes) {
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
      throw new TlogError(
        'LOG_HASH_READ_FAILED',
        'hash reader returned a hash that is not 32 bytes',
      )
    }
  }
  return hashes
}
