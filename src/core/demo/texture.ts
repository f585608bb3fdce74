import type { Prng } from '../colour/index.js'
import type { RgbImage } from '../image/index.js'
import type { Texture } from './design-spec.js'
import { tileableNoise } from './tileable-noise.js'

/**
 * Prints `texture` over a tile: a lightness change per pixel, the same on all three channels,
 * periodic with the tile so the repeat stays exact. Returns a new image.
 */
export function applyTexture(tile: RgbImage, texture: Texture, rng: Prng): RgbImage {
  const { width: w, height: h } = tile
  const out = { width: w, height: h, data: tile.data.slice() }
  const delta = textureField(w, h, texture, rng)
  for (let i = 0; i < w * h; i++) {
    const d = delta[i] as number
    for (let k = 0; k < 3; k++) {
      const v = (out.data[3 * i + k] as number) + d
      out.data[3 * i + k] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v)
    }
  }
  return out
}

function textureField(w: number, h: number, texture: Texture, rng: Prng): Float64Array {
  const field = new Float64Array(w * h)
  const a = texture.amplitude
  switch (texture.kind) {
    case 'linen': {
      // Slubs: each warp and weft thread a little lighter or darker, plus fine grain.
      const warp = Float64Array.from({ length: w }, () => rng() - 0.5)
      const weft = Float64Array.from({ length: h }, () => rng() - 0.5)
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const grain = rng() - 0.5
          field[y * w + x] =
            a * (0.45 * (warp[x] as number) + 0.45 * (weft[y] as number) + 0.3 * grain)
        }
      }
      return field
    }
    case 'wash': {
      const bloom = tileableNoise(w, h, 3, 3, 4, rng)
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          field[y * w + x] = a * 2 * (bloom(x, y) - 0.5) + (a / 6) * (rng() - 0.5)
        }
      }
      return field
    }
  }
}
