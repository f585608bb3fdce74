import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hammingDistance, hammingDistancePacked } from './hamming.js'
import { formatPdqHash, packPdqHash, pdqHashBits } from './hash-format.js'

const hexHash = fc
  .array(fc.integer({ min: 0, max: 15 }), { minLength: 64, maxLength: 64 })
  .map((ds) => ds.map((d) => d.toString(16)).join(''))

function flipBit(hex: string, k: number): string {
  const words = pdqHashBits(hex)
  words[k >> 4] = (words[k >> 4] as number) ^ (1 << (k & 15))
  return formatPdqHash(words)
}

describe('hammingDistance', () => {
  it('is zero on equal hashes and symmetric', () =>
    fc.assert(
      fc.property(hexHash, hexHash, (a, b) => {
        expect(hammingDistance(a, a)).toBe(0)
        expect(hammingDistance(a, b)).toBe(hammingDistance(b, a))
        expect(hammingDistance(a, a.toUpperCase())).toBe(0)
      }),
    ))

  it('counts exactly the flipped bits', () =>
    fc.assert(
      fc.property(
        hexHash,
        fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 256 }),
        (hex, positions) => {
          const flipped = positions.reduce(flipBit, hex)
          expect(hammingDistance(hex, flipped)).toBe(positions.length)
          expect(hammingDistancePacked(packPdqHash(hex), 0, packPdqHash(flipped), 0)).toBe(
            positions.length,
          )
        },
      ),
    ))

  it('matches the reference regression inputs (hash-data/short256.dat)', () => {
    expect(hammingDistance('0'.repeat(64), 'f'.repeat(64))).toBe(256)
    expect(
      hammingDistance(
        '2b9c22a4d7d2244ce402fcc9dbe8e643356ac12184af5d6c7f19aec7c422ce38',
        '2b9c22a4d8d2244ce402fcc9dbe8e643356ac12184af5d6c7f19aec7c422ce38',
      ),
    ).toBe(4)
    expect(
      hammingDistance(
        'f01a16252f5906ed468061d06ec37ba206c87c19282f66e29514bd305d8f4bbd',
        'f01a16252f5906ed468061d06ec37ba206c87c19282f66e29514bd305d8f4bcd',
      ),
    ).toBe(3)
  })
})
