import type { RepeatType } from '../archive/index.js'
import type { Prng } from '../colour/index.js'
import type { DemoPaletteName } from './demo-palettes.js'
import type { InkCanvas } from './ink-canvas.js'

/** Grain printed over a design: `linen` woven slubs, `wash` soft watercolour blooms. */
export type Texture =
  | { readonly kind: 'linen'; readonly amplitude: number }
  | { readonly kind: 'wash'; readonly amplitude: number }

/** The recipe for one demo pattern: metadata plus a procedure that draws its tile in inks. */
export interface DesignSpec {
  readonly slug: string
  readonly title: string
  readonly repeat: RepeatType
  /** Tile width and height; for `none` the composition is drawn at `size` instead. */
  readonly tile: readonly [number, number]
  /** Output image width and height. */
  readonly size: readonly [number, number]
  readonly paletteName: DemoPaletteName
  /** Palette position of each ink the drawing uses: ink 0 (the ground) is `inks[0]`, … */
  readonly inks: readonly number[]
  /** Grain added after colouring; absent for flat-ink designs. */
  readonly texture?: Texture
  readonly tags: readonly string[]
  readonly motifs: readonly string[]
  readonly collection: string
  readonly designer: string
  readonly seed: number
  /** Draws the tile (or the placed composition) with ink indices `0..inks.length-1`. */
  readonly draw: (canvas: InkCanvas, rng: Prng) => void
}

/** The demo studio's collections; each design belongs to one. */
export const COLLECTIONS = {
  coastline: 'Coastline',
  botanica: 'Atelier Botanica',
  graphic: 'Graphic Archive',
  heirloom: 'Heirloom Weaves',
} as const

/** The demo studio's designers (fictional); each design has one. */
export const DESIGNERS = {
  ines: 'Ines Marchetti',
  tomasz: 'Tomasz Wójcik',
  aiko: 'Aiko Tanabe',
  ruth: 'Ruth Okafor',
} as const
