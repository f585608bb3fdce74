import { createPrng } from '../../src/core/colour/index.js'
import type { DemoPattern } from '../../src/core/demo/index.js'
import { demoPatterns } from '../../src/core/demo/index.js'
import type { RgbImage } from '../../src/core/image/index.js'
import { createRgbImage } from '../../src/core/image/index.js'
import type { LayoutType } from '../../src/core/repeat/index.js'
import { buildRepeat } from '../../src/core/repeat/index.js'

/** Side of every corpus image, in pixels. */
export const CORPUS_SIZE = 1024

/** One benchmark image, by name. */
export interface CorpusImage {
  readonly name: string
  readonly image: RgbImage
}

function topLeft(image: RgbImage, width: number, height: number): RgbImage {
  const out = createRgbImage(width, height)
  for (let y = 0; y < height; y++) {
    const from = y * image.width * 3
    out.data.set(image.data.subarray(from, from + width * 3), y * width * 3)
  }
  return out
}

function layoutOf(pattern: DemoPattern): LayoutType | undefined {
  switch (pattern.repeat) {
    case 'block':
    case 'half-drop':
    case 'half-brick':
    case 'mirror':
      return pattern.repeat
    case 'none':
      return undefined
  }
}

/** Seeded RGB noise, every sample independent: no repeat, no palette to speak of. */
function noiseImage(seed: number): RgbImage {
  const rng = createPrng(seed)
  const image = createRgbImage(CORPUS_SIZE, CORPUS_SIZE)
  for (let i = 0; i < image.data.length; i++) image.data[i] = Math.floor(rng() * 256)
  return image
}

/** A seeded smooth texture: a few sine waves with random directions, plus a little grain. */
function textureImage(seed: number): RgbImage {
  const rng = createPrng(seed)
  const waves = Array.from({ length: 6 }, () => ({
    fx: (rng() - 0.5) * 0.08,
    fy: (rng() - 0.5) * 0.08,
    phase: rng() * 2 * Math.PI,
    channel: Math.floor(rng() * 3),
  }))
  const image = createRgbImage(CORPUS_SIZE, CORPUS_SIZE)
  for (let y = 0; y < CORPUS_SIZE; y++) {
    for (let x = 0; x < CORPUS_SIZE; x++) {
      const level = [128, 128, 128]
      for (const w of waves) {
        level[w.channel] =
          (level[w.channel] as number) + 40 * Math.sin(w.fx * x + w.fy * y + w.phase)
      }
      const at = (y * CORPUS_SIZE + x) * 3
      for (let c = 0; c < 3; c++) {
        const v = (level[c] as number) + (rng() - 0.5) * 16
        image.data[at + c] = Math.max(0, Math.min(255, Math.round(v)))
      }
    }
  }
  return image
}

/**
 * The benchmark corpus, deterministic: ten demo designs (every second repeating one, so all
 * four layouts appear), each re-laid from its top-left tile over 1024×1024 with `buildRepeat`,
 * plus seeded noise and a seeded texture.
 */
export function buildCorpus(): CorpusImage[] {
  const repeating = demoPatterns().filter((p) => layoutOf(p) !== undefined)
  const chosen = repeating.filter((_, i) => i % 2 === 0).slice(0, 10)
  const images: CorpusImage[] = chosen.map((p) => ({
    name: `${p.slug} (${p.repeat})`,
    image: buildRepeat(
      topLeft(p.image, p.tileWidth, p.tileHeight),
      layoutOf(p) as LayoutType,
      CORPUS_SIZE,
      CORPUS_SIZE,
    ),
  }))
  images.push({ name: 'noise (seed 1)', image: noiseImage(1) })
  images.push({ name: 'texture (seed 2)', image: textureImage(2) })
  return images
}
