import { readdirSync, readFileSync, statSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Hash } from './hash.js'
import { EMPTY_TREE_HASH } from './hash.js'
import { proveConsistency, proveInclusion, treeHash } from './merkle-tree.js'
import { flipBit, fromBase64, treeOfSize } from './test-support.js'
import { verifyConsistency, verifyInclusion } from './verify-proof.js'

const VECTORS = new URL('../../../test/fixtures/tlog/transparency-dev/', import.meta.url)

function jsonFiles(dir: URL): { name: string; data: unknown }[] {
  const out: { name: string; data: unknown }[] = []
  for (const entry of readdirSync(dir)) {
    const url = new URL(entry, dir)
    if (statSync(url).isDirectory()) {
      for (const f of jsonFiles(new URL(`${entry}/`, dir)))
        out.push({ ...f, name: `${entry}/${f.name}` })
    } else if (entry.endsWith('.json')) {
      out.push({ name: entry, data: JSON.parse(readFileSync(url, 'utf8')) })
    }
  }
  return out
}

interface InclusionProbe {
  leafIdx: number
  treeSize: number
  root: string | null
  leafHash: string | null
  proof: string[] | null
  wantErr: boolean
}

interface ConsistencyProbe {
  size1: number
  size2: number
  root1: string | null
  root2: string | null
  proof: string[] | null
  wantErr: boolean
}

const bytes = (b64: string | null): Uint8Array => fromBase64(b64 ?? '')

// Where our verifier is deliberately stricter: hashes that are not 32 bytes are always rejected
// (transparency-dev compares equal-size-tree roots raw, whatever their length). We also accept
// old size 0 with an empty proof and the empty-tree root, as tlog-witness "add-checkpoint"
// requires, where transparency-dev calls that meaningless; no vector here hits that case with
// 32-byte roots, so it is tested below.
const DEVIATIONS = new Set(['additional/sizes-are-equal-one-and-proof-is-empty.json'])

describe('transparency-dev/merkle verification vectors', () => {
  const inclusion = jsonFiles(new URL('inclusion/', VECTORS))
  const consistency = jsonFiles(new URL('consistency/', VECTORS))

  it('has the vectors', () => {
    expect(inclusion.length).toBeGreaterThan(80)
    expect(consistency.length).toBeGreaterThan(90)
  })

  it('agrees on every inclusion probe', () => {
    const wrong: string[] = []
    for (const { name, data } of inclusion) {
      const p = data as InclusionProbe
      const ok = verifyInclusion(
        bytes(p.leafHash),
        p.leafIdx,
        p.treeSize,
        (p.proof ?? []).map(bytes),
        bytes(p.root),
      )
      if (ok === p.wantErr && !DEVIATIONS.has(name)) wrong.push(name)
    }
    expect(wrong).toEqual([])
  })

  it('agrees on every consistency probe', () => {
    const wrong: string[] = []
    for (const { name, data } of consistency) {
      const p = data as ConsistencyProbe
      const ok = verifyConsistency(
        p.size1,
        p.size2,
        bytes(p.root1),
        bytes(p.root2),
        (p.proof ?? []).map(bytes),
      )
      if (ok === p.wantErr && !DEVIATIONS.has(name)) wrong.push(name)
    }
    expect(wrong).toEqual([])
  })
})

