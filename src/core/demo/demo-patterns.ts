import { createPrng } from '../colour/index.js'
import { buildRepeat } from '../repeat/index.js'
import { DEMO_PALETTES } from './demo-palettes.js'
import type { DemoPattern } from './demo-pattern.js'
import type { DesignSpec } from './design-spec.js'
import { FLORAL_DESIGNS } from './floral-designs.js'
import { GEOMETRIC_DESIGNS } from './geometric-designs.js'
import { createInkCanvas, inksUsed, renderInks } from './ink-canvas.js'
import { MIRROR_DESIGNS } from './mirror-designs.js'
import { PAINTERLY_DESIGNS } from './painterly-designs.js'
import { PLACED_DESIGNS } from './placed-designs.js'
import { applyTexture } from './texture.js'

/** Every design of the demo archive, in catalogue order. */
export const DEMO_DESIGNS: readonly DesignSpec[] = [
  ...GEOMETRIC_DESIGNS,
  ...FLORAL_DESIGNS,
  ...MIRROR_DESIGNS,
  ...PAINTERLY_DESIGNS,
  ...PLACED_DESIGNS,
]

/**
 * Generates the demo archive: 26 patterns over every repeat type and six palettes, drawn in code.
 * Deterministic: every call returns the same bytes. Pure; takes well under a second.
 */
export function demoPatterns(): DemoPattern[] {
  return DEMO_DESIGNS.map(renderDesign)
}

/**
 * Draws one design: its tile in inks, coloured, textured if the design says so, then laid out by
 * `buildRepeat` (or drawn whole for a placed design). Throws Error when the drawing leaves one of
 * the declared inks unused, so a pattern's palette is always exactly the inks in its pixels.
 */
export function renderDesign(spec: DesignSpec): DemoPattern {
  const rng = createPrng(spec.seed)
  const palette = spec.inks.map((i) => DEMO_PALETTES[spec.paletteName][i] as string)
  const [width, height] = spec.size
  const [tw, th] = spec.repeat === 'none' ? spec.size : spec.tile
  const wrap = spec.repeat === 'none' || spec.repeat === 'mirror' ? 'clip' : spec.repeat
  const canvas = createInkCanvas(tw, th, wrap)
  spec.draw(canvas, rng)
  const used = inksUsed(canvas)
  if (used.length !== palette.length) {
    throw new Error(`${spec.slug}: draws inks ${used.join(',')} of ${palette.length} declared`)
  }
  const flat = renderInks(canvas, palette)
  const tile = spec.texture === undefined ? flat : applyTexture(flat, spec.texture, rng)
  const image = spec.repeat === 'none' ? tile : buildRepeat(tile, spec.repeat, width, height)
  return {
    slug: spec.slug,
    title: spec.title,
    repeat: spec.repeat,
    tileWidth: tw,
    tileHeight: th,
    paletteName: spec.paletteName,
    palette,
    isFlat: spec.texture === undefined,
    tags: [...spec.tags],
    motifs: [...spec.motifs],
    collection: spec.collection,
    designer: spec.designer,
    image,
  }
}
