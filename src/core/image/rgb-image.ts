/**
 * An 8-bit sRGB raster with interleaved R, G, B samples, row-major, no padding:
 * `data.length === width * height * 3`. Alpha is flattened before an image reaches the core.
 */
export interface RgbImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/** Allocates a black image. Throws RangeError for non-positive or non-integer sizes. */
export function createRgbImage(width: number, height: number): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`invalid image size ${width}x${height}`)
  }
  return { width, height, data: new Uint8Array(width * height * 3) }
}

/** Luma (ITU-R BT.601 weights, as PDQ and most detectors use) as a Float32Array, one per pixel. */
export function toLuma(img: RgbImage): Float32Array {
  const n = img.width * img.height
  const out = new Float32Array(n)
  const d = img.data
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = 0.299 * (d[j] as number) + 0.587 * (d[j + 1] as number) + 0.114 * (d[j + 2] as number)
  }
  return out
}
