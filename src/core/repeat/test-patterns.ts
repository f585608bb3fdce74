import type { RgbImage } from '../image/index.js'
import { createRgbImage } from '../image/index.js'

// Test-only generators of synthetic tiles and images; not exported from the module index.

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomInk(rng: () => number): [number, number, number] {
  return [Math.floor(rng() * 256), Math.floor(rng() * 256), Math.floor(rng() * 256)]
}

/** Options for `createBlobTile`. */
export interface BlobTileOptions {
  /** The palette, ground first; random 2–6 inks when absent. */
  readonly inks?: readonly (readonly [number, number, number])[]
  /** Shapes crossing an edge continue on the opposite edge. */
  readonly isWrapped?: boolean
  /** Whether some shapes are rectangles (straight edges) rather than ellipses. */
  readonly hasRectangles?: boolean
}

/**
 * A flat-colour motif tile: a ground ink plus 1–5 further inks painted as random ellipses and
 * rectangles, so the tile has hard edges and large flat areas like a screen-printed design.
 * With `isWrapped`, shapes that cross an edge continue on the opposite edge (a seamless tile).
 */
export function createBlobTile(
  width: number,
  height: number,
  rng: () => number,
  options: BlobTileOptions = {},
): RgbImage {
  const { inks, isWrapped = false, hasRectangles = true } = options
  const palette = inks ?? Array.from({ length: 2 + Math.floor(rng() * 5) }, () => randomInk(rng))
  const tile = createRgbImage(width, height)
  const ground = palette[0] ?? [0, 0, 0]
  for (let i = 0; i < width * height; i++) tile.data.set(ground, i * 3)
  const shapes = 4 + Math.floor(rng() * 8)
  for (let s = 0; s < shapes; s++) {
    const ink = palette[1 + Math.floor(rng() * (palette.length - 1))] ?? ground
    const cx = rng() * width
    const cy = rng() * height
    const rx = 3 + rng() * width * 0.3
    const ry = 3 + rng() * height * 0.3
    const isRect = rng() < 0.4 && hasRectangles
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // Wrapped shapes continue across the opposite edge, so the tile is seamless.
        const ax = Math.abs(x - cx)
        const ay = Math.abs(y - cy)
        const dx = (isWrapped ? Math.min(ax, width - ax) : ax) / rx
        const dy = (isWrapped ? Math.min(ay, height - ay) : ay) / ry
        const inside = isRect ? Math.abs(dx) <= 1 && Math.abs(dy) <= 1 : dx * dx + dy * dy <= 1
        if (inside) tile.data.set(ink, (y * width + x) * 3)
      }
    }
  }
  return tile
}

/**
 * A smooth value-noise field of the given size with feature size about `cell` pixels, as an RGB
 * image. Not periodic, so it serves both as a texture tile and as a "photograph".
 */
