import { COLLECTIONS, DESIGNERS, type DesignSpec } from './design-spec.js'
import { fillShape, type InkCanvas } from './ink-canvas.js'
import { disc, ellipse, leaf, polygon, rect, ring, rose, segment } from './shapes.js'

/** A quadratic Bézier curve from `a` through control `b` to `c`, at `t` in `0..1`. */
function bezier(
  a: readonly [number, number],
  b: readonly [number, number],
  c: readonly [number, number],
  t: number,
): [number, number] {
  const s = 1 - t
  return [
    s * s * a[0] + 2 * s * t * b[0] + t * t * c[0],
    s * s * a[1] + 2 * s * t * b[1] + t * t * c[1],
  ]
}

/** A stem along a Bézier curve with leaves alternating left and right. */
function sprig(
  c: InkCanvas,
  from: readonly [number, number],
  via: readonly [number, number],
  to: readonly [number, number],
  stemInk: number,
  leafInks: readonly number[],
): void {
  const steps = 24
  for (let i = 0; i < steps; i++) {
    const p = bezier(from, via, to, i / steps)
    const q = bezier(from, via, to, (i + 1) / steps)
    fillShape(c, segment(p[0], p[1], q[0], q[1], 3.2), stemInk)
  }
  for (let i = 1; i <= 5; i++) {
    const t = i / 6
    const p = bezier(from, via, to, t)
    const q = bezier(from, via, to, t + 0.01)
    const along = Math.atan2(q[1] - p[1], q[0] - p[0])
    const side = i % 2 === 0 ? 1 : -1
    const ink = leafInks[i % leafInks.length] as number
    fillShape(c, leaf(p[0], p[1], 30 - i * 2, 12 - i, along + side * 0.85), ink)
  }
}

