import { COLLECTIONS, DESIGNERS, type DesignSpec } from './design-spec.js'
import { fillShape } from './ink-canvas.js'
import { disc, leaf, paisley, ring, rose, segment } from './shapes.js'

/**
 * Mirror repeats: each tile is drawn deliberately lopsided, since the layout reflects it into
 * a symmetric 2w × 2h period; a tile that was symmetric already would repeat at w × h.
 */
export const MIRROR_DESIGNS: readonly DesignSpec[] = [
  {
    slug: 'riso-kaleidoscope',
    title: 'Riso Kaleidoscope',
    repeat: 'mirror',
    tile: [98, 86],
    size: [600, 540],
    paletteName: 'riso',
    inks: [0, 1, 2, 3, 4],
    tags: ['kaleidoscope', 'mirror', 'riso', 'bold', 'floral'],
    motifs: ['flowers', 'leaves', 'dots'],
    collection: COLLECTIONS.graphic,
    designer: DESIGNERS.aiko,
    seed: 301,
    draw: (c) => {
      fillShape(c, segment(24, 86, 98, 52, 7), 2)
      fillShape(c, rose(0, 0, 44, 6, 0, 0.8, 0.3), 1)
      fillShape(c, disc(0, 0, 12), 3)
      fillShape(c, leaf(4, 84, 52, 20, -0.75), 4)
      fillShape(c, disc(72, 26, 12), 3)
      fillShape(c, disc(72, 26, 5), 1)
    },
  },
  {
    slug: 'terracotta-paisley',
    title: 'Terracotta Paisley',
    repeat: 'mirror',
    tile: [110, 94],
    size: [672, 600],
    paletteName: 'terracotta',
    inks: [0, 1, 4, 5, 3],
    tags: ['paisley', 'boteh', 'mirror', 'terracotta', 'bohemian'],
    motifs: ['paisley', 'dots'],
    collection: COLLECTIONS.heirloom,
    designer: DESIGNERS.ines,
    seed: 302,
    draw: (c) => {
      fillShape(c, paisley(38, 58, 46, -0.85, 1), 1)
      fillShape(c, paisley(38, 58, 30, -0.85, 1), 4)
      fillShape(c, disc(38, 58, 8), 2)
      fillShape(c, disc(110, 0, 18), 3)
      fillShape(c, ring(110, 0, 7, 11), 2)
      for (const [x, y] of [
        [88, 50],
        [98, 68],
        [80, 84],
        [12, 10],
      ] as const) {
        fillShape(c, disc(x, y, 3.5), 2)
      }
    },
  },
  {
    slug: 'forest-damask',
    title: 'Forest Damask',
    repeat: 'mirror',
    tile: [120, 126],
    size: [736, 768],
    paletteName: 'nordic',
    inks: [4, 5],
    tags: ['damask', 'mirror', 'two-colour', 'nordic', 'classic'],
    motifs: ['leaves', 'rosettes', 'scrolls'],
    collection: COLLECTIONS.heirloom,
    designer: DESIGNERS.tomasz,
    seed: 303,
    draw: (c) => {
      fillShape(c, rose(120, 126, 40, 8, 0, 0.7, 0.35), 1)
      fillShape(c, disc(120, 126, 12), 0)
      fillShape(c, leaf(2, 124, 92, 30, -0.62), 1)
      fillShape(c, leaf(0, 40, 58, 20, 0.25), 1)
      fillShape(c, ring(70, 30, 14, 20), 1)
      fillShape(c, disc(70, 30, 6), 1)
      fillShape(c, leaf(100, 6, 34, 12, 2.6), 1)
    },
  },
  {
    slug: 'teal-trellis',
    title: 'Teal Trellis',
    repeat: 'mirror',
    tile: [90, 78],
    size: [560, 512],
    paletteName: 'mid-century',
    inks: [0, 2, 1, 4],
    tags: ['trellis', 'lattice', 'mirror', 'mid-century', 'geometric'],
    motifs: ['lattice', 'dots'],
    collection: COLLECTIONS.graphic,
    designer: DESIGNERS.ruth,
    seed: 304,
    draw: (c) => {
      fillShape(c, segment(0, 0, 90, 78, 7), 1)
      fillShape(c, disc(90, 0, 15), 2)
      fillShape(c, disc(90, 0, 6), 3)
      fillShape(c, disc(22, 58, 6), 3)
      fillShape(c, disc(62, 20, 4), 2)
    },
  },
]
