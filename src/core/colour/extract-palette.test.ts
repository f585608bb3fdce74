import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RgbImage } from '../image/index.js'
import { createRgbImage } from '../image/index.js'
import { srgbToLab } from './cielab.js'
import { ColourError } from './colour-error.js'
import { deltaE2000 } from './delta-e.js'
import { extractPalette } from './extract-palette.js'
import { formatHex } from './hex.js'
import { createPrng } from './prng.js'

type Rgb8 = [number, number, number]

const byte = fc.integer({ min: 0, max: 255 })
const rgb8 = fc.tuple(byte, byte, byte)

/** The first `k` colours of `candidates` that are pairwise more than ΔE2000 10 apart. */
function distinctInks(candidates: readonly Rgb8[], k: number): Rgb8[] {
  const inks: Rgb8[] = []
  for (const c of candidates) {
    if (inks.length === k) break
    if (inks.every((i) => deltaE2000(srgbToLab(i), srgbToLab(c)) > 10)) inks.push(c)
  }
  return inks
}

/** A flat image of `cols × rows` cells, each `cw × ch` pixels of one ink. */
function cellImage(
  inks: readonly Rgb8[],
  cells: readonly number[],
  cols: number,
  cw: number,
  ch: number,
): RgbImage {
  const rows = cells.length / cols
  const img = createRgbImage(cols * cw, rows * ch)
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const ink = inks[cells[Math.floor(y / ch) * cols + Math.floor(x / cw)]!]!
      img.data.set(ink, (y * img.width + x) * 3)
    }
  }
  return img
}

function paint(
  w: number,
  h: number,
  samples: number,
  inkAt: (x: number, y: number) => Rgb8,
): RgbImage {
  const img = createRgbImage(w, h)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const acc = [0, 0, 0]
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = inkAt(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples)
          for (let d = 0; d < 3; d++) acc[d]! += c[d]!
        }
      }
      for (let d = 0; d < 3; d++) img.data[(y * w + x) * 3 + d] = Math.round(acc[d]! / samples ** 2)
    }
  }
  return img
}

const CREAM: Rgb8 = [242, 233, 216]
const NAVY: Rgb8 = [31, 60, 98]
const RUST: Rgb8 = [196, 98, 45]

const dotsAndRings = (x: number, y: number): Rgb8 => {
  const r = Math.hypot((x % 40) - 20, (y % 36) - 18)
  return r < 8 ? RUST : r < 14 ? NAVY : CREAM
}

