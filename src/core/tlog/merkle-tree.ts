import type { Hash } from './hash.js'
import { EMPTY_TREE_HASH, nodeHash } from './hash.js'
import type { HashReader } from './stored-hash.js'
import { readHashes, storedHashIndex } from './stored-hash.js'
import { TlogError } from './tlog-error.js'
import { checkIndex, checkSize, splitPoint } from './tree-bounds.js'

// Proofs are built from the stored complete-subtree hashes, as Go's sumdb/tlog builds them.
// Each `*Indexes` planner walks the same recursion as its builder, so a caller can prefetch
// exactly the hashes the builder will read. Proof order is RFC 9162 §2.1.3/§2.1.4: the hash
// nearest the leaf (or the old tree) first.

/** Appends the stored-hash indexes of the maximal complete subtrees covering `[lo, hi)`. */
function subtreeIndexes(lo: number, hi: number, need: number[]): void {
  while (lo < hi) {
    const k = splitPoint(hi - lo + 1)
    need.push(storedHashIndex(Math.log2(k), lo / k))
    lo += k
  }
}

/** The MTH of `[lo, hi)` from the hashes {@link subtreeIndexes} named, starting at `at`. */
function subtreeHash(lo: number, hi: number, hashes: readonly Hash[], at: number): Hash {
  const count = subtreeCount(lo, hi)
  let h = hashes[at + count - 1] as Hash
  for (let i = count - 2; i >= 0; i--) h = nodeHash(hashes[at + i] as Hash, h)
  return h
}

function subtreeCount(lo: number, hi: number): number {
  let count = 0
  while (lo < hi) {
    lo += splitPoint(hi - lo + 1)
    count++
  }
  return count
}

/**
 * The stored-hash indexes {@link treeHash} reads for a tree of `size` (at most 1 + log2 size).
 * Throws `LOG_SIZE_INVALID` for an invalid size.
 */
export function treeHashIndexes(size: number): number[] {
  checkSize(size)
  const need: number[] = []
  subtreeIndexes(0, size, need)
  return need
}

/**
 * The Merkle tree hash MTH(D[0:size]) (RFC 9162 §2.1.1), from stored hashes.
 * Throws `LOG_SIZE_INVALID` for an invalid size, `LOG_HASH_READ_FAILED` for a bad reader.
 */
export function treeHash(size: number, read: HashReader): Hash {
  const indexes = treeHashIndexes(size)
  if (size === 0) return EMPTY_TREE_HASH.slice()
  return subtreeHash(0, size, readHashes(read, indexes), 0)
}

function inclusionIndexes(lo: number, hi: number, n: number, need: number[]): void {
  if (lo + 1 === hi) return
  const k = splitPoint(hi - lo)
  if (n < lo + k) {
    inclusionIndexes(lo, lo + k, n, need)
    subtreeIndexes(lo + k, hi, need)
  } else {
    subtreeIndexes(lo, lo + k, need)
    inclusionIndexes(lo + k, hi, n, need)
  }
}

/** Builds the path for leaf n in `[lo, hi)` into `proof`; returns the next unread hash. */
function inclusionPath(
  lo: number,
  hi: number,
  n: number,
  hashes: readonly Hash[],
  at: number,
  proof: Hash[],
): number {
  if (lo + 1 === hi) return at
  const k = splitPoint(hi - lo)
  if (n < lo + k) {
    at = inclusionPath(lo, lo + k, n, hashes, at, proof)
    proof.push(subtreeHash(lo + k, hi, hashes, at))
    return at + subtreeCount(lo + k, hi)
  }
  const sibling = subtreeHash(lo, lo + k, hashes, at)
  at = inclusionPath(lo + k, hi, n, hashes, at + subtreeCount(lo, lo + k), proof)
  proof.push(sibling)
  return at
}

/**
 * The stored-hash indexes {@link proveInclusion} reads.
 * Throws `LOG_SIZE_INVALID` for an invalid size, `LOG_INDEX_OUT_OF_RANGE` unless index < size.
 */
export function inclusionProofIndexes(size: number, index: number): number[] {
  checkSize(size)
  checkIndex(index, size)
  const need: number[] = []
  inclusionIndexes(0, size, index, need)
  return need
}

/**
 * The inclusion proof (audit path, RFC 9162 §2.1.3.1) of entry `index` in the tree of `size`.
 * Throws `LOG_SIZE_INVALID`, `LOG_INDEX_OUT_OF_RANGE` or `LOG_HASH_READ_FAILED`.
 */
export function proveInclusion(size: number, index: number, read: HashReader): Hash[] {
  const indexes = inclusionProofIndexes(size, index)
  const hashes = readHashes(read, indexes)
  const proof: Hash[] = []
  inclusionPath(0, size, index, hashes, 0, proof)
  return proof
}

function consistencyIndexes(lo: number, hi: number, m: number, need: number[]): void {
  if (m === hi) {
    if (lo !== 0) subtreeIndexes(lo, hi, need)
    return
  }
  const k = splitPoint(hi - lo)
  if (m <= lo + k) {
    consistencyIndexes(lo, lo + k, m, need)
    subtreeIndexes(lo + k, hi, need)
  } else {
    subtreeIndexes(lo, lo + k, need)
    consistencyIndexes(lo + k, hi, m, need)
  }
}

function consistencyPath(
  lo: number,
  hi: number,
  m: number,
  hashes: readonly Hash[],
  at: number,
  proof: Hash[],
): number {
  if (m === hi) {
    // RFC 9162 §2.1.4.1 SUBPROOF(m, D[m], true) is empty: the verifier knows the old root.
    if (lo === 0) return at
    proof.push(subtreeHash(lo, hi, hashes, at))
    return at + subtreeCount(lo, hi)
  }
  const k = splitPoint(hi - lo)
  if (m <= lo + k) {
    at = consistencyPath(lo, lo + k, m, hashes, at, proof)
    proof.push(subtreeHash(lo + k, hi, hashes, at))
    return at + subtreeCount(lo + k, hi)
  }
  const sibling = subtreeHash(lo, lo + k, hashes, at)
  at = consistencyPath(lo + k, hi, m, hashes, at + subtreeCount(lo, lo + k), proof)
  proof.push(sibling)
  return at
}

/**
 * The stored-hash indexes {@link proveConsistency} reads.
 * Throws `LOG_SIZE_INVALID` for invalid sizes or `oldSize > newSize`.
 */
export function consistencyProofIndexes(newSize: number, oldSize: number): number[] {
  checkSize(newSize, 'new size')
  checkSize(oldSize, 'old size')
  if (oldSize > newSize) {
    throw new TlogError('LOG_SIZE_INVALID', `old size ${oldSize} exceeds new size ${newSize}`)
  }
  const need: number[] = []
  if (oldSize > 0 && oldSize < newSize) consistencyIndexes(0, newSize, oldSize, need)
  return need
}

/**
 * The consistency proof (RFC 9162 §2.1.4.1) that the tree of `oldSize` is a prefix of the tree
 * of `newSize`. It is empty when `oldSize` is 0 or equals `newSize`.
 * Throws `LOG_SIZE_INVALID` for invalid sizes or `oldSize > newSize`, `LOG_HASH_READ_FAILED`.
 */
export function proveConsistency(newSize: number, oldSize: number, read: HashReader): Hash[] {
  const indexes = consistencyProofIndexes(newSize, oldSize)
  if (indexes.length === 0) return []
  const hashes = readHashes(read, indexes)
  const proof: Hash[] = []
  consistencyPath(0, newSize, oldSize, hashes, 0, proof)
  return proof
}
