import { CHIP, GRID, TILE, type TileLayout } from './layout.js'

// Pilot gets a quarter of the power: synchronisation integrates every chip of the tile, a
// message bit only its own few, so the message needs the larger share.
export const PILOT_AMPLITUDE = 0.42
export const MESSAGE_AMPLITUDE = Math.sqrt(1 - PILOT_AMPLITUDE * PILOT_AMPLITUDE)

/**
 * Raised-sine chip profile: smooth chips keep the energy at mid frequencies, which JPEG and
 * down-scaling preserve, and show no blocky edges.
 */
export const CHIP_PROFILE: Float32Array = (() => {
  const w = new Float32Array(CHIP)
  for (let i = 0; i < CHIP; i++) w[i] = Math.sin((Math.PI * (i + 0.5)) / CHIP)
  const p = new Float32Array(CHIP * CHIP)
  let energy = 0
  for (let y = 0; y < CHIP; y++) {
    for (let x = 0; x < CHIP; x++) {
      const v = (w[x] as number) * (w[y] as number)
      p[y * CHIP + x] = v
      energy += v * v
    }
  }
  // Unit mean energy per pixel.
  const scale = Math.sqrt((CHIP * CHIP) / energy)
  for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) * scale
  return p
})()

/** Renders per-chip values to a TILE×TILE pixel pattern with the chip profile. */
export function renderChips(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(TILE * TILE)
  for (let cy = 0; cy < GRID; cy++) {
    for (let cx = 0; cx < GRID; cx++) {
      const v = values[cy * GRID + cx] as number
      for (let py = 0; py < CHIP; py++) {
        const row = (cy * CHIP + py) * TILE + cx * CHIP
        for (let px = 0; px < CHIP; px++)
          out[row + px] = v * (CHIP_PROFILE[py * CHIP + px] as number)
      }
    }
  }
  return out
}

// Radius of the box the high-pass subtracts (9×9). 3 (the detector's own 7×7 window) halves the
// mottle but costs margin where little survives (brightness ×1.3 saturating a light ground, the
// chained attack); 4 keeps those margins and still removes about 40% of the mottle.
const HP_RADIUS = 4

/**
 * Circular high-pass of a TILE×TILE pattern: the pattern minus its (2r+1)² circular box mean.
 * Removes the lowest spatial frequencies, which are the most visible (a mottle on flat grounds,
 * worst at 2× zoom) and which the detector's local-mean residual mostly discards anyway.
 */
export function highPassTile(src: Float32Array, r: number = HP_RADIUS): Float32Array {
  if (r <= 0) return Float32Array.from(src)
  const span = 2 * r + 1
  const tmp = new Float64Array(TILE * TILE)
  for (let y = 0; y < TILE; y++) {
    const row = y * TILE
    let sum = 0
    for (let k = -r; k <= r; k++) sum += src[row + ((k + TILE) & (TILE - 1))] as number
    for (let x = 0; x < TILE; x++) {
      tmp[row + x] = sum / span
      sum +=
        (src[row + ((x + r + 1) & (TILE - 1))] as number) -
        (src[row + ((x - r + TILE) & (TILE - 1))] as number)
    }
  }
  const out = new Float32Array(TILE * TILE)
  for (let x = 0; x < TILE; x++) {
    let sum = 0
    for (let k = -r; k <= r; k++) sum += tmp[((k + TILE) & (TILE - 1)) * TILE + x] as number
    for (let y = 0; y < TILE; y++) {
      const i = y * TILE + x
      out[i] = (src[i] as number) - sum / span
      sum +=
        (tmp[((y + r + 1) & (TILE - 1)) * TILE + x] as number) -
        (tmp[((y - r + TILE) & (TILE - 1)) * TILE + x] as number)
    }
  }
  return out
}

/** The full watermark tile for coded bits: pilot plus spread message. */
export function watermarkTile(layout: TileLayout, bits: Uint8Array): Float32Array {
  const values = new Float32Array(GRID * GRID)
  for (let c = 0; c < values.length; c++) {
    const bit = bits[layout.bitOf[c] as number] ? 1 : -1
    values[c] =
      PILOT_AMPLITUDE * (layout.pilot[c] as number) +
      MESSAGE_AMPLITUDE * bit * (layout.spread[c] as number)
  }
  return highPassTile(renderChips(values))
}
