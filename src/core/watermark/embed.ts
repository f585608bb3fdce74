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
  /** PSNR the mark aims at, in dB (default 41; the measured value is returned). */
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
 * texture mask and to the target PSNR. Pure; never mutates `img`. Throws WatermarkError
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
  const activity = boxMean(dev, width, height, 2)
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
  const gain = energy > 0 ? Math.sqrt((targetMse * n) / energy) : 0
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
