import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RgbImage } from '../image/index.js'
import type { DihedralName } from './dihedral.js'
import { DIHEDRAL_NAMES } from './dihedral.js'
import { hammingDistance } from './hamming.js'
import { PdqError } from './pdq-error.js'
import { pdqHash, pdqHashDihedral } from './pdq-hash.js'

function noiseImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3)
  let x = seed >>> 0 || 1
  for (let i = 0; i < data.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    data[i] = x & 255
  }
  return { width, height, data }
}

/** A test card: broad waves under a grid of flat random-grey cells, quality above 50. */
function cardImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const y = r / height
      const x = c / width
      const wave = 128 + 60 * Math.sin(17.1 * x + 5.3 * y) + 40 * Math.cos(11.3 * y * y + 9.7 * x)
      const cell = Math.floor(x * 13) * 31 + Math.floor(y * 11) * 17
      const v = 0.5 * wave + 0.5 * (Math.imul(cell + 7, 2654435761) >>> 24)
      const at = (r * width + c) * 3
      data[at] = v
      data[at + 1] = 255 - v
      data[at + 2] = v / 2
    }
  }
  return { width, height, data }
}

/** The pixel-domain meaning of each dihedral name (source pixel for output row r, column c). */
function transform(img: RgbImage, name: DihedralName): RgbImage {
  const { width: w, height: h } = img
  const isTransposed = name === 'rotate90' || name === 'rotate270' || name.startsWith('flipPlus')
  const isAnti = name === 'flipMinus1'
  const ow = isTransposed || isAnti ? h : w
  const oh = isTransposed || isAnti ? w : h
  const data = new Uint8Array(w * h * 3)
  const source = (r: number, c: number): [number, number] => {
    switch (name) {
      case 'original':
        return [r, c]
      case 'rotate90':
        return [c, w - 1 - r]
      case 'rotate180':
        return [h - 1 - r, w - 1 - c]
      case 'rotate270':
        return [h - 1 - c, r]
      case 'flipX':
        return [h - 1 - r, c]
      case 'flipY':
        return [r, w - 1 - c]
      case 'flipPlus1':
        return [c, r]
      case 'flipMinus1':
        return [h - 1 - c, w - 1 - r]
    }
  }
  for (let r = 0; r < oh; r++) {
    for (let c = 0; c < ow; c++) {
      const [sr, sc] = source(r, c)
      data.set(img.data.subarray((sr * w + sc) * 3, (sr * w + sc) * 3 + 3), (r * ow + c) * 3)
    }
  }
  return { width: ow, height: oh, data }
}

describe('pdqHash', () => {
  it('returns 64 lower-case hex digits and an integer quality in 0..100', () => {
    const { hash, quality } = pdqHash(noiseImage(300, 200, 7))
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(Number.isInteger(quality) && quality >= 0 && quality <= 100).toBe(true)
  })

  it('is deterministic and ignores where the pixels sit in their buffer', () => {
    const img = noiseImage(257, 129, 3)
    const shifted = new Uint8Array(img.data.length + 5)
    shifted.set(img.data, 5)
    const moved = { width: 257, height: 129, data: shifted.subarray(5) }
    expect(pdqHash(moved)).toEqual(pdqHash(img))
    expect(pdqHash(img)).toEqual(pdqHash(img))
  })

  it('hashes images under 5 px on a side to zeros with quality 0', () => {
    expect(pdqHash(noiseImage(4, 100, 1))).toEqual({ hash: '0'.repeat(64), quality: 0 })
    expect(pdqHash(noiseImage(100, 4, 1))).toEqual({ hash: '0'.repeat(64), quality: 0 })
    expect(pdqHash(noiseImage(5, 5, 1)).hash).not.toBe('0'.repeat(64))
  })

  it('rejects a buffer that does not match the dimensions', () => {
    const bad = { width: 10, height: 10, data: new Uint8Array(299) }
    expect(() => pdqHash(bad)).toThrow(PdqError)
    expect(() => pdqHashDihedral(bad)).toThrow(
      expect.objectContaining({ code: 'PDQ_INVALID_IMAGE' }),
    )
    expect(() => pdqHash({ width: 0, height: 0, data: new Uint8Array(0) })).toThrow(PdqError)
  })

  it('barely moves under mild brightness change', () => {
    const img = cardImage(256, 256)
    const brighter = { ...img, data: img.data.map((v) => Math.min(255, v + 3)) }
    expect(hammingDistance(pdqHash(img).hash, pdqHash(brighter).hash)).toBeLessThanOrEqual(4)
  })
})

describe('pdqHashDihedral', () => {
  it('agrees with pdqHash on the original and on quality', () => {
    const img = noiseImage(200, 300, 5)
    const plain = pdqHash(img)
    const dih = pdqHashDihedral(img)
    expect(dih.hashes.original).toBe(plain.hash)
    expect(dih.quality).toBe(plain.quality)
    expect(Object.keys(dih.hashes).sort()).toEqual([...DIHEDRAL_NAMES].sort())
  })

  it('predicts the hash of each transformed 64×64 image exactly', () =>
    // At 64×64 the filter is the identity, so the DCT identities hold to rounding.
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const img = noiseImage(64, 64, seed)
        const { hashes } = pdqHashDihedral(img)
        for (const name of DIHEDRAL_NAMES) {
          expect(pdqHash(transform(img, name)).hash, name).toBe(hashes[name])
        }
      }),
      { numRuns: 25 },
    ))

  it('still matches transformed images of other sizes', () => {
    // Elsewhere PDQ's own filter is not symmetric: an even box window reaches one sample
    // further right than left, and block centres round down, so a mirrored image is sampled
    // up to a pixel off. The error shrinks with the block size; at 800×600 it stays well
    // inside the match threshold of 31.
    const img = cardImage(800, 600)
    const { hashes, quality } = pdqHashDihedral(img)
    expect(quality).toBeGreaterThanOrEqual(50)
    for (const name of DIHEDRAL_NAMES) {
      const d = hammingDistance(pdqHash(transform(img, name)).hash, hashes[name])
      expect(d, name).toBeLessThanOrEqual(31)
    }
  })

  it('gives zeros for tiny images', () => {
    const { hashes, quality } = pdqHashDihedral(noiseImage(3, 3, 1))
    expect(quality).toBe(0)
    for (const name of DIHEDRAL_NAMES) expect(hashes[name]).toBe('0'.repeat(64))
  })
})
