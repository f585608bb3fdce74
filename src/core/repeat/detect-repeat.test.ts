import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RgbImage } from '../image/index.js'
import { createRgbImage } from '../image/index.js'
import type { LayoutType } from './build-repeat.js'
import { buildRepeat } from './build-repeat.js'
import type { RepeatDetection } from './detect-repeat.js'
import { detectRepeat } from './detect-repeat.js'
import {
  addNoise,
  createBlobTile,
  createLatticeField,
  createPlacedDesign,
  createRng,
  createSmoothNoise,
  cropImage,
} from './test-patterns.js'

const LAYOUTS: readonly LayoutType[] = ['block', 'half-drop', 'half-brick', 'mirror']
const SIZES: readonly (readonly [number, number])[] = [
  [150, 110],
  [96, 132],
  [171, 171],
  [64, 200],
]

type Motif = 'inks' | 'texture'

function makeTile(kind: Motif, w: number, h: number, rng: () => number): RgbImage {
  return kind === 'inks' ? createBlobTile(w, h, rng) : createSmoothNoise(w, h, 6 + rng() * 14, rng)
}

/**
 * A repeat of `periods` lattice periods per direction (plus a fraction, so the image is not a
 * multiple of the period), at an arbitrary origin, with ±3 noise.
 */
function makeRepeat(
  tile: RgbImage,
  type: LayoutType,
  periods: number,
  rng: () => number,
): RgbImage {
  const scale = type === 'mirror' ? 2 : 1
  const W = Math.ceil(tile.width * scale * (periods + 0.1 + 0.6 * rng()))
  const H = Math.ceil(tile.height * scale * (periods + 0.1 + 0.6 * rng()))
  const origin = { x: Math.floor(rng() * 400) - 200, y: Math.floor(rng() * 400) - 200 }
  return addNoise(buildRepeat(tile, type, W, H, origin), 3, rng)
}

function hasTwin(type: LayoutType, w: number, h: number): boolean {
  return (type === 'half-drop' && h % 2 === 0) || (type === 'half-brick' && w % 2 === 0)
}

// A half-drop w×h with even h is the same point set as a half-brick 2w×(h/2) (and a half-brick
// w×h with even w the same as a half-drop (w/2)×2h): the pixels are identical, so either answer
// describes the image exactly. `detectRepeat` settles it by a documented heuristic.
function isEquivalentAnswer(r: RepeatDetection, type: LayoutType, w: number, h: number): boolean {
  if (r.type === type && r.tileWidth === w && r.tileHeight === h) return true
  if (type === 'half-drop' && h % 2 === 0) {
    return r.type === 'half-brick' && r.tileWidth === 2 * w && r.tileHeight === h / 2
  }
  if (type === 'half-brick' && w % 2 === 0) {
    return r.type === 'half-drop' && r.tileWidth === w / 2 && r.tileHeight === 2 * h
  }
  return false
}

