import { createPrng } from '../../src/core/colour/index.js'
import type { DemoPattern } from '../../src/core/demo/index.js'
import { demoPatterns } from '../../src/core/demo/index.js'
import type { RgbImage } from '../../src/core/image/index.js'
import { createRgbImage } from '../../src/core/image/index.js'
import type { LayoutType } from '../../src/core/repeat/index.js'
import { buildRepeat } from '../../src/core/repeat/index.js'

/** Side of every watermark corpus image, in pixels. */
export const WATERMARK_CORPUS_SIZE = 1024

/** One corpus image with its kind, for per-kind figures. */
export interface WatermarkCorpusImage {
  readonly name: string
  readonly kind: 'flat' | 'textured' | 'painterly' | 'photographic'
  readonly image: RgbImage
}

function crop(image: RgbImage, width: number, height: number): RgbImage {
  const out = createRgbImage(width, height)
  for (let y = 0; y < height; y++) {
    const from = y * image.width * 3
    out.data.set(image.data.subarray(from, from + width * 3), y * width * 3)
  }
  return out
}

function layoutOf(pattern: DemoPattern): LayoutType {
  return pattern.repeat === 'none' ? 'block' : pattern.repeat
}

// Tileable value noise summed over octaves (fBm), 0..1.
function fbm(rng: () => number, size: number, octaves: number, base: number): Float32Array {
  const out = new Float32Array(size * size)
  let amp = 1
  let total = 0
  for (let o = 0; o < octaves; o++) {
    const cells = base << o
    const lattice = Float32Array.from({ length: cells * cells }, () => rng())
    const step = size / cells
    for (let y = 0; y < size; y++) {
      const gy = y / step
      const y0 = Math.floor(gy)
      const fy = gy - y0
      const sy = fy * fy * (3 - 2 * fy)
      for (let x = 0; x < size; x++) {
        const gx = x / step
        const x0 = Math.floor(gx)
        const fx = gx - x0
        const sx = fx * fx * (3 - 2 * fx)
        const at = (i: number, j: number) =>
          lattice[((j + cells) % cells) * cells + ((i + cells) % cells)] as number
        const top = at(x0, y0) * (1 - sx) + at(x0 + 1, y0) * sx
        const bottom = at(x0, y0 + 1) * (1 - sx) + at(x0 + 1, y0 + 1) * sx
        out[y * size + x] = (out[y * size + x] as number) + amp * (top * (1 - sy) + bottom * sy)
      }
    }
    total += amp
    amp *= 0.55
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total
  return out
}

// Painterly: a few colour fields mixed by smooth noise, with brush-like directional streaks.
function painterly(seed: number): RgbImage {
  const n = WATERMARK_CORPUS_SIZE
  const rng = createPrng(seed)
  const a = fbm(rng, n, 5, 4)
  const b = fbm(rng, n, 4, 8)
  const colours = Array.from({ length: 3 }, () => [rng() * 255, rng() * 255, rng() * 255])
  const angle = rng() * Math.PI
  const cx = Math.cos(angle) * 0.35
  const cy = Math.sin(angle) * 0.35
  const img = createRgbImage(n, n)
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const i = y * n + x
      const t = a[i] as number
      const streak = 10 * Math.sin((x * cx + y * cy) * 0.9 + 12 * (b[i] as number))
      const w0 = Math.max(0, 1 - 2 * t)
      const w2 = Math.max(0, 2 * t - 1)
      const w1 = 1 - w0 - w2
      for (let c = 0; c < 3; c++) {
        const v =
          w0 * (colours[0]?.[c] as number) +
          w1 * (colours[1]?.[c] as number) +
          w2 * (colours[2]?.[c] as number) +
          streak
        img.data[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v)))
      }
    }
  }
  return img
}

// Photographic: multi-octave texture (stone, bark, fabric-like) with sensor grain.
function photographic(seed: number): RgbImage {
  const n = WATERMARK_CORPUS_SIZE
  const rng = createPrng(seed)
  const lum = fbm(rng, n, 7, 2 + Math.floor(rng() * 6))
  const hue = fbm(rng, n, 3, 2)
  const tint = [0.7 + rng() * 0.6, 0.7 + rng() * 0.6, 0.7 + rng() * 0.6]
  const img = createRgbImage(n, n)
  for (let i = 0; i < n * n; i++) {
    const l = 30 + 200 * (lum[i] as number)
    const h = (hue[i] as number) - 0.5
    for (let c = 0; c < 3; c++) {
      const v = l * (tint[c] as number) + (c === 0 ? 40 * h : c === 2 ? -40 * h : 0)
      const grain = (rng() + rng() + rng() - 1.5) * 6
      img.data[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v + grain)))
    }
  }
  return img
}

/**
 * The watermark corpus, deterministic: all 26 demo designs, each re-laid from its top-left tile
 * over 1024×1024 with `buildRepeat` (placed designs as a block repeat of the whole design), plus
 * three painterly and three photographic seeded textures.
 */
export function buildWatermarkCorpus(): WatermarkCorpusImage[] {
  const n = WATERMARK_CORPUS_SIZE
  const out: WatermarkCorpusImage[] = demoPatterns().map((p) => ({
    name: p.slug,
    kind: p.isFlat ? 'flat' : 'textured',
    image: buildRepeat(crop(p.image, p.tileWidth, p.tileHeight), layoutOf(p), n, n),
  }))
  for (let i = 0; i < 3; i++) {
    out.push({ name: `painterly-${i}`, kind: 'painterly', image: painterly(0x9a1 + i) })
    out.push({ name: `photo-${i}`, kind: 'photographic', image: photographic(0x7b3 + i) })
  }
  return out
}
