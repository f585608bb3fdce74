import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ArchiveError } from './archive-error.js'
import { parseMetadataInput, pixelsToCm, resolveShares } from './metadata-input.js'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return err instanceof ArchiveError ? err.code : 'OTHER'
  }
  return undefined
}

describe('parseMetadataInput', () => {
  it('accepts a full document and normalises labels', () => {
    const m = parseMetadataInput({
      title: '  Ogee Garden ',
      tags: ['Floral', 'floral', 'Ogee'],
      designers: [
        { name: 'Ada', shareBps: 7000 },
        { name: 'Ben', shareBps: 3000 },
      ],
      collection: 'SS26',
      lineage: [{ relation: 'colourwayOf', assetId: 'ast_1' }],
      repeat: { type: 'half-drop', tileWidthPx: 640, tileHeightPx: 480 },
      print: { dpi: 150 },
      construction: { maxScreens: 6, jacquardEnds: 4800 },
      visibility: 'published',
    })
    expect(m.title).toBe('Ogee Garden')
    expect(m.tags).toEqual(['floral', 'ogee'])
    expect(m.construction).toEqual({ maxScreens: 6, jacquardEnds: 4800 })
  })

  it.each([
    ['not an object', 'nope'],
    ['unknown field', { colour: 'red' }],
    ['empty title', { title: '  ' }],
    ['bad repeat type', { repeat: { type: 'spiral', tileWidthPx: 1, tileHeightPx: 1 } }],
    ['fractional tile', { repeat: { type: 'block', tileWidthPx: 1.5, tileHeightPx: 1 } }],
    ['negative dpi', { print: { dpi: -3 } }],
    ['unknown construction', { construction: { warpColour: 3 } }],
    ['bad lineage relation', { lineage: [{ relation: 'copyOf', assetId: 'a' }] }],
    ['duplicate designer', { designers: [{ name: 'A' }, { name: 'A' }] }],
    ['bad visibility', { visibility: 'secret' }],
    ['too many tags', { tags: Array.from({ length: 65 }, (_, i) => `t${i}`) }],
  ])('refuses %s', (_why, value) => {
    expect(codeOf(() => parseMetadataInput(value))).toBe('ASSET_METADATA_INVALID')
  })
})

describe('resolveShares', () => {
  it('splits equally and always sums to 10,000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), (n) => {
        const shares = resolveShares(Array.from({ length: n }, (_, i) => ({ name: `d${i}` })))
        expect(shares.reduce((a, b) => a + b, 0)).toBe(10_000)
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1)
      }),
    )
  })

  it('keeps given shares that sum to 10,000 and refuses others', () => {
    expect(
      resolveShares([
        { name: 'a', shareBps: 2500 },
        { name: 'b', shareBps: 7500 },
      ]),
    ).toEqual([2500, 7500])
    expect(
      codeOf(() =>
        resolveShares([
          { name: 'a', shareBps: 2500 },
          { name: 'b', shareBps: 7000 },
        ]),
      ),
    ).toBe('ASSET_METADATA_INVALID')
    expect(codeOf(() => resolveShares([{ name: 'a', shareBps: 10_000 }, { name: 'b' }]))).toBe(
      'ASSET_METADATA_INVALID',
    )
  })
})

describe('pixelsToCm', () => {
  it('converts at the given resolution', () => {
    expect(pixelsToCm(300, 300)).toBe(2.54)
    expect(pixelsToCm(3000, 150)).toBe(50.8)
  })
})
