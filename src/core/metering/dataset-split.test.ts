import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitAcrossDataset } from './dataset-split.js'

describe('splitAcrossDataset', () => {
  it('splits pro rata by count, the remainder to the earliest', () => {
    expect(splitAcrossDataset(100, [{ assetId: 'a' }, { assetId: 'b' }, { assetId: 'c' }])).toEqual(
      [
        { assetId: 'a', amountMinor: 34 },
        { assetId: 'b', amountMinor: 33 },
        { assetId: 'c', amountMinor: 33 },
      ],
    )
  })

  it('splits by stated weights', () => {
    expect(
      splitAcrossDataset(1000, [
        { assetId: 'a', weight: 3 },
        { assetId: 'b', weight: 1 },
        { assetId: 'c', weight: 0 },
      ]),
    ).toEqual([
      { assetId: 'a', amountMinor: 750 },
      { assetId: 'b', amountMinor: 250 },
      { assetId: 'c', amountMinor: 0 },
    ])
  })

  it('refuses empty, repeated, negative or all-zero weights', () => {
    expect(() => splitAcrossDataset(10, [])).toThrow(/no patterns/)
    expect(() => splitAcrossDataset(10, [{ assetId: 'a' }, { assetId: 'a' }])).toThrow(/twice/)
    expect(() => splitAcrossDataset(10, [{ assetId: 'a', weight: -1 }])).toThrow(/weight/)
    expect(() => splitAcrossDataset(10, [{ assetId: 'a', weight: 0 }])).toThrow(/sum to 0/)
    expect(() => splitAcrossDataset(1.5, [{ assetId: 'a' }])).toThrow(/totalMinor/)
  })

  it('always sums exactly to the total, each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }),
        (total, rawWeights) => {
          const weights = rawWeights.some((w) => w > 0) ? rawWeights : [1, ...rawWeights]
          const members = weights.map((weight, i) => ({ assetId: `a${i}`, weight }))
          const parts = splitAcrossDataset(total, members)
          const sum = parts.reduce((s, p) => s + BigInt(p.amountMinor), 0n)
          expect(sum).toBe(BigInt(total))
          const wsum = weights.reduce((s, w) => s + BigInt(w), 0n)
          parts.forEach((p, i) => {
            const exactTimesW = BigInt(weights[i] as number) * BigInt(total)
            const diff = BigInt(p.amountMinor) * wsum - exactTimesW
            expect(diff < 0n ? -diff : diff).toBeLessThan(wsum)
          })
        },
      ),
      { numRuns: 300 },
    )
  })
})
