import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LineageEdge } from './revenue-split.js'
import { splitRevenue, upstreamRates } from './revenue-split.js'

const invalid = expect.objectContaining({ code: 'SPLIT_INVALID' })

function graph(edges: Record<string, LineageEdge[]>): (id: string) => readonly LineageEdge[] {
  return (id) => edges[id] ?? []
}
const edge = (
  assetId: string,
  royaltyBps: number,
  relation: LineageEdge['relation'] = 'derivedFrom',
): LineageEdge => ({ assetId, royaltyBps, relation })

describe('upstreamRates', () => {
  it('returns nothing for an asset without lineage', () => {
    expect(upstreamRates('a', graph({}))).toEqual([])
  })

  it('stacks absolute rates breadth-first and skips inspiration', () => {
    const g = graph({
      child: [edge('p2', 300, 'colourwayOf'), edge('p1', 500), edge('muse', 900, 'inspiredBy')],
      p1: [edge('gp', 200, 'variantOf')],
      muse: [edge('museParent', 100)],
    })
    expect(upstreamRates('child', g)).toEqual([
      { assetId: 'p1', bps: 500 },
      { assetId: 'p2', bps: 300 },
      { assetId: 'gp', bps: 200 },
    ])
  })

  it('counts an ancestor reached twice once, by its shortest path', () => {
    const g = graph({
      c: [edge('a', 100), edge('b', 100)],
      a: [edge('d', 700)],
      b: [edge('d', 50)],
      d: [edge('b', 999)],
    })
    expect(upstreamRates('c', g)).toEqual([
      { assetId: 'a', bps: 100 },
      { assetId: 'b', bps: 100 },
      { assetId: 'd', bps: 700 },
    ])
  })

  it('survives cycles back to the root', () => {
    const g = graph({ a: [edge('b', 100)], b: [edge('a', 100), edge('c', 100)], c: [edge('b', 1)] })
    expect(upstreamRates('a', g)).toEqual([
      { assetId: 'b', bps: 100 },
      { assetId: 'c', bps: 100 },
    ])
  })

  it('caps the total at 10,000 bps and omits zeros but walks through them', () => {
    const g = graph({
      c: [edge('a', 6000), edge('z', 0)],
      a: [edge('b', 6000)],
      b: [edge('far', 100)],
      z: [edge('y', 100)],
    })
    // Breadth-first: b (via a) comes before y (via z) and takes the last 4,000 bps.
    expect(upstreamRates('c', g)).toEqual([
      { assetId: 'a', bps: 6000 },
      { assetId: 'b', bps: 4000 },
    ])
    expect(upstreamRates('c', graph({ c: [edge('z', 0)], z: [edge('y', 100)] }))).toEqual([
      { assetId: 'y', bps: 100 },
    ])
  })

  it('rejects an out-of-range royalty', () => {
    for (const bps of [-1, 1.5, 10_001, Number.NaN]) {
      expect(() => upstreamRates('c', graph({ c: [edge('a', bps)] }))).toThrow(invalid)
    }
  })

  it('never exceeds 10,000 bps and never names the root', () => {
    const ids = ['r', 'a', 'b', 'c', 'd', 'e']
    const arb = fc.array(
      fc.record({
        from: fc.constantFrom(...ids),
        to: fc.constantFrom(...ids),
        bps: fc.integer({ min: 0, max: 10_000 }),
        relation: fc.constantFrom('derivedFrom', 'colourwayOf', 'variantOf', 'inspiredBy'),
      }),
      { maxLength: 20 },
    )
    fc.assert(
      fc.property(arb, (es) => {
        const lookup = (id: string): LineageEdge[] =>
          es
            .filter((e) => e.from === id)
            .map((e) => ({ assetId: e.to, royaltyBps: e.bps, relation: e.relation }))
        const rates = upstreamRates('r', lookup)
        expect(rates.reduce((a, r) => a + r.bps, 0)).toBeLessThanOrEqual(10_000)
        expect(rates.every((r) => r.bps > 0 && r.assetId !== 'r')).toBe(true)
        expect(new Set(rates.map((r) => r.assetId)).size).toBe(rates.length)
        // Storage order does not matter.
        const reversed = (id: string): LineageEdge[] => lookup(id).reverse()
        const sameOrder = es.every(
          (e, i) => !es.some((f, j) => j !== i && f.from === e.from && f.to === e.to),
        )
        if (sameOrder) expect(upstreamRates('r', reversed)).toEqual(rates)
      }),
    )
  })
})

