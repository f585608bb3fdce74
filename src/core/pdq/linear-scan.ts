import { PDQ_PACKED_WORDS } from './hash-format.js'
import { popcount32 } from './popcount.js'

/** A hit in a packed hash array: its position (entry number, not word offset) and distance. */
export interface PackedMatch {
  readonly index: number
  readonly distance: number
}

/**
 * Exhaustive search of packed hashes (`packPdqHash` layout, 8 words per entry, entries back to
 * back) for those within `maxDistance` of the packed `query` (8 words). Returns every match,
 * sorted by distance then index; a negative `maxDistance` matches nothing. This is the
 * baseline `MihIndex` must agree with. Throws `RangeError` when `hashes.length` is not a
 * multiple of 8 or `query` is shorter than 8 words.
 */
export function linearScan(
  hashes: Uint32Array,
  query: Uint32Array,
  maxDistance: number,
): PackedMatch[] {
  if (hashes.length % PDQ_PACKED_WORDS !== 0) {
    throw new RangeError('packed hashes come in groups of 8 words')
  }
  if (query.length < PDQ_PACKED_WORDS) throw new RangeError('a packed query has 8 words')
  const out: PackedMatch[] = []
  if (!(maxDistance >= 0)) return out
  const q0 = query[0] as number
  const q1 = query[1] as number
  const q2 = query[2] as number
  const q3 = query[3] as number
  const q4 = query[4] as number
  const q5 = query[5] as number
  const q6 = query[6] as number
  const q7 = query[7] as number
  const n = hashes.length
  // A local, not the imported constant: where a loader compiles modules to CommonJS (tsx does,
  // for a CommonJS caller) an import is a getter on an object, and reading it per iteration
  // was seen to leave this loop twice as slow, depending on what ran before.
  const stride = PDQ_PACKED_WORDS
  for (let at = 0; at < n; at += stride) {
    // Unrolled, with an early exit once half the words already exceed the bound.
    let d =
      popcount32((hashes[at] as number) ^ q0) +
      popcount32((hashes[at + 1] as number) ^ q1) +
      popcount32((hashes[at + 2] as number) ^ q2) +
      popcount32((hashes[at + 3] as number) ^ q3)
    if (d > maxDistance) continue
    d +=
      popcount32((hashes[at + 4] as number) ^ q4) +
      popcount32((hashes[at + 5] as number) ^ q5) +
      popcount32((hashes[at + 6] as number) ^ q6) +
      popcount32((hashes[at + 7] as number) ^ q7)
    if (d <= maxDistance) out.push({ index: at / stride, distance: d })
  }
  out.sort((a, b) => a.distance - b.distance || a.index - b.index)
  return out
}
