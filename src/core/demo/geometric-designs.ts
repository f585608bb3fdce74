import { bands } from './bands.js'
import { COLLECTIONS, DESIGNERS, type DesignSpec } from './design-spec.js'
import { fillEach, fillShape } from './ink-canvas.js'
import { disc, polygon, rect, ring, star } from './shapes.js'

/** Stripes, checks, chevrons, diamonds and herringbone: the graphic half of the archive. */
export const GEOMETRIC_DESIGNS: readonly DesignSpec[] = [
  {
    slug: 'harbour-ticking',
    title: 'Harbour Ticking',
    repeat: 'block',
    tile: [150, 112],
    size: [600, 560],
    paletteName: 'nordic',
    inks: [0, 3, 2, 1],
    tags: ['stripe', 'ticking', 'nautical', 'nordic'],
    motifs: ['stripes', 'dashes'],
    collection: COLLECTIONS.coastline,
    designer: DESIGNERS.tomasz,
    seed: 101,
    draw: (c) => {
      const stripes: readonly (readonly [number, number, number])[] = [
        [10, 36, 1],
        [42, 45, 2],
        [52, 56, 3],
        [88, 118, 1],
        [124, 127, 2],
        [131, 135, 3],
      ]
      fillEach(c, (x) => stripes.find(([x0, x1]) => x >= x0 && x < x1)?.[2] ?? 0)
      fillShape(c, rect(20, 40, 26, 72), 2)
      for (const y of [8, 36, 64]) fillShape(c, rect(100, y, 106, y + 12), 0)
    },
  },
  {
    slug: 'highland-sett',
    title: 'Highland Sett',
    repeat: 'block',
    tile: [171, 171],
    size: [684, 684],
    paletteName: 'terracotta',
    inks: [1, 4, 0, 5],
    tags: ['tartan', 'plaid', 'check', 'woven', 'terracotta'],
    motifs: ['tartan', 'twill'],
    collection: COLLECTIONS.heirloom,
    designer: DESIGNERS.ruth,
    seed: 102,
    draw: (c) => {
      const sett = bands([
        [0, 36],
        [1, 24],
        [3, 4],
        [1, 24],
        [0, 36],
        [2, 6],
        [0, 12],
        [1, 6],
        [0, 12],
        [2, 6],
        [0, 5],
      ])
      // A 2/1 twill: where warp and weft differ, two of every three pixels show the warp. The
      // sett is 171 = 3 × 57 threads, so the twill meets itself across the tile edge.
      fillEach(c, (x, y) => {
        const warp = sett(x)
        const weft = sett(y)
        return warp === weft || (Math.floor(x) + Math.floor(y)) % 3 < 2 ? warp : weft
      })
    },
  },
  {
    slug: 'riso-chevron',
    title: 'Riso Chevron',
    repeat: 'block',
    tile: [132, 96],
    size: [660, 576],
    paletteName: 'riso',
    inks: [0, 1, 2, 3],
    tags: ['chevron', 'zigzag', 'riso', 'bold'],
    motifs: ['chevrons'],
    collection: COLLECTIONS.graphic,
    designer: DESIGNERS.aiko,
    seed: 103,
    draw: (c) => {
      const stack = bands([
        [0, 14],
        [1, 10],
        [0, 6],
        [2, 18],
        [0, 8],
        [3, 12],
        [0, 6],
        [2, 4],
        [0, 18],
      ])
      fillEach(c, (x, y) => stack(y + Math.abs(x - 66) * (40 / 66)))
    },
  },
  {
    slug: 'sage-argyle',
    title: 'Sage Argyle',
    repeat: 'block',
    tile: [120, 160],
    size: [600, 640],
    paletteName: 'sage',
    inks: [0, 1, 2, 4],
    tags: ['argyle', 'diamond', 'knit', 'sage'],
    motifs: ['diamonds', 'overcheck'],
    collection: COLLECTIONS.heirloom,
    designer: DESIGNERS.ines,
    seed: 104,
    draw: (c) => {
      fillEach(c, (x, y) => {
        const u = x / 120
        const v = y / 160
        const inCentre = Math.abs(u - 0.5) + Math.abs(v - 0.5) <= 0.5
        // Overcheck lines run through the diamonds' centres; 96 px per unit across the diagonal.
        const d1 = u - v - Math.round(u - v)
        const d2 = u + v - Math.round(u + v)
        const dash1 = Math.floor((u + v) * 16) % 2 === 0
        const dash2 = Math.floor((u - v + 4) * 16) % 2 === 0
        if ((Math.abs(d1) * 96 < 1.6 && dash1) || (Math.abs(d2) * 96 < 1.6 && dash2)) return 3
        return inCentre ? 1 : 2
      })
      fillShape(c, disc(60, 80, 6), 0)
    },
  },
  {
    slug: 'tweed-herringbone',
    title: 'Tweed Herringbone',
    repeat: 'block',
    tile: [144, 90],
    size: [576, 540],
    paletteName: 'indigo',
    inks: [0, 3, 2, 1],
    tags: ['herringbone', 'tweed', 'woven', 'indigo'],
    motifs: ['herringbone'],
    collection: COLLECTIONS.heirloom,
    designer: DESIGNERS.ruth,
    seed: 105,
    draw: (c) => {
      const columns: readonly (readonly [number, number, number, number])[] = [
        // [x0, x1, direction, offset]: offsets leave a 7 px break where the slant turns.
        [0, 44, 1, 0],
        [44, 72, -1, 51],
        [72, 116, 1, 30],
        [116, 144, -1, 81],
      ]
      const weaveA = bands([
        [1, 10],
        [0, 5],
        [1, 10],
        [0, 5],
        [2, 10],
        [0, 5],
        [1, 10],
        [0, 5],
        [1, 10],
        [0, 5],
        [3, 10],
        [0, 5],
      ])
      fillEach(c, (x, y) => {
        const col = columns.findIndex(([x0, x1]) => x >= x0 && x < x1)
        const [x0, , dir, offset] = columns[col] as readonly [number, number, number, number]
        const ink = weaveA(y + dir * (x - x0) + offset)
        // The second pair of columns swaps two accent inks, so the repeat is all four columns.
        return col >= 2 && ink >= 2 ? 5 - ink : ink
      })
    },
  },
  {
    slug: 'brick-lane',
    title: 'Brick Lane',
    repeat: 'half-brick',
    tile: [130, 54],
    size: [650, 648],
    paletteName: 'terracotta',
    inks: [0, 1, 2, 3],
    tags: ['brick', 'geometric', 'terracotta', 'architectural'],
    motifs: ['bricks', 'stamps'],
    collection: COLLECTIONS.graphic,
    designer: DESIGNERS.tomasz,
    seed: 207,
    draw: (c) => {
      fillShape(c, rect(4, 4, 126, 50), 1)
      fillShape(c, disc(34, 27, 11), 2)
      fillShape(c, ring(34, 27, 4, 7), 3)
      fillShape(
        c,
        polygon([
          [96, 15],
          [108, 27],
          [96, 39],
          [84, 27],
        ]),
        3,
      )
    },
  },
  {
    slug: 'indigo-fish-scale',
    title: 'Indigo Fish Scale',
    repeat: 'half-brick',
    tile: [90, 54],
    size: [630, 648],
    paletteName: 'indigo',
    inks: [0, 3, 2, 1],
    tags: ['scale', 'scallop', 'japanese', 'indigo'],
    motifs: ['scales'],
    collection: COLLECTIONS.coastline,
    designer: DESIGNERS.aiko,
    seed: 208,
    draw: (c) => {
      const R = 58
      fillEach(c, (x, y) => {
        // Scales of lower rows lie over those above: take the lowest row whose disc holds the
        // point. Row r is shifted right by r·45, exactly as the half-brick layout shifts tiles.
        for (let r = 2; r >= -1; r--) {
          const cy = 54 * r + 14
          for (let i = -2; i <= 2; i++) {
            const cx = 45 + 90 * i + 45 * r
            const d = Math.hypot(x - cx, y - cy)
            if (d > R) continue
            if (d > 53) return 1
            if (d > 45) return 0
            if (d > 30) return 2
            return d > 24 ? 0 : 3
          }
        }
        return 0
      })
    },
  },
  {
    slug: 'ikat-diamond',
    title: 'Ikat Diamond',
    repeat: 'half-brick',
    tile: [120, 100],
    size: [600, 600],
    paletteName: 'indigo',
    inks: [0, 3, 2, 5],
    tags: ['ikat', 'diamond', 'woven', 'indigo', 'global'],
    motifs: ['diamonds'],
    collection: COLLECTIONS.heirloom,
    designer: DESIGNERS.ruth,
    seed: 209,
    draw: (c, rng) => {
      // Ikat threads are dyed before weaving, so each group of rows bleeds a little sideways.
      const jitter = Array.from({ length: 34 }, () => Math.floor(rng() * 9) - 4)
      fillEach(c, (x, y) => {
        const shift = jitter[Math.floor(y / 3)] as number
        const s = Math.abs(x - 60 + shift) / 58 + Math.abs(y - 50) / 48
        if (s <= 0.22) return 3
        if (s <= 0.5) return 2
        if (s <= 0.64) return 0
        return s <= 1 ? 1 : 0
      })
    },
  },
  {
    slug: 'riso-starburst',
    title: 'Riso Starburst',
    repeat: 'half-brick',
    tile: [108, 84],
    size: [648, 672],
    paletteName: 'riso',
    inks: [0, 2, 1, 3],
    tags: ['star', 'starburst', 'riso', 'celestial'],
    motifs: ['stars', 'dots'],
    collection: COLLECTIONS.graphic,
    designer: DESIGNERS.aiko,
    seed: 210,
    draw: (c) => {
      fillShape(c, star(50, 40, 36, 15, 8, 0.2), 1)
      fillShape(c, star(50, 40, 18, 8, 4, 0.6), 2)
      fillShape(c, disc(50, 40, 5), 3)
      fillShape(c, disc(96, 10, 4), 2)
      fillShape(c, disc(100, 70, 3.5), 3)
    },
  },
]
