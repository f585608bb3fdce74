import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPEAT_TYPES } from '../archive/index.js'
import { deltaE2000, extractPalette, hexToLab } from '../colour/index.js'
import type { RgbImage } from '../image/index.js'
import { DEMO_PALETTES } from './demo-palettes.js'
import type { DemoPattern } from './demo-pattern.js'
import { demoPatterns } from './demo-patterns.js'

function sha256(img: RgbImage): string {
  return createHash('sha256').update(img.data).digest('hex')
}

function pixel(img: RgbImage, x: number, y: number): number {
  const i = (y * img.width + x) * 3
  return (img.data[i]! << 16) | (img.data[i + 1]! << 8) | img.data[i + 2]!
}

/** Whether `img(x, y) = img(x + dx, y + dy)` wherever both are inside. */
function hasPeriod(img: RgbImage, dx: number, dy: number): boolean {
  for (let y = Math.max(0, -dy); y < img.height && y + dy < img.height; y++) {
    for (let x = Math.max(0, -dx); x < img.width && x + dx < img.width; x++) {
      if (pixel(img, x, y) !== pixel(img, x + dx, y + dy)) return false
    }
  }
  return true
}

function primeFactors(n: number): number[] {
  const out: number[] = []
  for (let p = 2, m = n; m > 1; p++) {
    if (m % p !== 0) continue
    out.push(p)
    while (m % p === 0) m /= p
  }
  return out
}

const isPowerOfTwo = (n: number) => (n & (n - 1)) === 0

let patterns: DemoPattern[]
beforeAll(() => {
  patterns = demoPatterns()
})

