import { createHash } from 'node:crypto'
import { codedLength } from './convolutional.js'

/** Side of the square watermark tile, in pixels of the marked image. */
export const TILE = 128
/** Side of one chip (a constant cell of the spreading pattern), in pixels. */
export const CHIP = 4
/** Chips per tile side. */
export const GRID = TILE / CHIP
/** Chips per tile. */
export const CHIPS = GRID * GRID
/** Payload bytes (64 bits). */
export const PAYLOAD_BYTES = 8
/** Payload bits plus the CRC-24 that guards them. */
export const INFO_BITS = (PAYLOAD_BYTES + 3) * 8
/** Coded bits carried by one tile (rate 1/3, zero tail). */
export const CODE_BITS = codedLength(INFO_BITS)

/** The key-derived layout of one tile: pilot chips, and for each chip its bit and sign. */
export interface TileLayout {
  /** ±1 per chip, row-major over the GRID×GRID chips. */
  readonly pilot: Int8Array
  /** ±1 per chip: the spreading sign of its message bit. */
  readonly spread: Int8Array
  /** Index of the coded bit each chip carries. */
  readonly bitOf: Uint16Array
}

// Counter-mode SHA-256 stream, domain-separated by label: deterministic and key-dependent.
function keyStream(key: Uint8Array, label: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes)
  for (let block = 0, off = 0; off < bytes; block++, off += 32) {
    const h = createHash('sha256')
      .update('selvedge-watermark-v1\u0000')
      .update(label)
      .update(
        Uint8Array.of(0, block >>> 24, (block >>> 16) & 255, (block >>> 8) & 255, block & 255),
      )
      .update(key)
      .digest()
    out.set(h.subarray(0, Math.min(32, bytes - off)), off)
  }
  return out
}

function signs(key: Uint8Array, label: string): Int8Array {
  const bits = keyStream(key, label, CHIPS / 8)
  const out = new Int8Array(CHIPS)
  for (let i = 0; i < CHIPS; i++) out[i] = ((bits[i >> 3] as number) >> (i & 7)) & 1 ? 1 : -1
  return out
}

/** Derives the tile layout from a key. Pure and deterministic; different keys give unrelated layouts. */
export function tileLayout(key: Uint8Array): TileLayout {
  const pilot = signs(key, 'pilot')
  const spread = signs(key, 'spread')
  // Keyed Fisher–Yates: chip i carries bit perm[i] mod CODE_BITS, so each bit's chips are
  // scattered over the tile and a local defect costs few chips of any one bit.
  const rnd = keyStream(key, 'permutation', CHIPS * 4)
  const view = new DataView(rnd.buffer, rnd.byteOffset, rnd.byteLength)
  const perm = new Uint16Array(CHIPS)
  for (let i = 0; i < CHIPS; i++) perm[i] = i
  for (let i = CHIPS - 1; i > 0; i--) {
    const j = view.getUint32(i * 4) % (i + 1)
    const t = perm[i] as number
    perm[i] = perm[j] as number
    perm[j] = t
  }
  const bitOf = new Uint16Array(CHIPS)
  for (let i = 0; i < CHIPS; i++) bitOf[i] = (perm[i] as number) % CODE_BITS
  return { pilot, spread, bitOf }
}
