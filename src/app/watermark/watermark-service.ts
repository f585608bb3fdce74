import { createHash } from 'node:crypto'
import { type Caller, requirePermission } from '../../core/access/index.js'
import type { RgbImage } from '../../core/image/index.js'
import {
  canCarryMark,
  detectWatermark,
  embedWatermark,
  PAYLOAD_BYTES,
  WatermarkError,
} from '../../core/watermark/index.js'
import type { KeyRing } from '../key-ring.js'
import type { PixelMarker } from '../licence/index.js'
import type { ImageCodec } from '../ports.js'

/** Message the studio's watermark signing key signs to derive the watermark key. */
export const WATERMARK_KEY_CONTEXT = 'selvedge-watermark-key-v1'

/** A marked image and its PSNR against the original, in dB. */
export interface WatermarkEmbedding {
  readonly image: RgbImage
  readonly psnr: number
}

/** The outcome of a search, in the shape the CLI and HTTP print. */
export interface WatermarkReport {
  readonly found: boolean
  /** 16 lower-case hex digits, only when found. */
  readonly payload: string | null
  readonly score: number
}

/**
 * The studio's watermark key: SHA-256 of the studio's `watermark` Ed25519 key's signature over
 * {@link WATERMARK_KEY_CONTEXT}. Ed25519 signatures are deterministic (RFC 8032 §5.1.6), so the
 * key is stable and never stored in clear.
 */
export async function studioWatermarkKey(keyRing: KeyRing, studioId: string): Promise<Uint8Array> {
  const signer = await keyRing.signer(studioId, 'watermark')
  const sig = signer.sign(new TextEncoder().encode(WATERMARK_KEY_CONTEXT))
  return new Uint8Array(createHash('sha256').update(sig).digest())
}

/**
 * Parses a 64-bit payload written as 16 hex digits. Throws
 * `WatermarkError('WATERMARK_PAYLOAD_INVALID')` for anything else.
 */
export function parsePayloadHex(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) {
    throw new WatermarkError(
      'WATERMARK_PAYLOAD_INVALID',
      `the payload must be ${PAYLOAD_BYTES * 2} hex digits`,
    )
  }
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/** Embeds and detects a studio's watermark in image files. */
export class WatermarkService {
  constructor(private readonly deps: { keyRing: KeyRing; codec: ImageCodec }) {}

  /**
   * Marks an image file with `payloadHex` (16 hex digits) under the caller's studio key. Needs
   * `asset.write`. Throws ImageError for unreadable files and WatermarkError for a bad payload
   * or an image under 128 px on a side.
   */
  async embed(caller: Caller, bytes: Uint8Array, payloadHex: string): Promise<WatermarkEmbedding> {
    requirePermission(caller, 'asset.write')
    const payload = parsePayloadHex(payloadHex)
    const image = await this.deps.codec.decode(bytes)
    const key = await studioWatermarkKey(this.deps.keyRing, caller.studioId)
    const { image: marked, psnr } = embedWatermark(image, payload, key)
    return { image: marked, psnr: Math.round(psnr * 100) / 100 }
  }

  /**
   * Searches an image file for the caller's studio watermark. Needs `asset.readPrivate`. Throws
   * ImageError for unreadable files and `WATERMARK_IMAGE_TOO_SMALL` under 128 px a side; never
   * throws on any other decodable image.
   */
  async detect(caller: Caller, bytes: Uint8Array): Promise<WatermarkReport> {
    requirePermission(caller, 'asset.readPrivate')
    const image = await this.deps.codec.decode(bytes)
    return this.detectPixels(caller.studioId, image)
  }

  /**
   * The export pipeline's marker: a copy made under a grant carries the grant id (`jti`, 64
   * bits) as its payload, embedded in the settled pixels before XMP is written. A studio
   * member's own copy (no grant) and images too small to carry a mark (under 128 px a side) pass
   * through unchanged, so exporting never fails for want of a mark.
   */
  exportMarker(): PixelMarker {
    return async (image, context) => {
      if (context.grantId === null) return image
      if (!canCarryMark(image)) return image
      const key = await studioWatermarkKey(this.deps.keyRing, context.studioId)
      return embedWatermark(image, parsePayloadHex(context.grantId), key).image
    }
  }

  /** As {@link detect}, for pixels already decoded (the forensics scan reuses them). */
  async detectPixels(studioId: string, image: RgbImage): Promise<WatermarkReport> {
    const key = await studioWatermarkKey(this.deps.keyRing, studioId)
    const d = detectWatermark(image, key)
    return {
      found: d.found,
      payload: d.payload === null ? null : Buffer.from(d.payload).toString('hex'),
      // The contract's optional `bits` is 32 hex digits (128 bits); this code's 282 raw coded
      // bits do not fit that shape, so the field is left out rather than sent malformed.
      score: d.score,
    }
  }
}