describe('demoPatterns', () => {
  it('is deterministic to the byte', () => {
    const again = demoPatterns()
    expect(again.map((p) => sha256(p.image))).toEqual(patterns.map((p) => sha256(p.image)))
    expect(again.map(({ image: _, ...meta }) => meta)).toEqual(
      patterns.map(({ image: _, ...meta }) => meta),
    )
  })

  it('has at least 24 patterns with unique slugs, every repeat type and 4+ palettes', () => {
    expect(patterns.length).toBeGreaterThanOrEqual(24)
    expect(new Set(patterns.map((p) => p.slug)).size).toBe(patterns.length)
    for (const p of patterns) expect(p.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    expect(new Set(patterns.map((p) => p.repeat))).toEqual(new Set(REPEAT_TYPES))
    expect(new Set(patterns.map((p) => p.paletteName)).size).toBeGreaterThanOrEqual(4)
    expect(Object.keys(DEMO_PALETTES).length).toBeGreaterThanOrEqual(6)
    const collections = new Set(patterns.map((p) => p.collection))
    const designers = new Set(patterns.map((p) => p.designer))
    expect(collections.size).toBeGreaterThanOrEqual(3)
    expect(collections.size).toBeLessThanOrEqual(4)
    expect(designers.size).toBeGreaterThanOrEqual(3)
    expect(designers.size).toBeLessThanOrEqual(4)
    expect(patterns.filter((p) => !p.isFlat).length).toBeGreaterThanOrEqual(2)
  })

  it('gives every pattern a title, tags, motifs and 2–6 inks from its named palette', () => {
    for (const p of patterns) {
      expect(p.title.length).toBeGreaterThan(0)
      expect(p.tags.length).toBeGreaterThan(0)
      expect(p.motifs.length).toBeGreaterThan(0)
      expect(p.palette.length).toBeGreaterThanOrEqual(2)
      expect(p.palette.length).toBeLessThanOrEqual(6)
      expect(new Set(p.palette).size).toBe(p.palette.length)
      const named: readonly string[] = DEMO_PALETTES[p.paletteName as keyof typeof DEMO_PALETTES]
      for (const hex of p.palette) {
        expect(hex).toMatch(/^#[0-9a-f]{6}$/)
        expect(named).toContain(hex)
      }
    }
  })

  it('uses image sizes of 512–768 px and non-power-of-two tiles', () => {
    for (const p of patterns) {
      for (const side of [p.image.width, p.image.height]) {
        expect(side).toBeGreaterThanOrEqual(512)
        expect(side).toBeLessThanOrEqual(768)
      }
      expect(p.image.data.length).toBe(p.image.width * p.image.height * 3)
      expect(isPowerOfTwo(p.tileWidth) || isPowerOfTwo(p.tileHeight), p.slug).toBe(false)
    }
  })

  it('repeats exactly with the declared tile, at least three periods each way', () => {
    for (const p of patterns) {
      const { image: img, tileWidth: w, tileHeight: h } = p
      const hw = Math.floor(w / 2)
      const hh = Math.floor(h / 2)
      switch (p.repeat) {
        case 'block':
          expect(hasPeriod(img, w, 0) && hasPeriod(img, 0, h), p.slug).toBe(true)
          expect([img.width >= 3 * w, img.height >= 3 * h], p.slug).toEqual([true, true])
          break
        case 'half-drop':
          expect(hasPeriod(img, 0, h) && hasPeriod(img, w, hh), p.slug).toBe(true)
          expect(hasPeriod(img, w, 0), p.slug).toBe(false)
          expect([img.width >= 6 * w, img.height >= 3 * h], p.slug).toEqual([true, true])
          break
        case 'half-brick':
          expect(hasPeriod(img, w, 0) && hasPeriod(img, hw, h), p.slug).toBe(true)
          expect(hasPeriod(img, 0, h), p.slug).toBe(false)
          expect([img.width >= 3 * w, img.height >= 6 * h], p.slug).toEqual([true, true])
          break
        case 'mirror':
          expect(hasPeriod(img, 2 * w, 0) && hasPeriod(img, 0, 2 * h), p.slug).toBe(true)
          // The reported tile is not symmetric itself, so the period really is 2w × 2h.
          expect(hasPeriod(img, w, 0) || hasPeriod(img, 0, h), p.slug).toBe(false)
          expect([img.width >= 6 * w, img.height >= 6 * h], p.slug).toEqual([true, true])
          break
        case 'none':
          expect([w, h]).toEqual([img.width, img.height])
          break
      }
    }
  })

  it('has no smaller period than the declared tile along the tile axes', () => {
    for (const p of patterns.filter((q) => q.repeat !== 'none')) {
      const { image: img, tileWidth: w, tileHeight: h } = p
      // Any period along an axis divides the tile's, so testing w/q for prime q suffices.
      if (p.repeat !== 'half-drop') {
        for (const q of primeFactors(w)) expect(hasPeriod(img, w / q, 0), p.slug).toBe(false)
      }
      if (p.repeat !== 'half-brick') {
        for (const q of primeFactors(h)) expect(hasPeriod(img, 0, h / q), p.slug).toBe(false)
      }
    }
  })

  it('flat designs use exactly their inks, and extractPalette counts them exactly', () => {
    for (const p of patterns.filter((q) => q.isFlat)) {
      const seen = new Set<number>()
      for (let i = 0; i < p.image.width * p.image.height; i++) {
        seen.add(pixel(p.image, i % p.image.width, Math.floor(i / p.image.width)))
      }
      const hexes = [...seen].map((c) => `#${(c | (1 << 24)).toString(16).slice(1)}`)
      expect(hexes.sort(), p.slug).toEqual([...p.palette].sort())
      const { palette, colourCount } = extractPalette(p.image)
      expect(colourCount, p.slug).toBe(p.palette.length)
      expect(palette.map((c) => c.hex).sort(), p.slug).toEqual([...p.palette].sort())
    }
  })

  it('textured designs keep their inks recognisable', () => {
    for (const p of patterns.filter((q) => !q.isFlat)) {
      const { palette, colourCount } = extractPalette(p.image)
      expect(colourCount, p.slug).toBe(p.palette.length)
      for (const ink of p.palette) {
        const nearest = Math.min(...palette.map((c) => deltaE2000(c.lab, hexToLab(ink))))
        expect(nearest, `${p.slug} ${ink}`).toBeLessThan(5)
      }
    }
  })
})
