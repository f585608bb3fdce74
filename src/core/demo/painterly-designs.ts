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
      const warpX = tileableNoise(180, 140, 2, 2, 3, rng)
      const warpY = tileableNoise(180, 140, 2, 2, 3, rng)
      const field = tileableNoise(180, 140, 3, 2, 4, rng)
      fillEach(c, (x, y) => {
        // Domain warping: sampling the noise at a noise-displaced point drags the bands into
        // the folds of marbled paper. Both fields repeat with the tile, so the result does too.
        const v = field(x + 110 * warpX(x, y), y + 50 * warpY(x, y)) * 7
        const f = v - Math.floor(v)
        return f < 0.42 ? 0 : f < 0.62 ? 1 : f < 0.86 ? 2 : 3
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
    seed: 409,
    draw: (c, rng) => {
      const edge = tileableNoise(150, 150, 6, 6, 3, rng)
      // Colonies on a jittered 3 × 3 grid, a few missing, so they spread over the tile.
      const colonies: { x: number; y: number; r: number }[] = []
      for (let gy = 0; gy < 3; gy++) {
        for (let gx = 0; gx < 3; gx++) {
          if (rng() < 0.2) continue
          colonies.push({
            x: gx * 50 + 8 + rng() * 34,
            y: gy * 50 + 8 + rng() * 34,
            r: 12 + rng() * 16,
          })
        }
      }
      fillEach(c, (x, y) => {
        // Each colony grows in rings; noise frays its edge. Distances wrap with the tile.
        let best = Number.POSITIVE_INFINITY
        for (const { x: cx, y: cy, r } of colonies) {
          const dx = Math.min(Math.abs(x - cx), 150 - Math.abs(x - cx))
          const dy = Math.min(Math.abs(y - cy), 150 - Math.abs(y - cy))
          best = Math.min(best, Math.hypot(dx, dy) / (r * (0.45 + 1.1 * edge(x, y))))
        }
        return best < 0.3 ? 3 : best < 0.62 ? 2 : best < 1 ? 1 : 0
      })
      for (let i = 0; i < 18; i++) fillShape(c, disc(rng() * 150, rng() * 150, 1.6 + rng() * 2), 2)
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
    texture: { kind: 'wash', amplitude: 24 },
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
