import type { RgbImage } from '../image/index.js'
import { encodePayload } from './codeword.js'
import { boxMean, luma } from './filters.js'
import { PAYLOAD_BYTES, TILE, tileLayout } from './layout.js'
import { watermarkTile } from './pattern.js'
import { WatermarkError } from './watermark-error.js'

/** Smallest side, in pixels, of an image that can carry or be searched for a watermark. */
export const MIN_SIDE = 128

/** Whether an image is large enough to carry a mark (one 128 px tile on each side). */
export function canCarryMark(img: { readonly width: number; readonly height: number }): boolean {
  return img.width >= MIN_SIDE && img.height >= MIN_SIDE
}
/** Bytes a watermark key needs at least. */
export const MIN_KEY_BYTES = 16

/** Options for {@link embedWatermark}. */
export interface EmbedOptions {
  /**
   * PSNR the mark aims at, in dB (default 41; the measured value is returned). A mostly flat
   * design stays above it: the gain is capped so that flat grounds carry no more grain.
   */
  readonly psnrDb?: number
}

/** A marked image and its measured PSNR against the original. */
export interface EmbedResult {
  readonly image: RgbImage
  readonly psnr: number
}

// Texture masking: the local mean absolute deviation of luma, in grey levels, at which the
// strength is doubled; flat areas keep MASK_FLOOR so they still carry signal.
const ACTIVITY_REF = 6
const MASK_FLOOR = 0.55
const MASK_CEIL = 2.2
// The texture measure is eroded over a 9×9 box (radius 4: the 5×5 activity box plus the 3×3
// deviation reach 3 px from an edge), so an isolated ink edge keeps the flat-ground strength
// instead of up to 4× it (a speckled light fringe at 4× zoom), while dense texture keeps its
// boost.
const EDGE_RADIUS = 4
// Most flat designs used to put about 70% of the mark's energy on the ground beside their ink
// edges. With that gone, the PSNR target alone would double the grain on flat grounds, so the
// gain is capped: on a flat ground this is about 1.3 grey levels RMS of luma (the corpus mean
// was 1.1 before, 0.9–1.6 by design); most flat designs then measure 43–46 dB instead of 41.
const MAX_GAIN = 2.6

/**
 * Grey-scale erosion: the minimum over a (2r+1)² box, edges clamped, separable, by van Herk /
 * Gil–Werman (three comparisons a sample whatever r). Returns a new array. Applied to the
 * texture measure it keeps dense texture, active on every side, and drops an isolated ink edge,
 * flat on one side: such an edge masks the mark poorly at this scale.
 */
export function erode(src: Float32Array, width: number, height: number, r: number): Float32Array {
  if (r <= 0) return Float32Array.from(src)
  const w = 2 * r + 1
  const tmp = new Float32Array(src.length)
  // Rows: a padded copy, prefix minima within blocks of w (g) and suffix minima (h); the window
  // [i, i + 2r] of the padded row, centred on pixel i, is min(h[i], g[i + 2r]).
  const len = Math.ceil((width + 2 * r) / w) * w
  const p = new Float32Array(len)
  const g = new Float32Array(len)
  const h = new Float32Array(len)
  for (let y = 0; y < height; y++) {
    const row = y * width
    p.fill(src[row] as number, 0, r)
    p.set(src.subarray(row, row + width), r)
    p.fill(src[row + width - 1] as number, r + width)
    minPasses(p, g, h, len, w)
    for (let x = 0; x < width; x++) {
      const a = h[x] as number
      const b = g[x + 2 * r] as number
      tmp[row + x] = Math.min(a, b)
    }
  }
  // Columns: the same on whole rows at a time (contiguous memory).
  const rows = Math.ceil((height + 2 * r) / w) * w
  const gc = new Float32Array(rows * width)
  const hc = new Float32Array(rows * width)
  for (let i = 0; i < rows; i++) {
    const from = clamp(i - r, height) * width
    const to = i * width
    if (i % w === 0) gc.set(tmp.subarray(from, from + width), to)
    else {
      for (let x = 0; x < width; x++) {
        const a = gc[to - width + x] as number
        const b = tmp[from + x] as number
        gc[to + x] = Math.min(a, b)
      }
    }
  }
  for (let i = rows - 1; i >= 0; i--) {
    const from = clamp(i - r, height) * width
    const to = i * width
    if (i % w === w - 1) hc.set(tmp.subarray(from, from + width), to)
    else {
      for (let x = 0; x < width; x++) {
        const a = hc[to + width + x] as number
        const b = tmp[from + x] as number
        hc[to + x] = Math.min(a, b)
      }
    }
  }
  const out = tmp
  for (let y = 0; y < height; y++) {
    const hr = y * width
    const gr = (y + 2 * r) * width
    for (let x = 0; x < width; x++) {
      const a = hc[hr + x] as number
      const b = gc[gr + x] as number
      out[hr + x] = Math.min(a, b)
    }
  }
  return out
}

