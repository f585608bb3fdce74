import { COLLECTIONS, DESIGNERS, type DesignSpec } from './design-spec.js'
import { fillEach, fillShape } from './ink-canvas.js'
import { disc, leaf, rect, ring, rose, segment, subtract } from './shapes.js'

/** Placed (non-repeating) compositions: a scarf, an engineered border print and a poster. */
export const PLACED_DESIGNS: readonly DesignSpec[] = [
  {
    slug: 'medallion-scarf',
    title: 'Medallion Scarf',
    repeat: 'none',
    tile: [720, 720],
    size: [720, 720],
    paletteName: 'indigo',
    inks: [3, 0, 1, 2, 5],
    tags: ['scarf', 'medallion', 'placed', 'indigo', 'engineered'],
    motifs: ['medallion', 'rosettes', 'border'],
    collection: COLLECTIONS.heirloom,
    designer: DESIGNERS.ines,
    seed: 501,
    draw: (c) => {
      fillShape(c, subtract(rect(20, 20, 700, 700), rect(44, 44, 676, 676)), 1)
      fillShape(c, subtract(rect(54, 54, 666, 666), rect(58, 58, 662, 662)), 4)
      for (let i = 0; i < 16; i++) {
        const t = 40 + i * 40
        for (const [x, y] of [
          [t, 32],
          [t, 688],
          [32, t],
          [688, t],
        ] as const) {
          fillShape(c, disc(x, y, 5), 0)
        }
      }
      for (const [x, y] of [
        [110, 110],
        [610, 110],
        [110, 610],
        [610, 610],
      ] as const) {
        fillShape(c, rose(x, y, 40, 6, Math.PI / 4, 0.7, 0.3), 2)
        fillShape(c, disc(x, y, 10), 4)
      }
      fillShape(c, ring(360, 360, 200, 214), 1)
      for (let i = 0; i < 24; i++) {
        const a = (i / 24) * 2 * Math.PI
        fillShape(c, disc(360 + 236 * Math.cos(a), 360 + 236 * Math.sin(a), 7), 4)
      }
      fillShape(c, rose(360, 360, 184, 12, 0, 0.8, 0.35), 3)
      fillShape(c, rose(360, 360, 112, 8, Math.PI / 8, 0.6, 0.4), 2)
      fillShape(c, ring(360, 360, 56, 68), 4)
      fillShape(c, disc(360, 360, 38), 1)
      fillShape(c, rose(360, 360, 26, 5, 0, 0.7, 0.3), 3)
    },
  },
  {
    slug: 'harvest-border',
    title: 'Harvest Border',
    repeat: 'none',
    tile: [768, 576],
    size: [768, 576],
    paletteName: 'terracotta',
    inks: [0, 1, 2, 3, 4, 5],
    tags: ['border print', 'bouquet', 'placed', 'terracotta', 'floral'],
    motifs: ['bouquet', 'border', 'petals'],
    collection: COLLECTIONS.botanica,
    designer: DESIGNERS.ruth,
    seed: 502,
    draw: (c, rng) => {
      fillShape(c, rect(0, 486, 768, 576), 4)
      for (let x = 24; x < 768; x += 48) fillShape(c, disc(x, 486, 20), 4)
      for (let x = 48; x < 768; x += 96) {
        fillShape(c, rose(x, 534, 20, 6, 0, 0.7, 0.3), 5)
        fillShape(c, disc(x, 534, 5), 2)
      }
      const stems: readonly (readonly [number, number])[] = [
        [300, 250],
        [392, 196],
        [246, 164],
        [404, 306],
        [200, 286],
      ]
      for (const [x, y] of stems) fillShape(c, segment(x, y, 330, 440, 5), 4)
      fillShape(c, leaf(330, 420, 110, 34, -2.3), 4)
      fillShape(c, leaf(330, 420, 100, 30, -0.7), 4)
      fillShape(c, leaf(300, 330, 80, 26, -2.9), 2)
      fillShape(c, leaf(360, 330, 80, 26, -0.2), 2)
      fillShape(c, rose(300, 250, 62, 5, 0.2, 0.45, 0.3), 1)
      fillShape(c, disc(300, 250, 16), 4)
      fillShape(c, rose(392, 196, 46, 6, 0.5, 0.6, 0.3), 3)
      fillShape(c, disc(392, 196, 10), 2)
      fillShape(c, rose(246, 164, 38, 8, 0.1, 0.9, 0.25), 5)
      fillShape(c, disc(246, 164, 9), 4)
      fillShape(c, rose(404, 306, 34, 5, 1.1, 0.45, 0.3), 2)
      fillShape(c, disc(404, 306, 8), 5)
      fillShape(c, rose(200, 286, 30, 7, 0.3, 0.7, 0.3), 3)
      for (let i = 0; i < 22; i++) {
        const x = 40 + rng() * 690
        const y = 30 + rng() * 420
        if (Math.hypot(x - 310, y - 250) < 190) continue
        fillShape(c, leaf(x, y, 16 + rng() * 10, 8, rng() * 2 * Math.PI), i % 2 === 0 ? 3 : 1)
      }
    },
  },
  {
    slug: 'riso-sunset-poster',
    title: 'Riso Sunset Poster',
    repeat: 'none',
    tile: [600, 760],
    size: [600, 760],
    paletteName: 'riso',
    inks: [0, 3, 4, 2, 5, 1],
    tags: ['poster', 'landscape', 'placed', 'riso', 'sunset'],
    motifs: ['sun', 'hills', 'birds'],
    collection: COLLECTIONS.graphic,
    designer: DESIGNERS.aiko,
    seed: 503,
    draw: (c) => {
      fillEach(c, (x, y) => {
        if (y > 650 + 20 * Math.sin(x / 35)) return 4
        if (y > 560 + 30 * Math.sin(x / 50 + 1)) return 3
        if (y > 470 + 42 * Math.sin(x / 70 + 2)) return 2
        return Math.hypot(x - 390, y - 300) < 150 ? 1 : 0
      })
      fillShape(c, ring(390, 300, 164, 172), 5)
      for (const [x, y, s] of [
        [150, 170, 1.6],
        [250, 110, 1.2],
        [84, 262, 1.1],
        [150, 340, 0.9],
      ] as const) {
        fillShape(c, leaf(x, y, 44 * s, 13 * s, -2.75), 5)
        fillShape(c, leaf(x, y, 44 * s, 13 * s, -0.4), 5)
      }
    },
  },
]
