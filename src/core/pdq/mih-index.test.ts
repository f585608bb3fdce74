import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatPdqHash, packPdqHash, pdqHashBits } from './hash-format.js'
import { linearScan } from './linear-scan.js'
import type { MihMatch, MihSearchStrategy } from './mih-index.js'
import { MihIndex } from './mih-index.js'
import { PdqError } from './pdq-error.js'

const STRATEGIES: MihSearchStrategy[] = ['auto', 'probe', 'scan']

const hexHash = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 16, maxLength: 16 })
  .map((words) => formatPdqHash(words))

function flipBits(hex: string, positions: readonly number[]): string {
  const words = pdqHashBits(hex)
  for (const k of positions) words[k >> 4] = (words[k >> 4] as number) ^ (1 << (k & 15))
  return formatPdqHash(words)
}

/** `k` distinct values below `range` (default: bit positions) chosen from `seed`, for speed. */
function positionsFrom(seed: number, k: number, range = 256): number[] {
  const picked = new Set<number>()
  let x = seed >>> 0 || 1
  while (picked.size < k) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    picked.add((x >>> 0) % range)
  }
  return [...picked]
}

/**
 * Up to `k` distinct bit positions inside the given packed 32-bit words (all 256 bits when
 * `words` is empty). Concentrating the flips in a few words puts a near copy's whole distance
 * in the words some slot's bucket records carry, right at the pre-filter's bound.
 */
function positionsIn(words: readonly number[], seed: number, k: number): number[] {
  if (words.length === 0) return positionsFrom(seed, k)
  const bits = words.length * 32
  return positionsFrom(seed, Math.min(k, bits), bits).map(
    (p) => (words[p >> 5] as number) * 32 + (p & 31),
  )
}

const packedWords = fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 3 })

