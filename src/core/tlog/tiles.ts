import type { Hash } from './hash.js'
import { HASH_SIZE, isHash } from './hash.js'
import { storedHashIndex } from './stored-hash.js'
import type { TileRef } from './tile-path.js'
import { TILE_HEIGHT, TILE_WIDTH } from './tile-path.js'
import { TlogError } from './tlog-error.js'
import { checkSize } from './tree-bounds.js'

/**
 * Every hash tile and entry bundle that exists for a tree of `size`, partial ones included
 * (C2SP tlog-tiles "Partial Tiles": level l has ⌊size/256^l⌋ hashes), ordered by level, then
 * index, then entry bundles last. Empty for size 0.
 * Throws `LOG_SIZE_INVALID` for an invalid size.
 */
export function tilesForSize(size: number): TileRef[] {
  checkSize(size)
  const tiles: TileRef[] = []
  for (let level = 0; ; level++) {
    const hashes = Math.floor(size / TILE_WIDTH ** level)
    if (hashes === 0) break
    pushTiles(tiles, level, hashes, 'hash')
  }
  pushTiles(tiles, 0, size, 'entries')
  return tiles
}

/**
 * The tiles that are new or grew when the tree grows from `oldSize` to `newSize`: full tiles
 * that were partial or absent, and the partial tiles of `newSize` (C2SP tlog-tiles; as Go's
 * `tlog.NewTiles`, plus entry bundles).
 * Throws `LOG_SIZE_INVALID` for invalid sizes or `oldSize > newSize`.
 */
export function newTilesForSizes(oldSize: number, newSize: number): TileRef[] {
  checkSize(oldSize, 'old size')
  checkSize(newSize, 'new size')
  if (oldSize > newSize) {
    throw new TlogError('LOG_SIZE_INVALID', `old size ${oldSize} exceeds new size ${newSize}`)
  }
  const tiles: TileRef[] = []
  for (let level = 0; ; level++) {
    const span = TILE_WIDTH ** level
    const newHashes = Math.floor(newSize / span)
    if (newHashes === 0) break
    pushNewTiles(tiles, level, Math.floor(oldSize / span), newHashes, 'hash')
  }
  pushNewTiles(tiles, 0, oldSize, newSize, 'entries')
  return tiles
}

function pushTiles(tiles: TileRef[], level: number, count: number, kind: TileRef['kind']): void {
  pushNewTiles(tiles, level, 0, count, kind)
}

function pushNewTiles(
  tiles: TileRef[],
  level: number,
  oldCount: number,
  newCount: number,
  kind: TileRef['kind'],
): void {
  if (oldCount === newCount) return
  const full = Math.floor(newCount / TILE_WIDTH)
  for (let index = Math.floor(oldCount / TILE_WIDTH); index < full; index++) {
    tiles.push({ level, index, width: TILE_WIDTH, kind })
  }
  const width = newCount % TILE_WIDTH
  if (width > 0) tiles.push({ level, index: full, width, kind })
}

/**
 * The stored-hash indexes whose hashes, concatenated in this order, make up a hash tile's data:
 * the hashes at tree level `8·level` numbered `index·256 … index·256 + width − 1`. For an entry
 * bundle, the indexes of the leaf hashes its entries hash to.
 * Throws `LOG_TILE_PATH_INVALID` for a tile beyond the largest supported tree.
 */
export function hashTileIndexes(t: TileRef): number[] {
  const treeLevel = TILE_HEIGHT * t.level
  const start = t.index * TILE_WIDTH
  const indexes = new Array<number>(t.width)
  try {
    for (let i = 0; i < t.width; i++) indexes[i] = storedHashIndex(treeLevel, start + i)
  } catch (cause) {
    throw new TlogError('LOG_TILE_PATH_INVALID', 'tile lies beyond the largest tree', { cause })
  }
  return indexes
}

/**
 * Concatenates the hashes of a hash tile into its served bytes (`32 × width`).
 * Throws `LOG_BUNDLE_INVALID` unless there are 1..256 hashes of 32 bytes each.
 */
export function encodeHashTile(hashes: readonly Hash[]): Uint8Array {
  if (hashes.length < 1 || hashes.length > TILE_WIDTH) {
    throw new TlogError('LOG_BUNDLE_INVALID', 'a hash tile holds 1..256 hashes')
  }
  const out = new Uint8Array(hashes.length * HASH_SIZE)
  hashes.forEach((h, i) => {
    if (!isHash(h)) throw new TlogError('LOG_BUNDLE_INVALID', 'tile hashes are 32 bytes')
    out.set(h, i * HASH_SIZE)
  })
  return out
}

/**
 * Splits served hash-tile bytes into hashes (copies).
 * Throws `LOG_BUNDLE_INVALID` unless the length is a multiple of 32 for 1..256 hashes.
 */
export function decodeHashTile(data: Uint8Array): Hash[] {
  const width = data.length / HASH_SIZE
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new TlogError('LOG_BUNDLE_INVALID', `hash tile of ${data.length} bytes`)
  }
  const hashes: Hash[] = []
  for (let i = 0; i < width; i++) {
    hashes.push(new Uint8Array(data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)))
  }
  return hashes
}

/**
 * The entries `[start, end)` a tile covers: an entry bundle holds entries `start..end-1`; a hash
 * tile's hashes are the MTHs of consecutive `256^level`-entry ranges from `start` to `end`.
 * A tile exists in a tree of size `s` exactly when `end ≤ s`.
 */
export function tileEntryRange(t: TileRef): { start: number; end: number } {
  const span = TILE_WIDTH ** t.level
  const start = t.index * TILE_WIDTH * span
  return { start, end: start + t.width * span }
}

/**
 * Whether every hash or entry of the tile exists in a tree of `size` (so it can be served from
 * stored hashes; tlog-tiles requires serving the partial tiles of every checkpointed size).
 */
export function isTileInTree(t: TileRef, size: number): boolean {
  const { end } = tileEntryRange(t)
  return Number.isSafeInteger(end) && end <= size
}
