import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRgbImage } from '../image/index.js'
import { buildRepeat } from './build-repeat.js'
import { detectRepeat } from './detect-repeat.js'
import { SEAMLESS_THRESHOLD, scoreSeamless } from './seamless.js'
import {
  addNoise,
  createBlobTile,
  createLatticeField,
  createRng,
  createSeamlessTile,
  createSmoothNoise,
  cropImage,
} from './test-patterns.js'

describe('scoreSeamless on a single tile', () => {
  it('scores a flat colour 1', () => {
    const flat = createRgbImage(64, 48)
    flat.data.fill(200)
    expect(scoreSeamless(flat)).toEqual({ score: 1, isSeamless: true })
  })

  // The periodic image is continuous across its tile boundaries (wrapped shapes, whole-cycle
  // waves), so a crop at exactly one period, anywhere, wraps without a seam. Ellipses only: a
  // straight shape edge that happens to lie on the seam line is indistinguishable from a seam.
  // The score is a statistic over one seam line, so about 1 small ink tile in 300 still lands
  // just under 0.9 by chance (an ellipse tangent to the seam); the run is seeded to stay stable.
  it('scores a crop of a periodic image at exactly one period as seamless (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 48, max: 160 }),
        fc.integer({ min: 48, max: 160 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom('inks', 'texture', 'waves'),
        fc.integer(),
        (w, h, x, y, kind, seed) => {
          const rng = createRng(seed)
          const tile =
            kind === 'inks'
              ? createBlobTile(w, h, rng, { isWrapped: true, hasRectangles: false })
              : kind === 'texture'
                ? cropImage(createLatticeField(w, h, w, h, 0, rng), 0, 0, w, h)
                : createSeamlessTile(w, h, rng)
          const periodic = buildRepeat(tile, 'block', w * 2 + 300, h * 2 + 300)
          const crop = addNoise(cropImage(periodic, x, y, w, h), 3, rng)
          const s = scoreSeamless(crop)
          expect(s.score).toBeGreaterThanOrEqual(0.9)
          expect(s.isSeamless).toBe(true)
        },
      ),
      { numRuns: 60, seed: 20_260_601 },
    )
  })

  it('scores a tile cut at an arbitrary point of a smooth photograph low', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const rng = createRng(seed)
      const photo = createSmoothNoise(600, 500, 25 + 5 * seed, rng)
      const cut = addNoise(
        cropImage(photo, 13 * seed, 7 * seed, 150 + 9 * seed, 110 + 7 * seed),
        3,
        rng,
      )
      const s = scoreSeamless(cut)
      expect(s.score).toBeLessThan(0.5)
      expect(s.isSeamless).toBe(false)
    }
  })

  it('treats the repeat "none" like no repeat', () => {
    const rng = createRng(4)
    const img = createSmoothNoise(120, 90, 30, rng)
    expect(scoreSeamless(img, { type: 'none', tileWidth: 1, tileHeight: 1 })).toEqual(
      scoreSeamless(img),
    )
  })
})

describe('scoreSeamless with a repeat', () => {
  it('scores a repeat of a tile that wraps under its layout high', () => {
    const rng = createRng(9)
    // A field periodic under the half-drop lattice (150, 55) & (0, 110): any 150×110 window is
    // a seamless half-drop tile.
    const dropField = createLatticeField(400, 300, 150, 110, 55, rng)
    const dropTile = cropImage(dropField, 31, 17, 150, 110)
    const drop = addNoise(buildRepeat(dropTile, 'half-drop', 470, 360), 3, rng)
    expect(
      scoreSeamless(drop, { type: 'half-drop', tileWidth: 150, tileHeight: 110 }).score,
    ).toBeGreaterThanOrEqual(SEAMLESS_THRESHOLD)
    const blockTile = createSeamlessTile(96, 132, rng)
    const block = addNoise(buildRepeat(blockTile, 'block', 300, 420), 3, rng)
    expect(scoreSeamless(block, detectRepeat(block)).isSeamless).toBe(true)
    // Mirror seams always join.
    const mirror = addNoise(
      buildRepeat(createBlobTile(80, 60, rng), 'mirror', 500, 380, { x: 9, y: 4 }),
      3,
      rng,
    )
    const found = detectRepeat(mirror)
    expect(found).toMatchObject({ type: 'mirror', tileWidth: 80, tileHeight: 60 })
    expect(scoreSeamless(mirror, found).isSeamless).toBe(true)
  })

  it('scores a repeat of a tile with visible seams low', () => {
    const rng = createRng(10)
    for (const type of ['block', 'half-drop', 'half-brick'] as const) {
      const tile = createSmoothNoise(150, 110, 20, rng)
      const img = addNoise(buildRepeat(tile, type, 470, 360), 3, rng)
      expect(scoreSeamless(img, { type, tileWidth: 150, tileHeight: 110 }).score).toBeLessThan(0.5)
    }
    // A block-seamless tile is not seamless as a half-drop: its right edge meets a shifted left edge.
    const waves = createLatticeField(300, 300, 150, 110, 0, rng)
    const tile = cropImage(waves, 0, 0, 150, 110)
    const img = buildRepeat(tile, 'half-drop', 470, 360)
    expect(
      scoreSeamless(img, { type: 'half-drop', tileWidth: 150, tileHeight: 110 }).isSeamless,
    ).toBe(false)
  })

  it('scores a repeat that does not fit the image low', () => {
    const rng = createRng(11)
    const seamless = createLatticeField(600, 600, 150, 110, 0, rng)
    const tile = cropImage(createBlobTile(150, 110, rng), 0, 0, 150, 110)
    const img = buildRepeat(tile, 'block', 470, 360)
    expect(
      scoreSeamless(img, { type: 'block', tileWidth: 150, tileHeight: 110 }).score,
    ).toBeGreaterThan(scoreSeamless(img, { type: 'block', tileWidth: 137, tileHeight: 110 }).score)
    expect(
      scoreSeamless(img, { type: 'half-drop', tileWidth: 150, tileHeight: 110 }).isSeamless,
    ).toBe(false)
    expect(
      scoreSeamless(seamless, { type: 'block', tileWidth: 150, tileHeight: 110 }).isSeamless,
    ).toBe(true)
  })

  it('rejects impossible tile sizes', () => {
    const img = createRgbImage(50, 40)
    expect(() => scoreSeamless(img, { type: 'block', tileWidth: 51, tileHeight: 10 })).toThrow(
      RangeError,
    )
    expect(() => scoreSeamless(img, { type: 'mirror', tileWidth: 0, tileHeight: 10 })).toThrow(
      RangeError,
    )
  })
})
