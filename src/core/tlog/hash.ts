import { hash as digest } from 'node:crypto'
import { TlogError } from './tlog-error.js'

/** A SHA-256 Merkle tree hash: always 32 bytes. */
export type Hash = Uint8Array

/** The size of a {@link Hash} in bytes. */
export const HASH_SIZE = 32

// RFC 9162 §2.1.1: distinct prefixes stop a leaf posing as an interior node.
const LEAF_PREFIX = 0x00
const NODE_PREFIX = 0x01

// One scratch buffer for node hashing: the core is synchronous, so no call can interleave.
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE)
nodeInput[0] = NODE_PREFIX

/** The hash of the empty tree, `SHA-256("")` (RFC 9162 §2.1.1). Do not mutate. */
export const EMPTY_TREE_HASH: Hash = Uint8Array.from(digest('sha256', new Uint8Array(0), 'buffer'))

/** The leaf hash `SHA-256(0x00 ‖ entry)` of a log entry (RFC 9162 §2.1.1). */
export function leafHash(entry: Uint8Array): Hash {
  const input = new Uint8Array(1 + entry.length)
  input[0] = LEAF_PREFIX
  input.set(entry, 1)
  return plain(digest('sha256', input, 'buffer'))
}

/**
 * The interior node hash `SHA-256(0x01 ‖ left ‖ right)` (RFC 9162 §2.1.1).
 * Throws `LOG_PROOF_INVALID` unless both hashes are 32 bytes.
 */
export function nodeHash(left: Hash, right: Hash): Hash {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new TlogError('LOG_PROOF_INVALID', 'node hash inputs must be 32-byte hashes')
  }
  return plain(nodeDigest(left, right))
}

/**
 * {@link nodeHash} without the length check or the re-wrap of its Buffer, for verification
 * loops whose callers checked every input (internal to the tlog module).
 */
export function nodeDigest(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1)
  nodeInput.set(right, 1 + HASH_SIZE)
  return digest('sha256', nodeInput, 'buffer')
}

// Hashes are plain Uint8Arrays: a Buffer's `slice` returns a view, which would let a caller's
// "copy" write through into a stored hash.
function plain(b: Uint8Array): Hash {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/** Whether two hashes hold the same bytes (not constant-time: hashes here are public). */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Whether `h` is a 32-byte hash. */
export function isHash(h: unknown): h is Hash {
  return h instanceof Uint8Array && h.length === HASH_SIZE
}
