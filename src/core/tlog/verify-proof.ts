import type { Hash } from './hash.js'
import { EMPTY_TREE_HASH, HASH_SIZE, hashesEqual, isHash, nodeDigest } from './hash.js'
import { MAX_TREE_SIZE } from './tree-bounds.js'

// Shifts are done with arithmetic, not `>>`, so that sizes above 2^31 stay exact.

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_TREE_SIZE
}

function isPowerOfTwo(n: number): boolean {
  while (n % 2 === 0) n /= 2
  return n === 1
}

function allHashes(proof: readonly Hash[]): boolean {
  for (let i = 0; i < proof.length; i++) {
    const p = proof[i]
    if (!(p instanceof Uint8Array) || p.length !== HASH_SIZE) return false
  }
  return true
}

/**
 * Verifies an inclusion proof with the algorithm of RFC 9162 §2.1.3.2: that `leaf` is the leaf
 * hash at `index` in the tree of `size` whose root is `root`.
 * Returns false, never throws, for any malformed input (bad index, size, proof length or hash).
 */
export function verifyInclusion(
  leaf: Hash,
  index: number,
  size: number,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (!isSize(size) || !Number.isSafeInteger(index) || index < 0 || index >= size) return false
  if (!isHash(leaf) || !isHash(root) || !Array.isArray(proof) || !allHashes(proof)) return false
  let fn = index
  let sn = size - 1
  let r: Uint8Array = leaf
  for (let i = 0; i < proof.length; i++) {
    const p = proof[i] as Hash
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = nodeDigest(p, r)
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2
        sn = Math.floor(sn / 2)
      }
    } else {
      r = nodeDigest(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && hashesEqual(r, root)
}

/**
 * Verifies a consistency proof with the algorithm of RFC 9162 §2.1.4.2: that the tree of
 * `oldSize` with root `oldRoot` is a prefix of the tree of `newSize` with root `newRoot`.
 * Equal sizes need an empty proof and equal roots; an old size of 0 needs an empty proof and
 * `oldRoot` equal to {@link EMPTY_TREE_HASH}.
 * Returns false, never throws, for any malformed input (old > new, bad sizes or hashes).
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Hash,
  newRoot: Hash,
  proof: readonly Hash[],
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false
  if (!isHash(oldRoot) || !isHash(newRoot) || !Array.isArray(proof) || !allHashes(proof)) {
    return false
  }
  if (oldSize === 0) return proof.length === 0 && hashesEqual(oldRoot, EMPTY_TREE_HASH)
  if (oldSize === newSize) return proof.length === 0 && hashesEqual(oldRoot, newRoot)
  // Step 1: an empty path proves nothing between distinct non-empty trees.
  if (proof.length === 0) return false
  // Step 2: when the old tree is a complete subtree, its root is the path's implicit first node.
  const oldIsComplete = isPowerOfTwo(oldSize)
  let start = 0
  let fn = oldSize - 1
  let sn = newSize - 1
  // Step 4.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  // Step 5.
  let fr: Uint8Array
  if (oldIsComplete) {
    fr = oldRoot
  } else {
    fr = proof[0] as Hash
    start = 1
  }
  let sr = fr
  // Step 6.
  for (let i = start; i < proof.length; i++) {
    const c = proof[i] as Hash
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeDigest(c, fr)
      sr = nodeDigest(c, sr)
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2
        sn = Math.floor(sn / 2)
      }
    } else {
      sr = nodeDigest(sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  // Step 7.
  return sn === 0 && hashesEqual(fr, oldRoot) && hashesEqual(sr, newRoot)
}