export function createSmoothNoise(
  width: number,
  height: number,
  cell: number,
  rng: () => number,
): RgbImage {
  const gw = Math.ceil(width / cell) + 2
  const gh = Math.ceil(height / cell) + 2
  const grid = Array.from({ length: 3 }, () => Float64Array.from({ length: gw * gh }, rng))
  const img = createRgbImage(width, height)
  const smooth = (t: number) => t * t * (3 - 2 * t)
  for (let y = 0; y < height; y++) {
    const gy = y / cell
    const y0 = Math.floor(gy)
    const fy = smooth(gy - y0)
    for (let x = 0; x < width; x++) {
      const gx = x / cell
      const x0 = Math.floor(gx)
      const fx = smooth(gx - x0)
      for (let c = 0; c < 3; c++) {
        const g = grid[c] as Float64Array
        const v00 = g[y0 * gw + x0] as number
        const v10 = g[y0 * gw + x0 + 1] as number
        const v01 = g[(y0 + 1) * gw + x0] as number
        const v11 = g[(y0 + 1) * gw + x0 + 1] as number
        const v = (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy
        img.data[(y * width + x) * 3 + c] = Math.round(v * 255)
      }
    }
  }
  return img
}

/** A copy of `img` with independent uniform integer noise in [−amplitude, amplitude] added. */
export function addNoise(img: RgbImage, amplitude: number, rng: () => number): RgbImage {
  const data = new Uint8Array(img.data.length)
  for (let i = 0; i < data.length; i++) {
    const n = Math.floor(rng() * (2 * amplitude + 1)) - amplitude
    data[i] = Math.max(0, Math.min(255, (img.data[i] as number) + n))
  }
  return { width: img.width, height: img.height, data }
}

/** A `width`×`height` crop of `img` starting at (`x`, `y`). */
export function cropImage(
  img: RgbImage,
  x: number,
  y: number,
  width: number,
  height: number,
): RgbImage {
  const out = createRgbImage(width, height)
  for (let r = 0; r < height; r++) {
    const src = ((y + r) * img.width + x) * 3
    out.data.set(img.data.subarray(src, src + width * 3), r * width * 3)
  }
  return out
}

/** A flat ground with one motif placed once (a placed, non-repeating design). */
export function createPlacedDesign(width: number, height: number, rng: () => number): RgbImage {
  const img = createRgbImage(width, height)
  const ground = randomInk(rng)
  for (let i = 0; i < width * height; i++) img.data.set(ground, i * 3)
  const motif = createBlobTile(Math.floor(width / 2), Math.floor(height / 2), rng)
  for (let y = 0; y < motif.height; y++) {
    const dst = ((y + Math.floor(height / 4)) * width + Math.floor(width / 4)) * 3
    img.data.set(motif.data.subarray(y * motif.width * 3, (y + 1) * motif.width * 3), dst)
  }
  return img
}

/**
 * A tile that wraps seamlessly by construction: a sum of sinusoids with whole numbers of cycles
 * across the tile in each direction, per channel.
 */
export function createSeamlessTile(width: number, height: number, rng: () => number): RgbImage {
  const img = createRgbImage(width, height)
  const waves = Array.from({ length: 3 }, () =>
    Array.from({ length: 4 }, () => ({
      fx: Math.floor(rng() * 4),
      fy: Math.floor(rng() * 4),
      phase: rng() * 2 * Math.PI,
      amp: 10 + rng() * 25,
    })),
  )
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 128
        for (const w of waves[c] ?? []) {
          v += w.amp * Math.cos(2 * Math.PI * ((w.fx * x) / width + (w.fy * y) / height) + w.phase)
        }
        img.data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)))
      }
    }
  }
  return img
}

/**
 * A smooth colour field that is exactly periodic under the lattice (w, shiftY) & (0, h): sums of
 * cosines whose wave vectors are dual to that lattice. Cropping any w×h window gives a tile that
 * wraps seamlessly under the matching layout (block for shiftY = 0, half-drop for ⌊h/2⌋).
 */
export function createLatticeField(
  width: number,
  height: number,
  w: number,
  h: number,
  shiftY: number,
  rng: () => number,
): RgbImage {
  const img = createRgbImage(width, height)
  // k·(w, shiftY) and k·(0, h) must be whole turns: ky = b/h, kx = (n − b·shiftY/h)/w.
  const waves = Array.from({ length: 3 }, () =>
    Array.from({ length: 4 }, () => {
      const b = Math.floor(rng() * 5) - 2
      const n = Math.floor(rng() * 5) - 2
      return {
        kx: (n - (b * shiftY) / h) / w,
        ky: b / h,
        phase: rng() * 2 * Math.PI,
        amp: 10 + rng() * 25,
      }
    }),
  )
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let v = 128
        for (const wv of waves[c] ?? []) {
          v += wv.amp * Math.cos(2 * Math.PI * (wv.kx * x + wv.ky * y) + wv.phase)
        }
        img.data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)))
      }
    }
  }
  return img
}
