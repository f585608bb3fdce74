import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { leafHash } from './hash.js'
import {
  splitStoredHashIndex,
  storedHashCount,
  storedHashesForRecord,
  storedHashesForRecordIndexes,
  storedHashIndex,
} from './stored-hash.js'
import { toHex, treeOfSize } from './test-support.js'
import { MAX_TREE_SIZE } from './tree-bounds.js'

describe('stored-hash layout (Go sumdb/tlog)', () => {
  it('interleaves leaves and completed subtrees', () => {
    // Records 0..7: leaf, leaf, (1,0), leaf, leaf, (1,1), (2,0), leaf, leaf, (1,2), leaf, …
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => storedHashIndex(0, n))).toEqual([
      0, 1, 3, 4, 7, 8, 10, 11,
    ])
    expect(storedHashIndex(1, 0)).toBe(2)
    expect(storedHashIndex(1, 1)).toBe(5)
    expect(storedHashIndex(2, 0)).toBe(6)
    expect(storedHashIndex(3, 0)).toBe(14)
    expect([0, 1, 2, 3, 4, 8].map(storedHashCount)).toEqual([0, 1, 3, 4, 7, 15])
  })

  it('splits what it joins (Go TestSplitStoredHashIndex range)', () => {
    for (let level = 0; level < 10; level++) {
      for (let n = 0; n < 100; n++) {
        expect(splitStoredHashIndex(storedHashIndex(level, n))).toEqual({ level, n })
      }
    }
  })

  it('round-trips across the whole supported range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 52 }), fc.maxSafeNat(), (level, x) => {
        const n = x % (MAX_TREE_SIZE / 2 ** level)
        const index = storedHashIndex(level, n)
        const back = splitStoredHashIndex(index)
        return back.level === level && back.n === n && Number.isSafeInteger(index)
      }),
    )
  })

  it('numbers every stored hash exactly once', () => {
    const seen = new Set<number>()
    for (let level = 0; level <= 8; level++) {
      for (let n = 0; n < 256 >> level; n++) seen.add(storedHashIndex(level, n))
    }
    expect(seen.size).toBe(storedHashCount(256))
    expect(Math.max(...seen)).toBe(storedHashCount(256) - 1)
  })

  it('appends the hashes storedHashCount expects', () => {
    const tree = treeOfSize(200)
    for (let size = 0; size <= 200; size++) {
      expect(storedHashCount(size)).toBe(
        size === 200 ? tree.stored.length : storedHashIndex(0, size),
      )
    }
  })

  it('plans the reads of storedHashesForRecord', () => {
    const tree = treeOfSize(64)
    const leaf = leafHash(Uint8Array.of(9))
    const reads: number[][] = []
    const hashes = storedHashesForRecord(63, leaf, (ix) => {
      reads.push([...ix])
      return tree.read(ix)
    })
    expect(reads).toEqual([storedHashesForRecordIndexes(63)])
    expect(storedHashesForRecordIndexes(63)).toHaveLength(6)
    expect(hashes).toHaveLength(7)
    expect(toHex(hashes[0]!)).toBe(toHex(leaf))
    expect(storedHashesForRecordIndexes(0)).toEqual([])
    expect(storedHashesForRecordIndexes(2)).toEqual([])
  })

  it('rejects out-of-range coordinates', () => {
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return (e as { code?: string }).code
      }
      return undefined
    }
    expect(code(() => storedHashIndex(-1, 0))).toBe('LOG_INDEX_OUT_OF_RANGE')
    expect(code(() => storedHashIndex(0, -1))).toBe('LOG_INDEX_OUT_OF_RANGE')
    expect(code(() => storedHashIndex(0, 0.5))).toBe('LOG_INDEX_OUT_OF_RANGE')
    expect(code(() => storedHashIndex(53, 0))).toBe('LOG_INDEX_OUT_OF_RANGE')
    expect(code(() => storedHashIndex(0, MAX_TREE_SIZE))).toBe('LOG_INDEX_OUT_OF_RANGE')
    expect(code(() => splitStoredHashIndex(-1))).toBe('LOG_INDEX_OUT_OF_RANGE')
    expect(code(() => splitStoredHashIndex(2 ** 54))).toBe('LOG_INDEX_OUT_OF_RANGE')
    expect(code(() => storedHashCount(-1))).toBe('LOG_SIZE_INVALID')
    expect(code(() => storedHashesForRecordIndexes(-1))).toBe('LOG_INDEX_OUT_OF_RANGE')
    expect(code(() => storedHashesForRecord(0, leafHash(Uint8Array.of()), () => []))).toBe(
      undefined,
    )
    expect(code(() => storedHashesForRecord(1, leafHash(Uint8Array.of()), () => []))).toBe(
      'LOG_HASH_READ_FAILED',
    )
  })

  it('handles the largest tree', () => {
    const last = MAX_TREE_SIZE - 1
    expect(splitStoredHashIndex(storedHashIndex(0, last))).toEqual({ level: 0, n: last })
    expect(storedHashesForRecordIndexes(last)).toHaveLength(52)
    expect(storedHashCount(MAX_TREE_SIZE)).toBe(storedHashIndex(52, 0) + 1)
    expect(Number.isSafeInteger(storedHashCount(MAX_TREE_SIZE))).toBe(true)
  })
})
