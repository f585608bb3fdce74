import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Hash } from './hash.js'
import { nodeHash } from './hash.js'
import { treeHash } from './merkle-tree.js'
import { treeOfSize } from './test-support.js'
import type { TileRef } from './tile-path.js'
import { parseTilePath, TILE_HEIGHT, tilePath } from './tile-path.js'
import {
  decodeHashTile,
  encodeHashTile,
  hashTileIndexes,
  isTileInTree,
  newTilesForSizes,
  tileEntryRange,
  tilesForSize,
} from './tiles.js'

interface TileExamples {
  tiles: {
    size70000: Record<string, number>
    size256: Record<string, number>
    indexPath: { index: number; digits: string }
  }
}

const c2sp = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/tlog/c2sp-examples.json', import.meta.url), 'utf8'),
) as TileExamples

const hash = (level: number, index: number, width = 256): TileRef => ({
  level,
  index,
  width,
  kind: 'hash',
})

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('tile paths (C2SP tlog-tiles)', () => {
  it('formats paths as the spec and the brief show them', () => {
    expect(TILE_HEIGHT).toBe(8)
    expect(tilePath(hash(0, 1234, 5))).toBe('tile/0/x001/234.p/5')
    expect(tilePath({ level: 0, index: 1234, width: 256, kind: 'entries' })).toBe(
      'tile/entries/x001/234',
    )
    expect(tilePath(hash(0, 0))).toBe('tile/0/000')
    expect(tilePath(hash(63, 999))).toBe('tile/63/999')
    expect(tilePath(hash(1, 1000, 1))).toBe('tile/1/x001/000.p/1')
    const { index, digits } = c2sp.tiles.indexPath
    expect(tilePath(hash(2, index))).toBe(`tile/2/${digits}`)
  })

  it('encodes the index the way Go sumdb does (tile_test.go vectors)', () => {
    expect(tilePath(hash(5, 123456078))).toBe('tile/5/x123/x456/078')
    expect(tilePath(hash(0, 3057500, 2))).toBe('tile/0/x003/x057/500.p/2')
  })

  it('round-trips through parse', () => {
    const refs = fc.record({
      level: fc.integer({ min: 0, max: 63 }),
      index: fc.oneof(fc.nat(), fc.maxSafeNat()),
      width: fc.integer({ min: 1, max: 256 }),
      kind: fc.constantFrom('hash' as const, 'entries' as const),
    })
    fc.assert(
      fc.property(refs, (r) => {
        const t = r.kind === 'entries' ? { ...r, level: 0 } : r
        expect(parseTilePath(tilePath(t))).toEqual(t)
      }),
    )
  })

  it('rejects non-canonical and out-of-range paths', () => {
    const bad = [
      '',
      'tile',
      'tile/0',
      'tile/0/',
      'tiles/0/000',
      '/tile/0/000',
      'tile/0/000/',
      'tile/00/000',
      'tile/01/000',
      'tile/-1/000',
      'tile/64/000',
      'tile/100/000',
      'tile/0/00',
      'tile/0/0000',
      'tile/0/1',
      'tile/0/x000/001',
      'tile/0/x001',
      'tile/0/001/234',
      'tile/0/x1/234',
      'tile/0/y001/234',
      'tile/0/x001/x234',
      'tile/0/000.p/0',
      'tile/0/000.p/256',
      'tile/0/000.p/300',
      'tile/0/000.p/05',
      'tile/0/000.p/',
      'tile/0/000.p',
      'tile/0/000.p/5/6',
      'tile/0/x001.p/5/234',
      'tile/0/+12',
      'tile/0/1e2',
      'tile/0/ 12',
      'tile/data/000',
      'tile/entries/x000/000',
      'tile/entries/000.p/256',
      'tile/0/x009/x007/x199/x254/x740/992',
      'tile/3/5/x123/x456/078',
      'tile/0/000?x=1',
      'tile/0/000\n',
      'tile/entries',
    ]
    for (const path of bad) {
      expect(
        codeOf(() => parseTilePath(path)),
        path,
      ).toBe('LOG_TILE_PATH_INVALID')
    }
  })

  it('rejects invalid references', () => {
    expect(codeOf(() => tilePath(hash(0, 0, 0)))).toBe('LOG_TILE_PATH_INVALID')
    expect(codeOf(() => tilePath(hash(0, 0, 257)))).toBe('LOG_TILE_PATH_INVALID')
    expect(codeOf(() => tilePath(hash(64, 0)))).toBe('LOG_TILE_PATH_INVALID')
    expect(codeOf(() => tilePath(hash(0, -1)))).toBe('LOG_TILE_PATH_INVALID')
    expect(codeOf(() => tilePath({ level: 1, index: 0, width: 1, kind: 'entries' }))).toBe(
      'LOG_TILE_PATH_INVALID',
    )
  })
})

