import { createHash } from 'node:crypto'
import { analysePixels } from '../core/analysis/index.js'
import type { AnalysisFacts } from '../core/archive/index.js'
import type { RgbImage } from '../core/image/index.js'
import type { ImageCodec, ImageProbe } from './ports.js'

export interface AnalysedFile {
  readonly probe: ImageProbe
  readonly image: RgbImage
  readonly facts: AnalysisFacts
}

/**
 * Validates, decodes and analyses a file. Throws `ImageError` (unsupported type, unreadable,
 * too large) before anything is written anywhere.
 */
export async function analyseFile(codec: ImageCodec, bytes: Uint8Array): Promise<AnalysedFile> {
  const probe = await codec.probe(bytes)
  const image = await codec.decode(bytes)
  const facts = analysePixels(image, { format: probe.format, sha256: sha256Hex(bytes) })
  return { probe, image, facts }
}

/** Lower-case hex SHA-256 of the bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