describe('extractPalette', () => {
  it('finds exactly the inks of a random flat design, with their true pixel shares', () => {
    const layout = fc
      .record({
        k: fc.integer({ min: 1, max: 8 }),
        candidates: fc.array(rgb8, { minLength: 40, maxLength: 40 }),
        cols: fc.integer({ min: 3, max: 10 }),
        rows: fc.integer({ min: 3, max: 10 }),
        cw: fc.integer({ min: 4, max: 9 }),
        ch: fc.integer({ min: 4, max: 9 }),
        seed: fc.integer(),
      })
      .map((p) => {
        const inks = distinctInks(p.candidates, p.k)
        const rng = createPrng(p.seed)
        const n = p.cols * p.rows
        const cells = Array.from({ length: n }, () => Math.floor(rng() * inks.length))
        // Every ink gets at least one cell, at a random place.
        const places = Array.from({ length: n }, (_, i) => i)
        for (let i = 0; i < inks.length && i < n; i++) {
          const j = i + Math.floor(rng() * (n - i))
          ;[places[i], places[j]] = [places[j]!, places[i]!]
          cells[places[i]!] = i
        }
        return { ...p, inks, cells }
      })
    fc.assert(
      fc.property(layout, ({ k, inks, cells, cols, cw, ch }) => {
        fc.pre(inks.length === k && cells.length >= k)
        const img = cellImage(inks, cells, cols, cw, ch)
        const { palette, colourCount } = extractPalette(img)
        expect(colourCount).toBe(k)
        expect(palette).toHaveLength(k)
        const sum = palette.reduce((s, p) => s + p.coverage, 0)
        expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-9)
        inks.forEach((ink, i) => {
          const share = cells.filter((c) => c === i).length / cells.length
          const entry = palette.find((p) => p.hex === formatHex(ink))
          expect(entry).toBeDefined()
          expect(Math.abs(entry!.coverage - share)).toBeLessThanOrEqual(1e-9)
        })
        for (let i = 1; i < palette.length; i++) {
          expect(palette[i - 1]!.coverage).toBeGreaterThanOrEqual(palette[i]!.coverage)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('reports hex in lower case and Lab of that hex rounded to 2 decimals', () => {
    const img = paint(120, 108, 1, dotsAndRings)
    const { palette } = extractPalette(img)
    expect(palette.map((p) => p.hex).sort()).toEqual(['#1f3c62', '#c4622d', '#f2e9d8'])
    for (const p of palette) {
      const lab = srgbToLab(NAVY)
      if (p.hex === '#1f3c62') expect(p.lab).toEqual(lab.map((x) => Math.round(x * 100) / 100))
      for (const v of p.lab) expect(Math.round(v * 100) / 100).toBe(v)
    }
  })

  it('does not count antialiased edge blends as inks', () => {
    const img = paint(400, 360, 4, dotsAndRings)
    const { palette, colourCount } = extractPalette(img)
    expect(colourCount).toBe(3)
    expect(palette.map((p) => p.hex).sort()).toEqual(['#1f3c62', '#c4622d', '#f2e9d8'])
    expect(palette.reduce((s, p) => s + p.coverage, 0)).toBeCloseTo(1, 12)
  })

  it('does not count a long 2×2-supersampled diagonal edge as an ink', () => {
    const img = paint(300, 300, 2, (x, y) => (Math.abs(((x + y) % 60) - 30) < 9 ? NAVY : CREAM))
    expect(extractPalette(img).colourCount).toBe(2)
  })

  it('keeps a tonal ink that lies between two others', () => {
    const MID: Rgb8 = [136, 146, 157]
    const img = paint(90, 90, 1, (x) => (x < 30 ? NAVY : x < 60 ? MID : CREAM))
    expect(extractPalette(img).colourCount).toBe(3)
  })

  it('finds the inks under a printed texture', () => {
    const rng = createPrng(9)
    const img = paint(256, 256, 1, dotsAndRings)
    for (let i = 0; i < img.data.length; i++) {
      img.data[i] = Math.max(0, Math.min(255, img.data[i]! + Math.round((rng() - 0.5) * 12)))
    }
    const { palette, colourCount } = extractPalette(img)
    expect(colourCount).toBe(3)
    for (const ink of [CREAM, NAVY, RUST]) {
      const near = palette.some((p) => deltaE2000(p.lab, srgbToLab(ink)) < 2)
      expect(near).toBe(true)
    }
  })

  it('caps the palette at maxColours and is deterministic per seed', () => {
    const rng = createPrng(1)
    const img = createRgbImage(200, 150)
    for (let i = 0; i < img.data.length; i++) img.data[i] = Math.floor(rng() * 256)
    const a = extractPalette(img, { maxColours: 5, seed: 7 })
    expect(a.colourCount).toBeLessThanOrEqual(5)
    expect(a.colourCount).toBe(a.palette.length)
    expect(extractPalette(img, { maxColours: 5, seed: 7 })).toEqual(a)
    expect(a.palette.reduce((s, p) => s + p.coverage, 0)).toBeCloseTo(1, 9)
  })

  it('merges inks closer than ΔE2000 2.5', () => {
    const img = paint(60, 60, 1, (x) =>
      x < 20 ? [100, 100, 100] : x < 40 ? [101, 101, 100] : CREAM,
    )
    const { palette } = extractPalette(img)
    expect(palette).toHaveLength(2)
    expect(palette[0]!.coverage).toBeCloseTo(2 / 3, 12)
  })

  it('handles a single-colour image and never mutates the input', () => {
    const img = paint(31, 17, 1, () => RUST)
    const before = img.data.slice()
    expect(extractPalette(img)).toEqual({
      palette: [{ hex: '#c4622d', lab: expect.any(Array), coverage: 1 }],
      colourCount: 1,
    })
    expect(img.data).toEqual(before)
  })

  it('rejects bad options with COLOUR_INVALID_OPTIONS', () => {
    const img = createRgbImage(2, 2)
    for (const opts of [{ maxColours: 0 }, { maxColours: 1.5 }, { seed: Number.NaN }]) {
      expect(() => extractPalette(img, opts)).toThrow(ColourError)
    }
  })
})
