import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hammingDistance } from './hamming.js'
import { formatPdqHash, packPdqHash, pdqHashBits, unpackPdqHash } from './hash-format.js'
import { PdqError } from './pdq-error.js'

const hexHash = fc
  .array(fc.integer({ min: 0, max: 15 }), { minLength: 64, maxLength: 64 })
  .map((ds) => ds.map((d) => d.toString(16)).join(''))

describe('hash text format', () => {
  it('prints word 15 first and word 0 last, four hex digits each', () => {
    // hash-data/order256.dat from the reference's regression inputs.
    const words = pdqHashBits('0000000000000001000000000000000200000000000000030000000000000004')
    expect(Array.from(words)).toEqual([4, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0])
    const bits = new Uint16Array(16)
    bits[0] = 0x1
    bits[15] = 0xabcd
    expect(formatPdqHash(bits)).toBe(`abcd${'0'.repeat(56)}0001`)
  })

  it('round-trips text, 16-bit words and packed words', () =>
    fc.assert(
      fc.property(hexHash, (hex) => {
        expect(formatPdqHash(pdqHashBits(hex))).toBe(hex)
        expect(unpackPdqHash(packPdqHash(hex))).toBe(hex)
        expect(unpackPdqHash(packPdqHash(hex.toUpperCase()))).toBe(hex)
      }),
    ))

  it('packs slot s into half (s & 1) of word s >> 1', () =>
    fc.assert(
      fc.property(hexHash, (hex) => {
        const words = pdqHashBits(hex)
        const packed = packPdqHash(hex)
        for (let s = 0; s < 16; s++) {
          expect(((packed[s >> 1] as number) >>> ((s & 1) * 16)) & 0xffff).toBe(words[s])
        }
      }),
    ))

  it('packs at an offset without touching the rest of the buffer', () => {
    const out = new Uint32Array(20).fill(7)
    packPdqHash('f'.repeat(64), out, 3)
    expect(Array.from(out.subarray(3, 11))).toEqual(Array(8).fill(0xffffffff))
    expect(out[2]).toBe(7)
    expect(out[11]).toBe(7)
    expect(() => packPdqHash('f'.repeat(64), out, 13)).toThrow(RangeError)
  })

  it('rejects anything but 64 hex digits with PDQ_INVALID_HASH', () => {
    const bad = ['', 'f'.repeat(63), 'f'.repeat(65), `${'f'.repeat(63)}g`, ` ${'f'.repeat(63)}`]
    for (const hex of bad) {
      expect(() => pdqHashBits(hex)).toThrow(PdqError)
      expect(() => packPdqHash(hex)).toThrow(expect.objectContaining({ code: 'PDQ_INVALID_HASH' }))
      expect(() => hammingDistance(hex, '0'.repeat(64))).toThrow(PdqError)
    }
  })

  it('leaves the output untouched when parsing fails', () => {
    const out = new Uint32Array(8).fill(9)
    expect(() => packPdqHash(`${'0'.repeat(10)}x${'0'.repeat(53)}`, out)).toThrow(PdqError)
    expect(Array.from(out)).toEqual(Array(8).fill(9))
  })
})
