import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EMPTY_TREE_HASH, leafHash, nodeHash } from './hash.js'
import {
  consistencyProofIndexes,
  inclusionProofIndexes,
  proveConsistency,
  proveInclusion,
  treeHash,
  treeHashIndexes,
} from './merkle-tree.js'
import { fromHex, MemoryTree, naiveRoot, toHex, treeOfSize } from './test-support.js'
import { TlogError } from './tlog-error.js'
import { verifyConsistency, verifyInclusion } from './verify-proof.js'

interface CtTree {
  leavesHex: string[]
  rootsHex: string[]
  nodeHashesHex: string[][]
  inclusionProofs: { index: number; size: number; proofHex: string[] }[]
  consistencyProofs: { oldSize: number; newSize: number; proofHex: string[] }[]
}

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../test/fixtures/tlog/${name}`, import.meta.url), 'utf8')

const ct = JSON.parse(fixture('ct-reference-tree.json')) as CtTree
const go = JSON.parse(fixture('go-sumdb-note.json')) as { recordHashHelloWorldBase64: string }

function ctTree(size: number): MemoryTree {
  const tree = new MemoryTree()
  for (const hex of ct.leavesHex.slice(0, size)) tree.append(fromHex(hex))
  return tree
}

describe('hashing (RFC 9162 §2.1.1)', () => {
  it('hashes the empty tree as SHA-256 of nothing', () => {
    expect(toHex(EMPTY_TREE_HASH)).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    expect(toHex(treeHash(0, () => []))).toBe(toHex(EMPTY_TREE_HASH))
  })

  it('matches the Go sumdb RecordHash("hello world") vector', () => {
    const h = leafHash(new TextEncoder().encode('hello world'))
    expect(Buffer.from(h).toString('base64')).toBe(go.recordHashHelloWorldBase64)
  })

  it('matches every leaf and node hash of the CT reference tree', () => {
    const level0 = ct.leavesHex.map((hex) => leafHash(fromHex(hex)))
    expect(level0.map(toHex)).toEqual(ct.nodeHashesHex[0])
    let level = level0
    for (let l = 1; l < ct.nodeHashesHex.length; l++) {
      const next = []
      for (let i = 0; i < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!))
      expect(next.map(toHex)).toEqual(ct.nodeHashesHex[l])
      level = next
    }
  })

  it('does not let nodeHash results alias one another', () => {
    const a = leafHash(Uint8Array.of(1))
    const x = nodeHash(a, a)
    const y = nodeHash(x, a)
    expect(toHex(x)).not.toBe(toHex(y))
    expect(toHex(x)).toBe(toHex(nodeHash(a, a)))
  })
})

describe('treeHash', () => {
  it('gives the CT reference roots for sizes 0..8', () => {
    const tree = ctTree(8)
    for (let size = 0; size <= 8; size++) {
      expect(toHex(treeHash(size, tree.read))).toBe(ct.rootsHex[size])
    }
  })

  it('equals the naive recursive MTH for every size up to 300', () => {
    const tree = treeOfSize(300)
    for (let size = 0; size <= 300; size++) {
      expect(toHex(treeHash(size, tree.read))).toBe(toHex(naiveRoot(tree.leaves.slice(0, size))))
    }
  })

  it('reads exactly the planned indexes', () => {
    const tree = treeOfSize(77)
    const seen: number[][] = []
    treeHash(77, (ix) => {
      seen.push([...ix])
      return tree.read(ix)
    })
    expect(seen).toEqual([treeHashIndexes(77)])
    expect(treeHashIndexes(77).length).toBeLessThanOrEqual(1 + Math.log2(77))
  })

  it('rejects bad sizes and bad readers', () => {
    expect(() => treeHash(-1, () => [])).toThrow(TlogError)
    expect(() => treeHash(1.5, () => [])).toThrow(TlogError)
    expect(() => treeHash(2 ** 53, () => [])).toThrow(/LOG_SIZE_INVALID|size/)
    expect(() => treeHash(3, () => [])).toThrow(
      expect.objectContaining({ code: 'LOG_HASH_READ_FAILED' }),
    )
  })
})

describe('proofs: CT reference vectors', () => {
  const tree = ctTree(8)

  it('produces the reference inclusion proofs', () => {
    for (const v of ct.inclusionProofs) {
      const proof = proveInclusion(v.size, v.index, tree.read)
      expect(proof.map(toHex)).toEqual(v.proofHex)
      const root = fromHex(ct.rootsHex[v.size]!)
      expect(verifyInclusion(tree.leaves[v.index]!, v.index, v.size, proof, root)).toBe(true)
    }
  })

  it('produces the reference consistency proofs', () => {
    for (const v of ct.consistencyProofs) {
      const proof = proveConsistency(v.newSize, v.oldSize, tree.read)
      expect(proof.map(toHex)).toEqual(v.proofHex)
      const oldRoot = fromHex(ct.rootsHex[v.oldSize]!)
      const newRoot = fromHex(ct.rootsHex[v.newSize]!)
      expect(verifyConsistency(v.oldSize, v.newSize, oldRoot, newRoot, proof)).toBe(true)
    }
  })
})

describe('proofs: exhaustive small trees', () => {
  const tree = treeOfSize(64)

  it('proves every leaf of every tree up to 64', () => {
    for (let size = 1; size <= 64; size++) {
      const root = treeHash(size, tree.read)
      for (let i = 0; i < size; i++) {
        const proof = proveInclusion(size, i, tree.read)
        expect(verifyInclusion(tree.leaves[i]!, i, size, proof, root)).toBe(true)
      }
    }
  })

  it('proves consistency between every pair of sizes up to 64', () => {
    for (let newSize = 0; newSize <= 64; newSize++) {
      const newRoot = treeHash(newSize, tree.read)
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const proof = proveConsistency(newSize, oldSize, tree.read)
        const oldRoot = treeHash(oldSize, tree.read)
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true)
      }
    }
  })

  it('reads only the planned indexes', () => {
    const reads: number[][] = []
    const spy = (ix: readonly number[]) => {
      reads.push([...ix])
      return tree.read(ix)
    }
    proveInclusion(45, 17, spy)
    proveConsistency(45, 13, spy)
    expect(reads).toEqual([inclusionProofIndexes(45, 17), consistencyProofIndexes(45, 13)])
  })

  it('needs no reads for trivial proofs', () => {
    const never = () => {
      throw new Error('read')
    }
    expect(proveInclusion(1, 0, never)).toEqual([])
    expect(proveConsistency(9, 9, never)).toEqual([])
    expect(proveConsistency(9, 0, never)).toEqual([])
  })

  it('rejects out-of-range requests', () => {
    expect(() => proveInclusion(5, 5, tree.read)).toThrow(
      expect.objectContaining({ code: 'LOG_INDEX_OUT_OF_RANGE' }),
    )
    expect(() => proveInclusion(5, -1, tree.read)).toThrow(
      expect.objectContaining({ code: 'LOG_INDEX_OUT_OF_RANGE' }),
    )
    expect(() => inclusionProofIndexes(0, 0)).toThrow(
      expect.objectContaining({ code: 'LOG_INDEX_OUT_OF_RANGE' }),
    )
    expect(() => proveConsistency(4, 5, tree.read)).toThrow(
      expect.objectContaining({ code: 'LOG_SIZE_INVALID' }),
    )
    expect(() => consistencyProofIndexes(-1, 0)).toThrow(
      expect.objectContaining({ code: 'LOG_SIZE_INVALID' }),
    )
  })
})

describe('proofs: properties', () => {
  const tree = treeOfSize(300)
  const sizeAndIndex = fc
    .integer({ min: 1, max: 300 })
    .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })))

  it('every leaf of a random tree proves inclusion against treeHash', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([size, index]) => {
        const root = treeHash(size, tree.read)
        const proof = proveInclusion(size, index, tree.read)
        return verifyInclusion(tree.leaves[index]!, index, size, proof, root)
      }),
      { numRuns: 500 },
    )
  })

  it('every pair of sizes proves consistency', () => {
    const pair = fc
      .integer({ min: 0, max: 300 })
      .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)))
    fc.assert(
      fc.property(pair, ([oldSize, newSize]) => {
        const proof = proveConsistency(newSize, oldSize, tree.read)
        return verifyConsistency(
          oldSize,
          newSize,
          treeHash(oldSize, tree.read),
          treeHash(newSize, tree.read),
          proof,
        )
      }),
      { numRuns: 500 },
    )
  })

  it('a tree built from random entries has the naive root', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 300 }), (entries) => {
        const t = new MemoryTree()
        for (const e of entries) t.append(e)
        const root = treeHash(t.size, t.read)
        return toHex(root) === toHex(naiveRoot(entries.map((e) => leafHash(e))))
      }),
      { numRuns: 100 },
    )
  })
})