describe('tilesForSize', () => {
  const count = (tiles: TileRef[], level: number, full: boolean) =>
    tiles.filter((t) => t.kind === 'hash' && t.level === level && (t.width === 256) === full)

  it('matches the tlog-tiles example for size 70,000', () => {
    const e = c2sp.tiles.size70000
    const tiles = tilesForSize(70_000)
    expect(count(tiles, 0, true)).toHaveLength(e['fullLevel0']!)
    expect(count(tiles, 0, false).map((t) => t.width)).toEqual([e['partialLevel0Width']])
    expect(count(tiles, 1, true)).toHaveLength(e['fullLevel1']!)
    expect(count(tiles, 1, false).map((t) => t.width)).toEqual([e['partialLevel1Width']])
    expect(count(tiles, 2, false).map((t) => t.width)).toEqual([e['partialLevel2Width']])
    expect(count(tiles, 2, true)).toHaveLength(0)
    expect(tiles.filter((t) => t.kind === 'hash')).toHaveLength(273 + 1 + 1 + 1 + 1)
    const bundles = tiles.filter((t) => t.kind === 'entries')
    expect(bundles).toHaveLength(274)
    expect(bundles.at(-1)).toEqual({ level: 0, index: 273, width: 112, kind: 'entries' })
  })

  it('matches the tlog-tiles example for size 256', () => {
    expect(tilesForSize(256)).toEqual([
      hash(0, 0),
      hash(1, 0, 1),
      { level: 0, index: 0, width: 256, kind: 'entries' },
    ])
    expect(tilesForSize(0)).toEqual([])
  })

  it('lists the union of what every growth step published', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 5 }), (steps) => {
        const sizes = [0, ...steps].sort((a, b) => a - b)
        const paths = new Set<string>()
        for (let i = 1; i < sizes.length; i++) {
          for (const t of newTilesForSizes(sizes[i - 1]!, sizes[i]!)) paths.add(tilePath(t))
        }
        const last = sizes.at(-1)!
        for (const t of tilesForSize(last)) expect(paths.has(tilePath(t))).toBe(true)
      }),
    )
  })

  it('gives tile data that authenticates against the tree (Go tileHash)', () => {
    const tree = treeOfSize(70_000)
    const root = treeHash(70_000, tree.read)
    const tiles = tilesForSize(70_000).filter((t) => t.kind === 'hash')
    const data = new Map<string, Hash[]>()
    for (const t of tiles)
      data.set(`${t.level}/${t.index}`, tree.read(hashTileIndexes(t)) as Hash[])
    // Level-0 tile hashes are the leaf hashes.
    expect(data.get('0/3')![7]).toEqual(tree.leaves[3 * 256 + 7])
    // Each full tile hashes to the matching entry of the tile above (tlog-tiles §Merkle Tree).
    for (const t of tiles) {
      if (t.width !== 256) continue
      const above = data.get(`${t.level + 1}/${Math.floor(t.index / 256)}`)!
      expect(subtreeOf(data.get(`${t.level}/${t.index}`)!)).toEqual(above[t.index % 256])
    }
    // The root of 70,000 = 65,536 + 4,096 + 256 + 112 leaves, from the partial tiles alone
    // (RFC 9162 §2.1.1 splits at the largest power of two below the size).
    const l2 = data.get('2/0')!
    const l1 = data.get('1/1')!
    const l0 = data.get('0/273')!
    expect([l2.length, l1.length, l0.length]).toEqual([1, 17, 112])
    const right = nodeHash(subtreeOf(l1.slice(0, 16)), nodeHash(l1[16]!, mth(l0)))
    expect(nodeHash(l2[0]!, right)).toEqual(root)
  })

  it('knows which tiles a tree holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300_000 }), (size) => {
        for (const t of tilesForSize(size)) {
          expect(isTileInTree(t, size)).toBe(true)
          if (t.width < 256) expect(isTileInTree({ ...t, width: t.width + 1 }, size)).toBe(false)
        }
      }),
      { numRuns: 30 },
    )
    expect(tileEntryRange(hash(1, 2, 3))).toEqual({ start: 2 * 65536, end: 2 * 65536 + 3 * 256 })
    expect(tileEntryRange({ level: 0, index: 4, width: 10, kind: 'entries' })).toEqual({
      start: 1024,
      end: 1034,
    })
    expect(isTileInTree(hash(63, 1), 2 ** 52)).toBe(false)
  })

  it('rejects malformed tile data', () => {
    expect(codeOf(() => decodeHashTile(new Uint8Array(33)))).toBe('LOG_BUNDLE_INVALID')
    expect(codeOf(() => decodeHashTile(new Uint8Array(0)))).toBe('LOG_BUNDLE_INVALID')
    expect(codeOf(() => decodeHashTile(new Uint8Array(32 * 257)))).toBe('LOG_BUNDLE_INVALID')
    expect(codeOf(() => encodeHashTile([]))).toBe('LOG_BUNDLE_INVALID')
    expect(codeOf(() => encodeHashTile([new Uint8Array(31)]))).toBe('LOG_BUNDLE_INVALID')
  })

  it('rejects bad sizes', () => {
    expect(codeOf(() => tilesForSize(-1))).toBe('LOG_SIZE_INVALID')
    expect(codeOf(() => newTilesForSizes(5, 4))).toBe('LOG_SIZE_INVALID')
  })
})

/** The MTH of a complete tile's hashes. */
function subtreeOf(hashes: readonly Hash[]): Hash {
  if (hashes.length === 1) return hashes[0]!
  const half = hashes.length / 2
  return nodeHash(subtreeOf(hashes.slice(0, half)), subtreeOf(hashes.slice(half)))
}

function mth(hashes: readonly Hash[]): Hash {
  if (hashes.length === 1) return hashes[0]!
  let k = 1
  while (k * 2 < hashes.length) k *= 2
  return nodeHash(mth(hashes.slice(0, k)), mth(hashes.slice(k)))
}