/** Petals from polar roses, leaves and sprigs: the botanical half of the archive. */
export const FLORAL_DESIGNS: readonly DesignSpec[] = [
  {
    slug: 'indigo-ogee',
    title: 'Indigo Ogee Garden',
    repeat: 'half-drop',
    tile: [120, 168],
    size: [720, 672],
    paletteName: 'indigo',
    inks: [0, 3, 1, 2, 5],
    tags: ['ogee', 'lattice', 'floral', 'indigo', 'traditional'],
    motifs: ['ogee', 'flowers', 'leaves'],
    collection: COLLECTIONS.botanica,
    designer: DESIGNERS.ines,
    seed: 201,
    draw: (c) => {
      // Half-widths with hw(t) + hw(t + 1/2) = 120, so each ogee meets its half-dropped
      // neighbours exactly: the S-curves of an ogee lattice with no gaps.
      const hw = (t: number) =>
        60 * (1 - Math.cos(2 * Math.PI * t)) + 30 * Math.sin(2 * Math.PI * t) ** 3
      const ogee = (inset: number) => ({
        box: [-80, 0, 200, 168] as const,
        inside: (x: number, y: number) => {
          const t = y / 168
          return t > inset / 120 && t < 1 - inset / 120 && Math.abs(x - 60) <= hw(t) - inset
        },
      })
      fillShape(c, ogee(0), 1)
      fillShape(c, ogee(6), 0)
      for (const a of [-0.35, 0.35]) {
        fillShape(c, leaf(60, 84, 44, 16, -Math.PI / 2 + a), 2)
        fillShape(c, leaf(60, 84, 40, 15, Math.PI / 2 + a), 2)
      }
      fillShape(c, rose(60, 84, 27, 6, 0.3, 0.7, 0.3), 3)
      fillShape(c, disc(60, 84, 8), 4)
      fillShape(c, disc(60, 0, 7), 4)
    },
  },
  {
    slug: 'mustard-polka',
    title: 'Mustard Polka',
    repeat: 'half-drop',
    tile: [96, 132],
    size: [672, 660],
    paletteName: 'mid-century',
    inks: [0, 2, 1, 3],
    tags: ['polka dot', 'spot', 'mid-century', 'playful'],
    motifs: ['dots', 'rings'],
    collection: COLLECTIONS.graphic,
    designer: DESIGNERS.aiko,
    seed: 202,
    draw: (c) => {
      fillShape(c, disc(40, 50, 22), 1)
      fillShape(c, disc(40, 50, 8), 2)
      fillShape(c, disc(80, 112, 7), 3)
      fillShape(c, ring(14, 108, 5, 9), 2)
    },
  },
  {
    slug: 'blush-daisy-chain',
    title: 'Blush Daisy Chain',
    repeat: 'half-drop',
    tile: [110, 150],
    size: [660, 750],
    paletteName: 'sage',
    inks: [0, 1, 2, 4, 5],
    tags: ['daisy', 'floral', 'ditsy', 'sage', 'spring'],
    motifs: ['daisies', 'leaves', 'buds'],
    collection: COLLECTIONS.botanica,
    designer: DESIGNERS.ines,
    seed: 203,
    draw: (c) => {
      for (const a of [0.5, 2.3, 4.2]) fillShape(c, leaf(55, 75, 46, 16, a), 2)
      fillShape(c, rose(55, 75, 30, 9, 0.2, 0.9, 0.22), 3)
      fillShape(c, disc(55, 75, 8), 4)
      fillShape(c, leaf(96, 30, 22, 9, -2.2), 1)
      fillShape(c, disc(96, 30, 6), 3)
      fillShape(c, leaf(14, 128, 20, 8, 0.6), 1)
    },
  },
  {
    slug: 'pine-berry-sprig',
    title: 'Pine Berry Sprig',
    repeat: 'half-drop',
    tile: [104, 140],
    size: [624, 700],
    paletteName: 'nordic',
    inks: [0, 4, 3, 2],
    tags: ['sprig', 'botanical', 'winter', 'nordic'],
    motifs: ['leaves', 'berries', 'stems'],
    collection: COLLECTIONS.botanica,
    designer: DESIGNERS.tomasz,
    seed: 204,
    draw: (c) => {
      sprig(c, [28, 128], [20, 60], [76, 18], 1, [1, 2])
      fillShape(c, disc(80, 14, 6), 3)
      fillShape(c, disc(88, 24, 5), 3)
      fillShape(c, disc(72, 6, 4.5), 3)
    },
  },
  {
    slug: 'meadow-scatter',
    title: 'Meadow Scatter',
    repeat: 'block',
    tile: [171, 171],
    size: [684, 684],
    paletteName: 'sage',
    inks: [0, 1, 2, 4, 5],
    tags: ['ditsy', 'floral', 'scatter', 'sage', 'cottage'],
    motifs: ['flowers', 'leaves'],
    collection: COLLECTIONS.botanica,
    designer: DESIGNERS.aiko,
    seed: 205,
    draw: (c, rng) => {
      const spots: [number, number][] = []
      for (let attempt = 0; spots.length < 8 && attempt < 2000; attempt++) {
        const x = rng() * 171
        const y = rng() * 171
        // Keep flowers apart, measuring across the tile edges as the repeat will.
        const far = spots.every(([sx, sy]) => {
          const dx = Math.min(Math.abs(x - sx), 171 - Math.abs(x - sx))
          const dy = Math.min(Math.abs(y - sy), 171 - Math.abs(y - sy))
          return Math.hypot(dx, dy) > 48
        })
        if (far) spots.push([x, y])
      }
      spots.forEach(([x, y], i) => {
        const r = 11 + rng() * 8
        const turn = rng() * Math.PI
        fillShape(c, leaf(x, y, r * 1.9, r * 0.8, turn + 2.4), 2)
        fillShape(c, leaf(x, y, r * 1.6, r * 0.7, turn + 4.0), 2)
        fillShape(c, rose(x, y, r, 5 + (i % 3), turn, 0.7, 0.25), i % 2 === 0 ? 3 : 1)
        fillShape(c, disc(x, y, r * 0.3), 4)
      })
    },
  },
  {
    slug: 'tulip-parade',
    title: 'Tulip Parade',
    repeat: 'block',
    tile: [156, 118],
    size: [624, 590],
    paletteName: 'mid-century',
    inks: [0, 3, 5, 4, 1],
    tags: ['tulip', 'floral', 'mid-century', 'retro'],
    motifs: ['tulips', 'leaves', 'dots'],
    collection: COLLECTIONS.graphic,
    designer: DESIGNERS.ruth,
    seed: 206,
    draw: (c) => {
      fillShape(c, segment(50, 58, 50, 108, 4), 2)
      fillShape(c, leaf(50, 106, 40, 14, -2.1), 2)
      fillShape(c, leaf(50, 100, 36, 13, -1.0), 2)
      fillShape(c, ellipse(50, 44, 19, 16), 1)
      fillShape(
        c,
        polygon([
          [31, 44],
          [36, 14],
          [46, 36],
        ]),
        1,
      )
      fillShape(
        c,
        polygon([
          [42, 40],
          [50, 8],
          [58, 40],
        ]),
        1,
      )
      fillShape(
        c,
        polygon([
          [54, 36],
          [64, 14],
          [69, 44],
        ]),
        1,
      )
      fillShape(c, rect(45, 40, 55, 52), 3)
      for (const [x, y] of [
        [112, 30],
        [128, 80],
        [100, 96],
        [140, 12],
      ] as const) {
        fillShape(c, disc(x, y, 5), 4)
      }
      fillShape(c, ring(118, 56, 7, 11), 4)
    },
  },
]