describe('verification rejects tampering', () => {
  const tree = treeOfSize(300)
  const sizeAndIndex = fc
    .integer({ min: 1, max: 300 })
    .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })))

  it('any flipped bit in proof, root or leaf fails inclusion', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.nat(), ([size, index], pick, bit) => {
        const root = treeHash(size, tree.read)
        const proof = proveInclusion(size, index, tree.read)
        const leaf = tree.leaves[index] as Hash
        const b = bit % 256
        const targets = proof.length + 2
        const t = pick % targets
        if (t === proof.length) return !verifyInclusion(leaf, index, size, proof, flipBit(root, b))
        if (t === proof.length + 1) {
          return !verifyInclusion(flipBit(leaf, b), index, size, proof, root)
        }
        const bad = proof.slice()
        bad[t] = flipBit(proof[t] as Hash, b)
        return !verifyInclusion(leaf, index, size, bad, root)
      }),
      { numRuns: 1000 },
    )
  })

  // The size is not checked by the proof alone (two sizes can share a proof shape): the signed
  // checkpoint binds it. A different index, a dropped or an extra hash must fail.
  it('a wrong index or proof length fails inclusion', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.integer({ min: 1, max: 40 }), ([size, index], delta) => {
        const root = treeHash(size, tree.read)
        const proof = proveInclusion(size, index, tree.read)
        const leaf = tree.leaves[index] as Hash
        const otherIndex = index ^ delta
        const indexFails =
          otherIndex === index || !verifyInclusion(leaf, otherIndex, size, proof, root)
        const dropFails =
          proof.length === 0 || !verifyInclusion(leaf, index, size, proof.slice(1), root)
        const extraFails = !verifyInclusion(leaf, index, size, [...proof, root], root)
        return indexFails && dropFails && extraFails
      }),
      { numRuns: 500 },
    )
  })

  it('any flipped bit in proof or either root fails consistency', () => {
    const pair = fc
      .integer({ min: 1, max: 300 })
      .chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)))
    fc.assert(
      fc.property(pair, fc.nat(), fc.nat(), ([oldSize, newSize], pick, bit) => {
        const proof = proveConsistency(newSize, oldSize, tree.read)
        const oldRoot = treeHash(oldSize, tree.read)
        const newRoot = treeHash(newSize, tree.read)
        const b = bit % 256
        const t = pick % (proof.length + 2)
        if (t === proof.length) {
          return !verifyConsistency(oldSize, newSize, flipBit(oldRoot, b), newRoot, proof)
        }
        if (t === proof.length + 1) {
          return !verifyConsistency(oldSize, newSize, oldRoot, flipBit(newRoot, b), proof)
        }
        const bad = proof.slice()
        bad[t] = flipBit(proof[t] as Hash, b)
        return !verifyConsistency(oldSize, newSize, oldRoot, newRoot, bad)
      }),
      { numRuns: 1000 },
    )
  })

  it('swapped sizes or a dropped hash fail consistency', () => {
    const pair = fc
      .integer({ min: 2, max: 299 })
      .chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n)))
    fc.assert(
      fc.property(pair, ([oldSize, newSize]) => {
        const proof = proveConsistency(newSize, oldSize, tree.read)
        const oldRoot = treeHash(oldSize, tree.read)
        const newRoot = treeHash(newSize, tree.read)
        return (
          !verifyConsistency(newSize, oldSize, newRoot, oldRoot, proof) &&
          !verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof.slice(1)) &&
          !verifyConsistency(oldSize, newSize, oldRoot, newRoot, [...proof, newRoot])
        )
      }),
      { numRuns: 300 },
    )
  })

  it('never throws on garbage', () => {
    const junk = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 40 }),
      fc.constant(undefined as unknown as Uint8Array),
    )
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double()),
        fc.oneof(fc.integer(), fc.double()),
        junk,
        junk,
        fc.array(junk, { maxLength: 70 }),
        (a, b, x, y, proof) => {
          expect(typeof verifyInclusion(x, a, b, proof, y)).toBe('boolean')
          expect(typeof verifyConsistency(a, b, x, y, proof)).toBe('boolean')
        },
      ),
    )
    expect(verifyInclusion(EMPTY_TREE_HASH, 0, 1, null as unknown as Hash[], EMPTY_TREE_HASH)).toBe(
      false,
    )
  })

  it('treats the empty tree as a prefix of every tree', () => {
    const root = treeHash(5, tree.read)
    expect(verifyConsistency(0, 5, EMPTY_TREE_HASH, root, [])).toBe(true)
    expect(verifyConsistency(0, 5, root, root, [])).toBe(false)
    expect(verifyConsistency(0, 5, EMPTY_TREE_HASH, root, [root])).toBe(false)
    expect(verifyConsistency(5, 5, root, root, [])).toBe(true)
    expect(verifyConsistency(5, 5, root, root, [root])).toBe(false)
  })
})