describe('splitRevenue', () => {
  it('splits a simple charge', () => {
    expect(
      splitRevenue({
        totalMinor: 10_000,
        platformFeeBps: 500,
        designerPoolBps: 3000,
        designers: [
          { designerId: 'd1', shareBps: 5000 },
          { designerId: 'd2', shareBps: 5000 },
        ],
        upstream: [{ assetId: 'a', bps: 1000 }],
      }),
    ).toEqual({
      totalMinor: 10_000,
      platformFeeMinor: 500,
      studioMinor: 5950,
      designers: [
        { designerId: 'd1', amountMinor: 1275 },
        { designerId: 'd2', amountMinor: 1275 },
      ],
      upstream: [{ assetId: 'a', amountMinor: 1000 }],
    })
  })

  it('gives the pool to the studio when there are no designers', () => {
    const s = splitRevenue({
      totalMinor: 100,
      platformFeeBps: 1000,
      designerPoolBps: 5000,
      designers: [],
      upstream: [],
    })
    expect(s.studioMinor).toBe(90)
  })

  it('breaks remainder ties by order', () => {
    const s = splitRevenue({
      totalMinor: 1,
      platformFeeBps: 0,
      designerPoolBps: 10_000,
      designers: [
        { designerId: 'a', shareBps: 5000 },
        { designerId: 'b', shareBps: 5000 },
      ],
      upstream: [],
    })
    expect(s.designers).toEqual([
      { designerId: 'a', amountMinor: 1 },
      { designerId: 'b', amountMinor: 0 },
    ])
  })

  it.each<[string, Record<string, unknown>]>([
    ['a negative total', { totalMinor: -1 }],
    ['a fractional total', { totalMinor: 1.5 }],
    ['an unsafe total', { totalMinor: 2 ** 53 }],
    ['a fractional fee', { platformFeeBps: 1.5 }],
    ['a fee over 100%', { platformFeeBps: 10_001 }],
    ['a negative pool', { designerPoolBps: -1 }],
    ['shares not summing to 10,000', { designers: [{ designerId: 'd', shareBps: 9999 }] }],
    [
      'fee and upstream over 100%',
      { platformFeeBps: 5000, upstream: [{ assetId: 'a', bps: 5001 }] },
    ],
  ])('rejects %s', (_, over) => {
    const p = {
      totalMinor: 100,
      platformFeeBps: 0,
      designerPoolBps: 0,
      designers: [],
      upstream: [],
      ...over,
    }
    expect(() => splitRevenue(p as Parameters<typeof splitRevenue>[0])).toThrow(invalid)
  })

  const bps = fc.integer({ min: 0, max: 10_000 })
  const shares = fc
    .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 })
    .map((ws) => {
      const total = ws.reduce((a, b) => a + b, 0)
      if (total === 0) return [10_000]
      const raw = ws.map((w) => Math.floor((w * 10_000) / total))
      raw[0]! += 10_000 - raw.reduce((a, b) => a + b, 0)
      return raw
    })
  const input = fc
    .record({
      totalMinor: fc.oneof(fc.nat({ max: 1000 }), fc.nat({ max: Number.MAX_SAFE_INTEGER })),
      platformFeeBps: fc.integer({ min: 0, max: 3000 }),
      designerPoolBps: bps,
      designerShares: fc.option(shares, { nil: undefined }),
      upstream: fc.array(fc.integer({ min: 0, max: 1500 }), { maxLength: 4 }),
    })
    .map((r) => ({
      totalMinor: r.totalMinor,
      platformFeeBps: r.platformFeeBps,
      designerPoolBps: r.designerPoolBps,
      designers: (r.designerShares ?? []).map((shareBps, i) => ({ designerId: `d${i}`, shareBps })),
      upstream: r.upstream.map((b, i) => ({ assetId: `a${i}`, bps: b })),
    }))

  it('sums exactly to the total with every part within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(input, (p) => {
        const s = splitRevenue(p)
        const parts = [
          s.platformFeeMinor,
          ...s.upstream.map((u) => u.amountMinor),
          ...s.designers.map((d) => d.amountMinor),
          s.studioMinor,
        ]
        expect(parts.every((x) => Number.isSafeInteger(x) && x >= 0)).toBe(true)
        expect(parts.reduce((a, b) => BigInt(a) + BigInt(b), 0n)).toBe(BigInt(p.totalMinor))
        // Exact shares as fractions over 10^12.
        const T = BigInt(p.totalMinor)
        const W = 10_000n
        const up = p.upstream.reduce((a, u) => a + BigInt(u.bps), 0n)
        const rest = W - BigInt(p.platformFeeBps) - up
        const exact = [
          BigInt(p.platformFeeBps) * W * W * T,
          ...p.upstream.map((u) => BigInt(u.bps) * W * W * T),
          ...p.designers.map((d) => rest * BigInt(p.designerPoolBps) * BigInt(d.shareBps) * T),
        ]
        exact.push(
          rest * W * W * T - exact.slice(1 + p.upstream.length).reduce((a, b) => a + b, 0n),
        )
        const D = W * W * W
        exact.forEach((e, i) => {
          const diff = BigInt(parts[i]!) * D - e
          expect(diff < D && diff > -D).toBe(true)
        })
        const upTotal = s.upstream.reduce((a, u) => a + u.amountMinor, 0)
        expect(upTotal).toBeLessThanOrEqual(p.totalMinor)
      }),
    )
  })

  it('splits zero into zeros', () => {
    fc.assert(
      fc.property(input, (p) => {
        const s = splitRevenue({ ...p, totalMinor: 0 })
        expect(s.platformFeeMinor + s.studioMinor).toBe(0)
        expect([...s.designers, ...s.upstream].every((x) => x.amountMinor === 0)).toBe(true)
      }),
    )
  })

  it('is deterministic', () => {
    fc.assert(
      fc.property(input, (p) => {
        expect(splitRevenue(p)).toEqual(splitRevenue(p))
      }),
    )
  })
})