// Prefix (g) and suffix (h) minima of p within consecutive blocks of w samples (len is a
// multiple of w).
function minPasses(
  p: Float32Array,
  g: Float32Array,
  h: Float32Array,
  len: number,
  w: number,
): void {
  for (let start = 0; start < len; start += w) {
    const end = start + w
    let m = p[start] as number
    g[start] = m
    for (let i = start + 1; i < end; i++) {
      m = Math.min(m, p[i] as number)
      g[i] = m
    }
    m = p[end - 1] as number
    h[end - 1] = m
    for (let i = end - 2; i >= start; i--) {
      m = Math.min(m, p[i] as number)
      h[i] = m
    }
  }
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i
}

/** Throws WatermarkError unless the image, payload and key can be used. */
export function checkInputs(img: RgbImage, key: Uint8Array, payload?: Uint8Array): void {
  if (img.width < MIN_SIDE || img.height < MIN_SIDE) {
    throw new WatermarkError(
      'WATERMARK_IMAGE_TOO_SMALL',
      `${img.width}×${img.height} is too small for a watermark; each side needs ${MIN_SIDE} px`,
    )
  }
  if (payload !== undefined && payload.length !== PAYLOAD_BYTES) {
    throw new WatermarkError(
      'WATERMARK_PAYLOAD_INVALID',
      `the payload must be ${PAYLOAD_BYTES} bytes, not ${payload.length}`,
    )
  }
  if (key.length < MIN_KEY_BYTES) {
    throw new WatermarkError('WATERMARK_KEY_INVALID', `the key must be ${MIN_KEY_BYTES}+ bytes`)
  }
}

/**
 * Embeds a 64-bit payload as a keyed spread-spectrum pattern tiled over the image, scaled by a
 * texture mask (eroded, so isolated ink edges get no boost) and to the target PSNR, with a capped
 * gain. Pure; never mutates `img`. Throws WatermarkError
 * (`WATERMARK_IMAGE_TOO_SMALL`, `WATERMARK_PAYLOAD_INVALID`, `WATERMARK_KEY_INVALID`).
 */
export function embedWatermark(
  img: RgbImage,
  payload: Uint8Array,
  key: Uint8Array,
  opts: EmbedOptions = {},
): EmbedResult {
  checkInputs(img, key, payload)
  const psnrTarget = opts.psnrDb ?? 41
  const { width, height } = img
  const n = width * height
  const tile = watermarkTile(tileLayout(key), encodePayload(payload))
  const y = luma(img.data, n)
  const mean = boxMean(y, width, height, 1)
  // |luma − local mean|, overwriting the mean (no longer needed).
  const dev = mean
  for (let i = 0; i < n; i++) {
    const d = (y[i] as number) - (dev[i] as number)
    dev[i] = d < 0 ? -d : d
  }
  const activity = erode(boxMean(dev, width, height, 2), width, height, EDGE_RADIUS)
  // The masked pattern, in place of the activity.
  const delta = activity
  let energy = 0
  for (let yy = 0; yy < height; yy++) {
    const trow = (yy & (TILE - 1)) * TILE
    const row = yy * width
    for (let x = 0; x < width; x++) {
      const i = row + x
      const a = MASK_FLOOR + (activity[i] as number) / ACTIVITY_REF
      const d = Math.min(a, MASK_CEIL) * (tile[trow + (x & (TILE - 1))] as number)
      delta[i] = d
      energy += d * d
    }
  }
  const targetMse = (255 * 255) / 10 ** (psnrTarget / 10)
  const gain = energy > 0 ? Math.min(Math.sqrt((targetMse * n) / energy), MAX_GAIN) : 0
  const src = img.data
  const out = new Uint8Array(src.length)
  let err = 0
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const d = gain * (delta[i] as number)
    // Math.round is floor(v + 0.5); the same, spelled out, then clamped to 0..255.
    for (let c = j; c < j + 3; c++) {
      const s = src[c] as number
      const v = Math.floor(s + d + 0.5)
      const o = v < 0 ? 0 : Math.min(v, 255)
      out[c] = o
      err += (o - s) * (o - s)
    }
  }
  const mse = err / src.length
  const psnr = mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse)
  return { image: { width, height, data: out }, psnr }
}
