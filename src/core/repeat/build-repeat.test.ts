import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRgbImage } from '../image/index.js'
import type { LayoutType } from './build-repeat.js'
import { buildRepeat, tileCoordinate } from './build-repeat.js'
import { createRng } from './test-patterns.js'

const LAYOUTS: readonly LayoutType[] = ['block', 'half-drop', 'half-brick', 'mirror']

const mod = (a: number, n: number) => ((a % n) + n) % n

// The layouts, restated independently of the implementation.
function expectedTilePixel(
  type: LayoutType,
  w: number,
  h: number,
  px: number,
  py: number,
): [number, number] {
  switch (type) {
    case 'block':
      return [mod(px, w), mod(py, h)]
    case 'half-drop': {
      const col = Math.floor(px / w)
      return [mod(px, w), mod(py - col * Math.floor(h / 2), h)]
    }
    case 'half-brick': {
      const row = Math.floor(py / h)
      return [mod(px - row * Math.floor(w / 2), w), mod(py, h)]
    }
    case 'mirror': {
      const tx = mod(px, 2 * w)
      const ty = mod(py, 2 * h)
      return [tx < w ? tx : 2 * w - 1 - tx, ty < h ? ty : 2 * h - 1 - ty]
    }
  }
}

const randomTile = (w: number, h: number, seed: number) => {
  const rng = createRng(seed)
  const tile = createRgbImage(w, h)
  for (let i = 0; i < tile.data.length; i++) tile.data[i] = Math.floor(rng() * 256)
  return tile
}

describe('buildRepeat', () => {
  it('places the tile pixel that the layout formula names', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: -20, max: 20 }),
        fc.integer(),
        (type, tw, th, w, h, ox, oy, seed) => {
          const tile = randomTile(tw, th, seed)
          const out = buildRepeat(tile, type, w, h, { x: ox, y: oy })
          expect(out.width).toBe(w)
          expect(out.height).toBe(h)
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              const [tx, ty] = expectedTilePixel(type, tw, th, x - ox, y - oy)
              const i = (y * w + x) * 3
              const j = (ty * tw + tx) * 3
              expect([out.data[i], out.data[i + 1], out.data[i + 2]]).toEqual([
                tile.data[j],
                tile.data[j + 1],
                tile.data[j + 2],
              ])
            }
          }
        },
      ),
    )
  })

  it('is periodic under its lattice vectors', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer(),
        (type, tw, th, seed) => {
          const vectors: Record<LayoutType, [number, number][]> = {
            block: [
              [tw, 0],
              [0, th],
            ],
            'half-drop': [
              [tw, Math.floor(th / 2)],
              [0, th],
            ],
            'half-brick': [
              [Math.floor(tw / 2), th],
              [tw, 0],
            ],
            mirror: [
              [2 * tw, 0],
              [0, 2 * th],
            ],
          }
          const tile = randomTile(tw, th, seed)
          const W = 4 * tw + 3
          const H = 4 * th + 5
          const out = buildRepeat(tile, type, W, H)
          for (const [vx, vy] of vectors[type]) {
            for (let y = 0; y + vy < H; y++) {
              for (let x = 0; x + vx < W; x++) {
                const i = (y * W + x) * 3
                const j = ((y + vy) * W + x + vx) * 3
                expect(out.data[j]).toBe(out.data[i])
              }
            }
          }
        },
      ),
    )
  })

  it('agrees with tileCoordinate and leaves the tile untouched', () => {
    const tile = randomTile(5, 3, 7)
    const copy = tile.data.slice()
    buildRepeat(tile, 'mirror', 11, 9)
    expect(tile.data).toEqual(copy)
    expect(tileCoordinate('mirror', 5, 3, 5, 3)).toEqual([4, 2])
    expect(tileCoordinate('half-drop', 5, 4, 5, 2)).toEqual([0, 0])
  })

  it('rejects invalid sizes', () => {
    const tile = randomTile(4, 4, 1)
    expect(() => buildRepeat(tile, 'block', 0, 5)).toThrow(RangeError)
    expect(() => buildRepeat(tile, 'block', 5, 5, { x: 0.5, y: 0 })).toThrow(RangeError)
    expect(() =>
      buildRepeat({ width: 4, height: 4, data: new Uint8Array(3) }, 'block', 5, 5),
    ).toThrow(RangeError)
  })
})
