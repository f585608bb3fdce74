import type { Hash } from './hash.js'
import { type HashReader, storedHashesForRecord } from './stored-hash.js'

/**
 * The stored hashes of a small tree held in memory (a usage batch), built from its leaf hashes
 * in order: a reader for `treeHash` and `proveInclusion` over those leaves.
 */
export function memoryTree(leaves: readonly Hash[]): HashReader {
  const stored: Hash[] = []
  const read: HashReader = (indexes) => indexes.map((i) => stored[i] as Hash)
  for (let n = 0; n < leaves.length; n++) {
    for (const h of storedHashesForRecord(n, leaves[n] as Hash, read)) stored.push(h)
  }
  return read
}
