import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeSoft, encodePayload } from './codeword.js'
import { GUARANTEED_CORRECTIONS } from './convolutional.js'
import { CODE_BITS } from './layout.js'

const payloads = fc.uint8Array({ minLength: 8, maxLength: 8 })

function toSoft(bits: Uint8Array): number[] {
  return Array.from(bits, (b) => (b ? 1 : -1))
}

describe('payload code (CRC-24 + rate-1/3 K=7 convolutional, Viterbi)', () => {
  it('has the advertised length', () => {
    expect(encodePayload(new Uint8Array(8)).length).toBe(CODE_BITS)
  })

  it('corrects any pattern of up to its design limit of hard errors', () => {
    fc.assert(
      fc.property(
        payloads,
        fc.uniqueArray(fc.integer({ min: 0, max: CODE_BITS - 1 }), {
          minLength: 0,
          maxLength: GUARANTEED_CORRECTIONS,
        }),
        (payload, flips) => {
          const soft = toSoft(encodePayload(payload))
          for (const i of flips) soft[i] = -(soft[i] as number)
          expect(decodeSoft(soft)).toEqual(payload)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('uses soft values: low-confidence errors cost less than hard ones', () => {
    const payload = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2])
    const soft = toSoft(encodePayload(payload))
    // 40 wrong bits, far beyond the hard-decision limit, but each barely wrong.
    for (let i = 0; i < 40; i++) soft[i * 7] = -0.05 * (soft[i * 7] as number)
    expect(decodeSoft(soft)).toEqual(payload)
  })

  it('reports failure (null) beyond its limit instead of a wrong payload', () => {
    fc.assert(
      fc.property(payloads, fc.integer({ min: 1, max: 2 ** 31 }), (payload, seed) => {
        const soft = toSoft(encodePayload(payload))
        // Overwrite a third of the word with noise: the CRC-24 catches what Viterbi cannot fix.
        let s = seed
        for (let i = 0; i < CODE_BITS; i += 3) {
          s = (s * 1103515245 + 12345) >>> 0
          soft[i] = s & 0x10000 ? 1 : -1
          soft[i + 1] = s & 0x20000 ? 1 : -1
        }
        const out = decodeSoft(soft)
        expect(out === null || out.every((v, i) => v === payload[i])).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('never decodes pure noise', () => {
    let s = 7
    for (let t = 0; t < 300; t++) {
      const soft = Array.from({ length: CODE_BITS }, () => {
        s = (s * 1103515245 + 12345) >>> 0
        return (s >>> 8) / 2 ** 24 - 0.5
      })
      expect(decodeSoft(soft)).toBeNull()
    }
  })
})
