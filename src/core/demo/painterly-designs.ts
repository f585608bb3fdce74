import { bands } from './bands.js'
import { COLLECTIONS, DESIGNERS, type DesignSpec } from './design-spec.js'
import { fillEach, fillShape } from './ink-canvas.js'
import { disc, leaf, rect, rose } from './shapes.js'
import { tileableNoise } from './tileable-noise.js'

/**
 * Painterly designs from seeded noise: two in flat inks (organic shapes thresholded from
 * tileable noise) and two printed with a texture over the inks.
 */
export const PAINTERLY_DESIGNS: readonly DesignSpec[] = [
  {
    slug: 'marbled-tide',
    title: 'Marbled Tide',
    repeat: 'block',
    tile: [180, 140],
    size: [720, 560],
    paletteName: 'indigo',
    inks: [0, 1, 2, 3],
    tags: ['marbled', 'painterly', 'abstract', 'indigo', 'water'],
    motifs: ['marbling', 'waves'],
    collection: COLLECTIONS.coastline,
    designer: DESIGNERS.ines,
    seed: 401,
    draw: (c, rng) => {
      const warp = tileableNoise(180, 140, 2, 2, 3, rng)
      const field = tileableNoise(180, 140, 3, 2, 4, rng)
      fillEach(c, (x, y) => {
        // Domain warping: sampling the noise at a noise-displaced point drags the bands into
        // the folds of marbled paper. Both fields repeat with the tile, so the result does too.
        const v = field(x + 70 * warp(x, y), y + 30 * warp(y, x)) * 4.2
        const f = v - Math.floor(v)
        return f < 0.34 ? 0 : f < 0.55 ? 1 : f < 0.8 ? 2 : 3
      })
    },
  },
  {
    slug: 'lichen-bloom',
    title: 'Lichen Bloom',
    repeat: 'block',
    tile: [150, 150],
    size: [600, 600],
    paletteName: 'sage',
    inks: [0, 1, 2, 3],
    tags: ['lichen', 'organic', 'painterly', 'sage', 'natural'],
    motifs: ['organic blotches', 'speckles'],
    collection: COLLECTIONS.botanica,
    designer: DESIGNERS.tomasz,
    seed: 402,
    draw: (c, rng) => {
      const field = tileableNoise(150, 150, 3, 3, 5, rng)
      fillEach(c, (x, y) => {
        const v = field(x, y)
        return v < 0.44 ? 0 : v < 0.53 ? 1 : v < 0.62 ? 2 : 3
      })
      for (let i = 0; i < 14; i++)
        fillShape(c, disc(rng() * 150, rng() * 150, 1.6 + rng() * 2.2), 3)
    },
  },
  {
    slug: 'watercolour-poppies',
    title: 'Watercolour Poppies',
    repeat: 'block',
    tile: [160, 136],
    size: [640, 544],
    paletteName: 'terracotta',
    inks: [0, 1, 4, 5],
    texture: { kind: 'wash', amplitude: 16 },
    tags: ['poppy', 'watercolour', 'floral', 'painterly', 'terracotta'],
    motifs: ['poppies', 'leaves'],
    collection: COLLECTIONS.botanica,
    designer: DESIGNERS.ines,
    seed: 403,
    draw: (c) => {
      const blooms: readonly (readonly [number, number, number, number])[] = [
        [44, 40, 30, 0.3],
        [122, 96, 24, 1.1],
        [136, 20, 14, 0.7],
      ]
      for (const [x, y, r, turn] of blooms) {
        fillShape(c, leaf(x, y, r * 2.1, r * 0.7, turn + 2.2), 3)
        fillShape(c, rose(x, y, r, 5, turn, 0.35, 0.4), 1)
        fillShape(c, disc(x, y, r * 0.28), 2)
      }
      fillShape(c, leaf(70, 118, 40, 14, -0.4), 3)
    },
  },
  {
    slug: 'linen-stripe',
    title: 'Linen Stripe',
    repeat: 'block',
    tile: [126, 100],
    size: [630, 600],
    paletteName: 'sage',
    inks: [0, 2, 4],
    texture: { kind: 'linen', amplitude: 22 },
    tags: ['stripe', 'linen', 'woven', 'textured', 'sage'],
    motifs: ['stripes'],
    collection: COLLECTIONS.heirloom,
    designer: DESIGNERS.ruth,
    seed: 404,
    draw: (c) => {
      const warp = bands([
        [0, 18],
        [1, 22],
        [0, 8],
        [2, 6],
        [0, 8],
        [1, 9],
        [0, 30],
        [2, 14],
        [0, 11],
      ])
      fillEach(c, (x) => warp(x))
      fillShape(c, rect(0, 62, 126, 66), 2)
    },
  },
]
