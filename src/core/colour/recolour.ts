import type { RgbImage } from '../image/index.js'
import { labToSrgb, srgbToLab, srgbToLabInto } from './cielab.js'
import { ColourError } from './colour-error.js'
import { ColourTable } from './colour-table.js'
import { parseHex } from './hex.js'
import { clamp8 } from './srgb.js'

/** One ink of a colourway: pixels of the design's ink `from` are printed in `to` (hex colours). */
export interface ColourMapping {
  readonly from: string
  readonly to: string
}

// Distinct colours whose mapped value is remembered; beyond this, pixels are mapped uncached.
const CACHE_COLOURS = 1 << 16

/**
 * Maps a design to a colourway. Each pixel goes to its nearest `from` colour (Euclidean CIELAB,
 * ΔE76, cheap enough per distinct colour) and is shifted by that ink's CIELAB offset `to − from`,
 * so antialiasing and texture around an ink keep their shape; the result is clipped to the sRGB
 * gamut per channel. Pixels exactly equal to a `from` colour become exactly its `to` colour, and
 * pixels whose nearest ink maps to itself are unchanged. List every ink of the design (identity
 * entries for inks that stay), since pixels always follow their nearest listed ink. An empty
 * mapping returns a copy. Never mutates `img`.
 *
 * Throws {@link ColourError} `COLOUR_INVALID_HEX` for an unparseable colour and
 * `COLOUR_INVALID_MAPPING` when one `from` colour is mapped to two different colours.
 */
export function recolour(img: RgbImage, mapping: readonly ColourMapping[]): RgbImage {
  const exact = new Map<number, number>()
  const sources: number[] = []
  const offsets: number[] = []
  for (const { from, to } of mapping) {
    const f = parseHex(from)
    const t = parseHex(to)
    const fKey = (f[0] << 16) | (f[1] << 8) | f[2]
    const tKey = (t[0] << 16) | (t[1] << 8) | t[2]
    const seen = exact.get(fKey)
    if (seen !== undefined) {
      if (seen !== tKey) {
        throw new ColourError('COLOUR_INVALID_MAPPING', `${from} is mapped to two colours`)
      }
      continue
    }
    exact.set(fKey, tKey)
    const fLab = srgbToLab(f)
    const tLab = srgbToLab(t)
    sources.push(...fLab)
    offsets.push(tLab[0] - fLab[0], tLab[1] - fLab[1], tLab[2] - fLab[2])
  }
  const out: RgbImage = { width: img.width, height: img.height, data: img.data.slice() }
  if (exact.size === 0) return out

  const k = exact.size
  const lab = new Float64Array(3)
  const mapColour = (key: number): number => {
    const hit = exact.get(key)
    if (hit !== undefined) return hit
    srgbToLabInto(key >>> 16, (key >>> 8) & 0xff, key & 0xff, lab, 0)
    let best = 0
    let bestD = Number.POSITIVE_INFINITY
    for (let c = 0; c < k; c++) {
      const dL = (lab[0] as number) - (sources[3 * c] as number)
      const da = (lab[1] as number) - (sources[3 * c + 1] as number)
      const db = (lab[2] as number) - (sources[3 * c + 2] as number)
      const d = dL * dL + da * da + db * db
      if (d < bestD) {
        bestD = d
        best = c
      }
    }
    const oL = offsets[3 * best] as number
    const oa = offsets[3 * best + 1] as number
    const ob = offsets[3 * best + 2] as number
    if (oL === 0 && oa === 0 && ob === 0) return key
    const rgb = labToSrgb([
      (lab[0] as number) + oL,
      (lab[1] as number) + oa,
      (lab[2] as number) + ob,
    ])
    return (clamp8(rgb[0]) << 16) | (clamp8(rgb[1]) << 8) | clamp8(rgb[2])
  }

  const cache = new ColourTable(Math.min(CACHE_COLOURS, img.width * img.height))
  const d = out.data
  const n = img.width * img.height
  let prevKey = -1
  let prevOut = 0
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const key = ((d[j] as number) << 16) | ((d[j + 1] as number) << 8) | (d[j + 2] as number)
    if (key !== prevKey) {
      let mapped = cache.get(key)
      if (mapped < 0) {
        mapped = mapColour(key)
        cache.set(key, mapped)
      }
      prevKey = key
      prevOut = mapped
    }
    d[j] = prevOut >>> 16
    d[j + 1] = (prevOut >>> 8) & 0xff
    d[j + 2] = prevOut & 0xff
  }
  return out
}
