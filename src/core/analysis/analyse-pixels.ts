import type { AnalysisFacts } from '../archive/index.js'
import { extractPalette } from '../colour/index.js'
import type { RgbImage } from '../image/index.js'
import { pdqHash } from '../pdq/index.js'
import { detectRepeat, scoreSeamless } from '../repeat/index.js'

/** What the decoder knows about a file that the pixels do not say. */
export interface FileFacts {
  readonly format: string
  readonly sha256: string
}

/**
 * Every fact Selvedge measures from a pattern's pixels: palette, colour count, repeat, seamless
 * score and PDQ hash. Pure and deterministic: the same pixels give the same facts.
 */
export function analysePixels(img: RgbImage, file: FileFacts): AnalysisFacts {
  const { palette, colourCount } = extractPalette(img)
  const repeat = detectRepeat(img)
  const seamless = scoreSeamless(img, repeat)
  const pdq = pdqHash(img)
  return {
    width: img.width,
    height: img.height,
    format: file.format,
    sha256: file.sha256,
    palette,
    colourCount,
    repeat: {
      type: repeat.type,
      tileWidth: repeat.tileWidth,
      tileHeight: repeat.tileHeight,
      confidence: round(repeat.confidence, 3),
    },
    seamless: { score: round(seamless.score, 3), isSeamless: seamless.isSeamless },
    pdq: { hash: pdq.hash, quality: pdq.quality },
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
