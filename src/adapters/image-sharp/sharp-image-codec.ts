import sharp from 'sharp'
import type { ImageCodec, ImageProbe, Thumbnail } from '../../app/ports.js'
import { ImageError, MAX_IMAGE_PIXELS, type RgbImage } from '../../core/image/index.js'

type Format = ImageProbe['format']

const MEDIA_TYPES: Record<Format, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  tiff: 'image/tiff',
}

/**
 * Decodes PNG, JPEG, WebP and TIFF with sharp (libvips). The container type is decided from the
 * file's magic bytes before libvips sees it, so a GIF, SVG or HEIF that libvips could read is still
 * refused as unsupported, and the pixel count is checked from the header before any decode so a
 * decompression bomb is refused without allocating its pixels.
 */
export class SharpImageCodec implements ImageCodec {
  async probe(bytes: Uint8Array): Promise<ImageProbe> {
    const format = sniffFormat(bytes)
    let meta: sharp.Metadata
    try {
      meta = await sharp(bytes, { limitInputPixels: false, failOn: 'truncated' }).metadata()
    } catch (cause) {
      throw new ImageError('IMAGE_UNREADABLE', `the ${format} file cannot be read`, { cause })
    }
    const width = meta.width ?? 0
    const height = meta.height ?? 0
    if (width <= 0 || height <= 0) {
      throw new ImageError('IMAGE_UNREADABLE', `the ${format} file has no image size`)
    }
    if (width * height > MAX_IMAGE_PIXELS) {
      throw new ImageError(
        'IMAGE_TOO_LARGE',
        `${width}×${height} is ${((width * height) / 1e6).toFixed(1)} megapixels; the limit is ${MAX_IMAGE_PIXELS / 1e6}`,
      )
    }
    return { format, mediaType: MEDIA_TYPES[format], width, height }
  }

  async decode(bytes: Uint8Array): Promise<RgbImage> {
    await this.probe(bytes)
    try {
      const { data, info } = await sharp(bytes, {
        limitInputPixels: MAX_IMAGE_PIXELS,
        failOn: 'truncated',
        pages: 1,
      })
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .removeAlpha()
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true })
      if (info.channels !== 3) {
        throw new Error(`decoder returned ${info.channels} channels`)
      }
      return {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      }
    } catch (cause) {
      throw new ImageError('IMAGE_UNREADABLE', 'the image data is corrupt or truncated', { cause })
    }
  }

  async encodePng(image: RgbImage): Promise<Buffer> {
    return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .png()
      .toBuffer()
  }

  async encodeJpeg(image: RgbImage, quality = 92): Promise<Buffer> {
    return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .jpeg({ quality, chromaSubsampling: '4:4:4' })
      .toBuffer()
  }

  async thumbnail(bytes: Uint8Array, maxEdgePx: number): Promise<Thumbnail> {
    if (!(Number.isInteger(maxEdgePx) && maxEdgePx >= 1)) {
      throw new RangeError('maxEdgePx must be a positive integer')
    }
    await this.probe(bytes)
    try {
      // libvips shrinks JPEG and WebP while decoding, so a large file never exists at full size.
      const { data, info } = await sharp(bytes, {
        limitInputPixels: MAX_IMAGE_PIXELS,
        failOn: 'truncated',
        pages: 1,
      })
        .rotate()
        .resize(maxEdgePx, maxEdgePx, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .jpeg({ quality: 82 })
        .toBuffer({ resolveWithObject: true })
      return { bytes: data, mediaType: 'image/jpeg', width: info.width, height: info.height }
    } catch (cause) {
      throw new ImageError('IMAGE_UNREADABLE', 'the image data is corrupt or truncated', { cause })
    }
  }
}

/** Identifies the container from its signature; throws IMAGE_UNSUPPORTED_TYPE otherwise. */
export function sniffFormat(bytes: Uint8Array): Format {
  const b = (i: number) => bytes[i] ?? -1
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47 && b(4) === 0x0d) {
    return 'png'
  }
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg'
  if (
    b(0) === 0x52 &&
    b(1) === 0x49 &&
    b(2) === 0x46 &&
    b(3) === 0x46 &&
    b(8) === 0x57 &&
    b(9) === 0x45 &&
    b(10) === 0x42 &&
    b(11) === 0x50
  ) {
    return 'webp'
  }
  if (
    (b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a && b(3) === 0x00) ||
    (b(0) === 0x4d && b(1) === 0x4d && b(2) === 0x00 && b(3) === 0x2a)
  ) {
    return 'tiff'
  }
  throw new ImageError(
    'IMAGE_UNSUPPORTED_TYPE',
    'only PNG, JPEG, WebP and TIFF images are accepted',
  )
}
