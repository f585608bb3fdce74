import type { RepeatType } from '../archive/index.js'
import type { RgbImage } from '../image/index.js'

/** One pattern of the demo archive: its pixels and the metadata a studio would enter. */
export interface DemoPattern {
  /** Unique, URL-safe, lower-case. */
  readonly slug: string
  readonly title: string
  readonly repeat: RepeatType
  /** The unflipped tile; for `none`, the whole image. */
  readonly tileWidth: number
  readonly tileHeight: number
  /** Name of the demo palette the inks come from, e.g. `indigo`. */
  readonly paletteName: string
  /** The inks printed, `#rrggbb` lower case, each present in the image. */
  readonly palette: string[]
  /**
   * True for flat-ink designs (every pixel exactly one of `palette`, no antialiasing); false for
   * textured ones, whose pixels vary around the inks.
   */
  readonly isFlat: boolean
  readonly tags: string[]
  readonly motifs: string[]
  readonly collection: string
  readonly designer: string
  readonly image: RgbImage
}
