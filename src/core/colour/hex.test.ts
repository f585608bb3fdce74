import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ColourError } from './colour-error.js'
import { formatHex, hexToLab, labToHex, normaliseHex, parseHex } from './hex.js'

describe('parseHex', () => {
  it('accepts 3 or 6 digits, with or without #, in any case', () => {
    expect(parseHex('#A1b2C3')).toEqual([0xa1, 0xb2, 0xc3])
    expect(parseHex('a1b2c3')).toEqual([0xa1, 0xb2, 0xc3])
    expect(parseHex('#fA0')).toEqual([0xff, 0xaa, 0x00])
    expect(parseHex('000')).toEqual([0, 0, 0])
  })

  it.each([
    '',
    '#',
    '#12',
    '#1234',
    '#12345',
    '#1234567',
    '#ggg',
    ' #123',
    '#123 ',
    '##123',
    'rgb(1,2,3)',
  ])('rejects %j with COLOUR_INVALID_HEX', (bad) => {
    expect(() => parseHex(bad)).toThrow(ColourError)
    try {
      parseHex(bad)
    } catch (e) {
      expect((e as ColourError).code).toBe('COLOUR_INVALID_HEX')
    }
  })
})

describe('formatHex', () => {
  it('round-trips with parseHex', () => {
    const byte = fc.integer({ min: 0, max: 255 })
    fc.assert(
      fc.property(byte, byte, byte, (r, g, b) => {
        const hex = formatHex([r, g, b])
        expect(hex).toMatch(/^#[0-9a-f]{6}$/)
        expect(parseHex(hex)).toEqual([r, g, b])
      }),
    )
  })

  it('rounds and clamps', () => {
    expect(formatHex([-3, 255.4, 300])).toBe('#00ffff')
    expect(formatHex([0.5, 1.49, Number.NaN])).toBe('#010100')
  })

  it('normalises', () => {
    expect(normaliseHex('ABC')).toBe('#aabbcc')
  })

  it('converts to and from CIELAB', () => {
    expect(labToHex(hexToLab('#3b6ea5'))).toBe('#3b6ea5')
    expect(hexToLab('#ffffff')[0]).toBeCloseTo(100, 9)
  })
})