/** The expected answer, straight from `linearScan` over the same entries. */
function oracle(entries: ReadonlyMap<string, string>, query: string, d: number): MihMatch[] {
  const ids = [...entries.keys()]
  const packed = new Uint32Array(ids.length * 8)
  ids.forEach((id, i) => {
    packPdqHash(entries.get(id) as string, packed, i * 8)
  })
  return linearScan(packed, packPdqHash(query), d)
    .map((m) => ({ id: ids[m.index] as string, distance: m.distance }))
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * A stored set with clusters: random hashes, plus near copies of them (up to 40 bits off) and
 * exact duplicates under other ids, so that matches at every distance exist.
 */
const corpus = fc
  .record({
    bases: fc.array(hexHash, { minLength: 1, maxLength: 25 }),
    near: fc.array(
      fc.record({
        base: fc.nat(),
        bits: fc.integer({ min: 0, max: 40 }),
        seed: fc.integer(),
        words: packedWords,
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ bases, near }) => {
    const entries = new Map<string, string>()
    bases.forEach((h, i) => {
      entries.set(`b${i}`, h)
    })
    near.forEach(({ base, bits, seed, words }, i) => {
      const origin = bases[base % bases.length] as string
      entries.set(`n${i}`, flipBits(origin, positionsIn(words, seed, bits)))
    })
    return entries
  })

const query = fc.oneof(
  fc.record({ kind: fc.constant('random' as const), hash: hexHash }),
  fc.record({
    kind: fc.constant('near' as const),
    pick: fc.nat(),
    bits: fc.integer({ min: 0, max: 31 }),
    seed: fc.integer(),
    words: packedWords,
  }),
)

function resolveQuery(q: QueryValue, entries: ReadonlyMap<string, string>): string {
  if (q.kind === 'random') return q.hash
  const stored = [...entries.values()]
  return flipBits(stored[q.pick % stored.length] as string, positionsIn(q.words, q.seed, q.bits))
}

type QueryValue =
  | { kind: 'random'; hash: string }
  | { kind: 'near'; pick: number; bits: number; seed: number; words: number[] }

/**
 * Unrelated random hashes, enough that the first probe buckets the index (it keeps fewer than
 * 1024 new entries in lists), so that tests reach the bucket records and their pre-filter.
 */
const FILLER: ReadonlyMap<string, string> = new Map(
  Array.from({ length: 1100 }, (_, i) => {
    const words = positionsFrom(i * 7919 + 1, 16, 0x10000)
    return [`f${i}`, formatPdqHash(words)] as const
  }),
)

function build(entries: ReadonlyMap<string, string>, strategy: MihSearchStrategy): MihIndex {
  const index = new MihIndex({ strategy, capacity: 4 })
  for (const [id, hash] of entries) index.add(id, hash)
  return index
}

describe('MihIndex', () => {
  it('returns exactly the linear scan results for distances up to 31', () =>
    fc.assert(
      fc.property(
        corpus,
        fc.array(query, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 31 }),
        (entries, queries, d) => {
          const indexes = STRATEGIES.map((s) => build(entries, s))
          for (const q of queries) {
            const hash = resolveQuery(q, entries)
            const expected = oracle(entries, hash, d)
            for (const index of indexes) expect(index.search(hash, d)).toEqual(expected)
          }
        },
      ),
      { numRuns: 150 },
    ))

  it('returns exactly the linear scan results from bucket records and pending lists', () =>
    fc.assert(
      fc.property(
        corpus,
        fc.nat(),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 40 }),
        (entries, split, queries, d) => {
          // Filler plus the first part of the corpus get bucketed by the first search; the rest
          // arrives afterwards and is found through the pending lists until the next build.
          const all = new Map([...FILLER, ...entries])
          const ids = [...entries.keys()]
          const cut = split % (ids.length + 1)
          const index = new MihIndex({ strategy: 'probe' })
          for (const [id, hash] of FILLER) index.add(id, hash)
          for (const id of ids.slice(0, cut)) index.add(id, entries.get(id) as string)
          const first = resolveQuery(queries[0] as QueryValue, entries)
          expect(index.search(first, d)).toEqual(
            oracle(new Map([...all].slice(0, FILLER.size + cut)), first, d),
          )
          for (const id of ids.slice(cut)) index.add(id, entries.get(id) as string)
          for (const q of queries) {
            const hash = resolveQuery(q, entries)
            expect(index.search(hash, d)).toEqual(oracle(all, hash, d))
          }
        },
      ),
      { numRuns: 60 },
    ))

  it('finds copies whose whole distance lies in three packed words, at exactly the limit', () => {
    // Bucket records carry three whole packed words for their pre-filter, so a copy that differs
    // only there (and in at most a bit of the probed slot) sits exactly on the filter's bound.
    const base = FILLER.get('f0') as string
    const all = new Map(FILLER)
    const triples: number[][] = []
    for (let a = 0; a < 8; a++)
      for (let b = a + 1; b < 8; b++) for (let c = b + 1; c < 8; c++) triples.push([a, b, c])
    triples.forEach((words, i) => {
      for (const k of [1, 15, 16, 17, 30, 31]) {
        all.set(`t${i}-${k}`, flipBits(base, positionsIn(words, i * 31 + k, k)))
        // The same, with one of the flips moved into slot 0 or slot 1.
        const moved = [...positionsIn(words, i * 37 + k, k - 1), (i + k) % 32]
        all.set(`u${i}-${k}`, flipBits(base, moved))
      }
    })
    const index = new MihIndex({ strategy: 'probe' })
    for (const [id, hash] of all) index.add(id, hash)
    for (const d of [0, 1, 14, 15, 16, 17, 29, 30, 31]) {
      expect(index.search(base, d)).toEqual(oracle(all, base, d))
    }
  })

  it('stays exact past 31, where each slot is probed to a wider radius', () =>
    fc.assert(
      fc.property(corpus, query, fc.integer({ min: 32, max: 80 }), (entries, q, d) => {
        const hash = resolveQuery(q, entries)
        const expected = oracle(entries, hash, d)
        for (const s of STRATEGIES) expect(build(entries, s).search(hash, d)).toEqual(expected)
      }),
      { numRuns: 40 },
    ))

  it('finds a stored hash flipped by k <= 31 bits, at distance k', () =>
    fc.assert(
      fc.property(hexHash, fc.integer({ min: 0, max: 31 }), fc.integer(), (hash, k, seed) => {
        const index = new MihIndex({ strategy: 'probe' })
        index.add('target', hash)
        for (let i = 0; i < 50; i++)
          index.add(`other${i}`, flipBits(hash, positionsFrom(seed + i, 100)))
        const hits = index.search(flipBits(hash, positionsFrom(seed, k)), 31)
        expect(hits).toContainEqual({ id: 'target', distance: k })
      }),
    ))

  it('finds matches spread evenly over all slots, the pigeonhole worst case', () =>
    fc.assert(
      fc.property(hexHash, fc.integer({ min: 0, max: 96 }), fc.integer(), (hash, d, seed) => {
        // Slot s gets floor(d / 16) flipped bits, one more for the first d % 16 slots, so no
        // slot is closer than the radius the index must probe.
        const unique: number[] = []
        for (let s = 0; s < 16; s++) {
          const count = Math.floor(d / 16) + (s < d % 16 ? 1 : 0)
          for (const b of positionsFrom(seed + s, 16, 16).slice(0, count)) unique.push(s * 16 + b)
        }
        const index = new MihIndex({ strategy: 'probe' })
        index.add('target', hash)
        expect(index.search(flipBits(hash, unique), d)).toEqual([{ id: 'target', distance: d }])
        expect(index.search(flipBits(hash, unique), d - 1)).toEqual([])
      }),
    ))

  it('forgets removed ids and agrees with a scan of what is left', () =>
    fc.assert(
      fc.property(corpus, fc.array(fc.nat()), query, (entries, drops, q) => {
        const index = build(entries, 'probe')
        const left = new Map(entries)
        const ids = [...entries.keys()]
        for (const drop of drops) {
          const id = ids[drop % ids.length] as string
          expect(index.remove(id)).toBe(left.delete(id))
        }
        expect(index.size).toBe(left.size)
        const hash = resolveQuery(q, entries)
        expect(index.search(hash, 31)).toEqual(oracle(left, hash, 31))
      }),
    ))

  it('replaces the hash of an id added twice', () => {
    const index = new MihIndex()
    const a = 'a'.repeat(64)
    const b = 'b'.repeat(64)
    index.add('x', a)
    index.add('x', b)
    expect(index.size).toBe(1)
    expect(index.search(a, 0)).toEqual([])
    expect(index.search(b, 0)).toEqual([{ id: 'x', distance: 0 }])
    expect(index.has('x')).toBe(true)
    expect(index.remove('x')).toBe(true)
    expect(index.remove('x')).toBe(false)
    expect(index.has('x')).toBe(false)
  })

  it('sorts by distance, then by id', () => {
    const index = new MihIndex({ strategy: 'probe' })
    const base = '0'.repeat(64)
    index.add('c', flipBits(base, [1]))
    index.add('b', flipBits(base, [2]))
    index.add('z', base)
    index.add('a', flipBits(base, [3, 4]))
    expect(index.search(base, 31)).toEqual([
      { id: 'z', distance: 0 },
      { id: 'b', distance: 1 },
      { id: 'c', distance: 1 },
      { id: 'a', distance: 2 },
    ])
  })

  it('matches nothing below distance 0 and everything at 256', () => {
    const index = new MihIndex()
    index.add('x', 'f'.repeat(64))
    expect(index.search('0'.repeat(64), -1)).toEqual([])
    expect(index.search('0'.repeat(64), Number.NaN)).toEqual([])
    expect(index.search('0'.repeat(64), 255.9)).toEqual([])
    expect(index.search('0'.repeat(64), 256)).toEqual([{ id: 'x', distance: 256 }])
    expect(index.search('0'.repeat(64), 1e9)).toEqual([{ id: 'x', distance: 256 }])
  })

  it('rejects malformed hashes and leaves the index unchanged', () => {
    const index = new MihIndex()
    index.add('x', '1'.repeat(64))
    expect(() => index.add('x', 'nope')).toThrow(PdqError)
    expect(() => index.search('1'.repeat(63), 5)).toThrow(PdqError)
    expect(index.search('1'.repeat(64), 0)).toEqual([{ id: 'x', distance: 0 }])
  })

  it('stays exact through bulk loads, bucket rebuilds and compaction', () => {
    const entries = new Map<string, string>()
    const index = new MihIndex({ strategy: 'probe' })
    const base = formatPdqHash(Uint16Array.from({ length: 16 }, (_, i) => i * 4099))
    const hashOf = (i: number) => flipBits(base, positionsFrom(i + 1, i % 40))
    const check = () => {
      for (const k of [0, 7, 19, 31]) {
        const q = flipBits(base, positionsFrom(k + 1000, k))
        expect(index.search(q, 31)).toEqual(oracle(entries, q, 31))
      }
    }
    for (let i = 0; i < 5000; i++) {
      entries.set(`e${i}`, hashOf(i))
      index.add(`e${i}`, hashOf(i))
      if (i === 1500 || i === 4999) check()
    }
    // Scattered removals first, so compaction keeps some entries in place and moves others.
    for (let i = 0; i < 5000; i++) {
      if (i % 5 === 0) continue
      entries.delete(`e${i}`)
      index.remove(`e${i}`)
      if (i === 2001) check()
    }
    check()
    for (let i = 0; i < 2500; i += 5) {
      entries.delete(`e${i}`)
      index.remove(`e${i}`)
    }
    check()
    for (let i = 0; i < 3000; i++) {
      entries.set(`f${i}`, hashOf(i * 7))
      index.add(`f${i}`, hashOf(i * 7))
    }
    check()
    expect(index.size).toBe(entries.size)
  })
})

describe('linearScan', () => {
  it('rejects ragged input and matches nothing below 0', () => {
    expect(() => linearScan(new Uint32Array(7), new Uint32Array(8), 3)).toThrow(RangeError)
    expect(() => linearScan(new Uint32Array(8), new Uint32Array(7), 3)).toThrow(RangeError)
    expect(linearScan(new Uint32Array(16), new Uint32Array(8), -1)).toEqual([])
    expect(linearScan(new Uint32Array(16), new Uint32Array(8), 0)).toEqual([
      { index: 0, distance: 0 },
      { index: 1, distance: 0 },
    ])
  })
})