describe('detectRepeat on synthetic repeats', () => {
  const cases = SIZES.flatMap(([w, h]) =>
    LAYOUTS.flatMap((type) => (['inks', 'texture'] as const).map((kind) => ({ w, h, type, kind }))),
  )

  // Exact type and size wherever the pixels determine them; for the drop/brick twins, the
  // exact answer or its pixel-identical twin (and the twin rarely: see the tally below).
  const exactTwins: boolean[] = []

  it.each(cases)(
    'finds $type $w×$h from a $kind tile (3+ periods, noise ±3)',
    ({ w, h, type, kind }) => {
      const rng = createRng(w * 7 + h * 13 + type.length * 101 + kind.length)
      const img = makeRepeat(makeTile(kind, w, h, rng), type, 3, rng)
      const r = detectRepeat(img)
      expect(isEquivalentAnswer(r, type, w, h), JSON.stringify(r)).toBe(true)
      if (hasTwin(type, w, h)) exactTwins.push(r.type === type)
      expect(r.confidence).toBeGreaterThan(0.8)
    },
  )

  it.each(SIZES.flatMap(([w, h]) => LAYOUTS.map((type) => ({ w, h, type }))))(
    'finds $type $w×$h with only two periods',
    ({ w, h, type }) => {
      const rng = createRng(w * 3 + h * 5 + type.length)
      const img = makeRepeat(makeTile('inks', w, h, rng), type, 2, rng)
      const r = detectRepeat(img)
      expect(isEquivalentAnswer(r, type, w, h), JSON.stringify(r)).toBe(true)
      if (hasTwin(type, w, h)) exactTwins.push(r.type === type)
    },
  )

  it('settles most drop/brick twins as the layout that generated them', () => {
    expect(exactTwins.length).toBeGreaterThan(10)
    expect(exactTwins.filter(Boolean).length / exactTwins.length).toBeGreaterThanOrEqual(0.85)
  })

  it('survives heavy noise (±12)', () => {
    for (const type of LAYOUTS) {
      const rng = createRng(29)
      const tile = createBlobTile(150, 110, rng)
      const scale = type === 'mirror' ? 2 : 1
      const img = addNoise(
        buildRepeat(tile, type, 150 * scale * 3 + 31, 110 * scale * 3 + 17),
        12,
        rng,
      )
      const r = detectRepeat(img)
      expect(isEquivalentAnswer(r, type, 150, 110), `${type}: ${JSON.stringify(r)}`).toBe(true)
    }
  })

  it('tells apart two inks of equal luma', () => {
    // Y = 0.299R + 0.587G + 0.114B ≈ 100.4 for both.
    const inks = [
      [180, 60, 100],
      [40, 120, 160],
    ] as const
    for (const type of LAYOUTS) {
      const rng = createRng(17)
      const img = makeRepeat(createBlobTile(150, 110, rng, { inks }), type, 3, rng)
      const r = detectRepeat(img)
      expect({ type: r.type, w: r.tileWidth, h: r.tileHeight }).toEqual({ type, w: 150, h: 110 })
    }
  })

  it('reports the smallest lattice, not a multiple of it', () => {
    const rng = createRng(23)
    const small = createBlobTile(50, 37, rng)
    // A 150×111 "tile" that is itself three by three copies of the 50×37 motif.
    const big = buildRepeat(small, 'block', 150, 111)
    const r = detectRepeat(makeRepeat(big, 'block', 3, rng))
    expect({ type: r.type, w: r.tileWidth, h: r.tileHeight }).toEqual({
      type: 'block',
      w: 50,
      h: 37,
    })
  })

  it('sees past stripes inside the tile to the design period', () => {
    for (const type of LAYOUTS) {
      for (const [w, h, stripe] of [
        [150, 110, 10],
        [96, 132, 8],
        [171, 171, 19],
      ] as const) {
        const rng = createRng(w + stripe)
        const tile = createRgbImage(w, h)
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            tile.data.set(
              x % stripe < stripe / 2 ? [30, 60, 150] : [230, 220, 200],
              (y * w + x) * 3,
            )
          }
        }
        // An L-shaped motif (no mirror symmetry) covering under 1 % of the tile.
        const mx = Math.floor(rng() * (w - 12))
        const my = Math.floor(rng() * (h - 12))
        for (let y = 0; y < 12; y++) {
          for (let x = 0; x < 12; x++) {
            if (x < 4 || y >= 8) tile.data.set([200, 30, 30], ((my + y) * w + mx + x) * 3)
          }
        }
        const r = detectRepeat(makeRepeat(tile, type, 3, rng))
        expect(isEquivalentAnswer(r, type, w, h), `${type} ${w}x${h}: ${JSON.stringify(r)}`).toBe(
          true,
        )
      }
    }
  })

  it('finds random repeats: tile sizes 40..200, every layout (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 40, max: 200 }),
        fc.integer({ min: 40, max: 200 }),
        fc.constantFrom(...LAYOUTS),
        fc.constantFrom<Motif>('inks', 'texture'),
        fc.integer(),
        (w, h, type, kind, seed) => {
          const rng = createRng(seed)
          const img = makeRepeat(makeTile(kind, w, h, rng), type, 2 + rng(), rng)
          const r = detectRepeat(img)
          expect(isEquivalentAnswer(r, type, w, h), JSON.stringify(r)).toBe(true)
        },
      ),
      { numRuns: 40 },
    )
  })
})

describe('detectRepeat without a repeat', () => {
  it.each([1, 2, 3])('reports none for a smooth photograph-like texture (seed %i)', (seed) => {
    const rng = createRng(seed)
    const r = detectRepeat(addNoise(createSmoothNoise(640, 480, 30 + 10 * seed, rng), 3, rng))
    expect(r).toMatchObject({ type: 'none', tileWidth: 640, tileHeight: 480 })
    expect(r.confidence).toBeGreaterThan(0.5)
  })

  it.each([1, 2, 3])('reports none for a single placed motif (seed %i)', (seed) => {
    const rng = createRng(seed * 31)
    const r = detectRepeat(addNoise(createPlacedDesign(600, 500, rng), 3, rng))
    expect(r.type).toBe('none')
  })

  it('reports none for a flat colour and for pure noise', () => {
    const flat = createRgbImage(300, 200)
    flat.data.fill(140)
    expect(detectRepeat(flat)).toEqual({
      type: 'none',
      tileWidth: 300,
      tileHeight: 200,
      confidence: 1,
    })
    expect(detectRepeat(addNoise(flat, 3, createRng(1))).type).toBe('none')
    const noise = createRgbImage(300, 200)
    const rng = createRng(2)
    for (let i = 0; i < noise.data.length; i++) noise.data[i] = Math.floor(rng() * 256)
    expect(detectRepeat(noise).type).toBe('none')
  })

  it('reports one seamless tile as a block of the image size, and a cut photo as none', () => {
    const rng = createRng(8)
    const field = createLatticeField(600, 500, 173, 131, 0, rng)
    const tile = addNoise(cropImage(field, 41, 67, 173, 131), 3, rng)
    expect(detectRepeat(tile)).toMatchObject({ type: 'block', tileWidth: 173, tileHeight: 131 })
    const inks = buildRepeat(createBlobTile(120, 90, rng), 'block', 400, 300)
    expect(detectRepeat(cropImage(inks, 55, 12, 120, 90))).toMatchObject({
      type: 'block',
      tileWidth: 120,
      tileHeight: 90,
    })
    const photo = createSmoothNoise(600, 500, 40, rng)
    expect(detectRepeat(cropImage(photo, 100, 50, 173, 131)).type).toBe('none')
  })

  it('rejects malformed images', () => {
    expect(() => detectRepeat({ width: 4, height: 4, data: new Uint8Array(5) })).toThrow(RangeError)
    expect(() => detectRepeat({ width: 0, height: 4, data: new Uint8Array(0) })).toThrow(RangeError)
  })
})
