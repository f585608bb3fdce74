import { createPrng } from '../../src/core/colour/index.js'
import { PDQ_PACKED_WORDS, popcount32, unpackPdqHash } from '../../src/core/pdq/index.js'

/** `count` uniformly random packed hashes (8 words each) from `seed`. */
export function randomHashes(count: number, seed: number): Uint32Array {
  const rng = createPrng(seed)
  const out = new Uint32Array(count * PDQ_PACKED_WORDS)
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rng() * 0x1_0000_0000)
  return out
}

/** A benchmark query, packed and as text, and how it was made. */
export interface BenchQuery {
  readonly kind: 'near' | 'random'
  readonly packed: Uint32Array
  readonly hex: string
}

/**
 * `count` queries from `seed`, alternating: a stored hash with 0..31 distinct random bits
 * flipped (so it matches at least that entry), and a fresh random hash (which almost surely
 * matches nothing at distance 31).
 */
export function makeQueries(stored: Uint32Array, count: number, seed: number): BenchQuery[] {
  const rng = createPrng(seed)
  const entries = stored.length / PDQ_PACKED_WORDS
  const queries: BenchQuery[] = []
  for (let i = 0; i < count; i++) {
    const packed = new Uint32Array(PDQ_PACKED_WORDS)
    if (i % 2 === 0) {
      const e = Math.floor(rng() * entries)
      packed.set(stored.subarray(e * PDQ_PACKED_WORDS, (e + 1) * PDQ_PACKED_WORDS))
      const flips = new Set<number>()
      const k = Math.floor(rng() * 32)
      while (flips.size < k) flips.add(Math.floor(rng() * 256))
      for (const bit of flips) packed[bit >> 5] = (packed[bit >> 5] as number) ^ (1 << (bit & 31))
    } else {
      for (let k = 0; k < PDQ_PACKED_WORDS; k++) packed[k] = Math.floor(rng() * 0x1_0000_0000)
    }
    queries.push({ kind: i % 2 === 0 ? 'near' : 'random', packed, hex: unpackPdqHash(packed) })
  }
  return queries
}

/** Work a `MihIndex` probe does for one query, counted by brute force over the entries. */
export interface ProbeWork {
  /** (entry, slot) pairs whose slot lies within the probe radius: records read. */
  readonly candidates: number
  /** Candidates whose slot bits plus carried 96 bits stay within the limit: hashes read. */
  readonly survivors: number
}

/**
 * Counts what `MihIndex` reads for `query` at `maxDistance`: a model of its probe, not the
 * index itself (it keeps no counters). It mirrors the index's layout: 16 slots of 16 bits,
 * radius `floor(d / 16)`, and for the slots in packed word `w` records carrying words
 * `w + 1`, `w + 3` and `w + 5` (mod 8). Entries matched through several slots count once per
 * slot, as the index reads them.
 */
export function countProbeWork(
  stored: Uint32Array,
  query: Uint32Array,
  maxDistance: number,
): ProbeWork {
  const radius = Math.floor(maxDistance / 16)
  let candidates = 0
  let survivors = 0
  for (let at = 0; at < stored.length; at += PDQ_PACKED_WORDS) {
    for (let w = 0; w < PDQ_PACKED_WORDS; w++) {
      const x = (stored[at + w] as number) ^ (query[w] as number)
      const low = popcount32(x & 0xffff)
      const high = popcount32(x >>> 16)
      if (low > radius && high > radius) continue
      let tagDistance = 0
      for (let t = 1; t <= 5; t += 2) {
        const u = (w + t) & 7
        tagDistance += popcount32((stored[at + u] as number) ^ (query[u] as number))
      }
      for (const slotDistance of [low, high]) {
        if (slotDistance > radius) continue
        candidates++
        if (slotDistance + tagDistance <= maxDistance) survivors++
      }
    }
  }
  return { candidates, survivors }
}
