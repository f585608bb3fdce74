import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MeteringError } from './metering-error.js'
import type { PriceModel, PriceTier } from './price-model.js'
import {
  describePriceModel,
  incrementalChargeMinor,
  parsePriceModel,
  periodAmountMinor,
} from './price-model.js'

const model = (raw: unknown): PriceModel => parsePriceModel(raw)

function invalidAt(raw: unknown, path: string): void {
  try {
    parsePriceModel(raw)
  } catch (e) {
    expect(e).toBeInstanceOf(MeteringError)
    expect((e as MeteringError).code).toBe('PRICE_MODEL_INVALID')
    expect((e as MeteringError).message).toContain(path)
    return
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`)
}

const graduated = model({
  kind: 'graduated',
  currency: 'EUR',
  tiers: [
    { upTo: 1000, unitPrice: '0.05' },
    { upTo: 5000, unitPrice: '0.03', flatFee: '10' },
    { upTo: null, unitPrice: '0.01' },
  ],
})
const volume = model({
  kind: 'volume',
  currency: 'EUR',
  tiers: [
    { upTo: 1000, unitPrice: '0.05', flatFee: '1.00' },
    { upTo: 5000, unitPrice: '0.03' },
    { upTo: null, unitPrice: '0.01' },
  ],
})

describe('parsePriceModel', () => {
  it('returns a frozen normalised copy', () => {
    const raw = { kind: 'perUnit', currency: 'EUR', unitPrice: '0.02' }
    const m = parsePriceModel(raw)
    expect(m).toEqual(raw)
    expect(m).not.toBe(raw)
    expect(Object.isFrozen(m)).toBe(true)
  })

  it('accepts every kind', () => {
    for (const raw of [
      { kind: 'package', currency: 'JPY', packageSize: 100, packagePrice: '500' },
      { kind: 'flat', currency: 'GBP', fee: '99.00' },
      { kind: 'threshold', currency: 'EUR', freeUnits: 0, unitPrice: '0.02' },
      {
        kind: 'minimum',
        currency: 'EUR',
        minimum: '50',
        of: { kind: 'perUnit', currency: 'EUR', unitPrice: '0.1' },
      },
    ]) {
      expect(parsePriceModel(raw)).toEqual(raw)
    }
  })

  it.each<[string, unknown, string]>([
    ['a non-object', 'perUnit', '$'],
    ['an unknown kind', { kind: 'auction', currency: 'EUR' }, '$.kind'],
    ['a lower-case currency', { kind: 'flat', currency: 'eur', fee: '1' }, '$.currency'],
    ['an unknown currency', { kind: 'flat', currency: 'ABC', fee: '1' }, '$.currency'],
    ['a numeric price', { kind: 'flat', currency: 'EUR', fee: 1 }, '$.fee'],
    ['a negative price', { kind: 'flat', currency: 'EUR', fee: '-1' }, '$.fee'],
    ['an exponent', { kind: 'flat', currency: 'EUR', fee: '1e3' }, '$.fee'],
    ['13 decimals', { kind: 'flat', currency: 'EUR', fee: '0.0000000000001' }, '$.fee'],
    ['an unknown property', { kind: 'flat', currency: 'EUR', fee: '1', x: 1 }, '$.x'],
    ['no tiers', { kind: 'graduated', currency: 'EUR', tiers: [] }, '$.tiers'],
    [
      'a last tier with a bound',
      { kind: 'volume', currency: 'EUR', tiers: [{ upTo: 5, unitPrice: '1' }] },
      '$.tiers[0].upTo',
    ],
    [
      'descending tiers',
      {
        kind: 'graduated',
        currency: 'EUR',
        tiers: [
          { upTo: 10, unitPrice: '1' },
          { upTo: 10, unitPrice: '1' },
          { upTo: null, unitPrice: '1' },
        ],
      },
      '$.tiers[1].upTo',
    ],
    [
      'a null bound before the last tier',
      {
        kind: 'graduated',
        currency: 'EUR',
        tiers: [
          { upTo: null, unitPrice: '1' },
          { upTo: null, unitPrice: '1' },
        ],
      },
      '$.tiers[0].upTo',
    ],
    [
      'a bad flat fee',
      { kind: 'graduated', currency: 'EUR', tiers: [{ upTo: null, unitPrice: '1', flatFee: '' }] },
      '$.tiers[0].flatFee',
    ],
    [
      'a zero package',
      { kind: 'package', currency: 'EUR', packageSize: 0, packagePrice: '1' },
      '$.packageSize',
    ],
    [
      'negative free units',
      { kind: 'threshold', currency: 'EUR', freeUnits: -1, unitPrice: '1' },
      '$.freeUnits',
    ],
    [
      'a nested currency mismatch',
      {
        kind: 'minimum',
        currency: 'EUR',
        minimum: '1',
        of: { kind: 'flat', currency: 'USD', fee: '1' },
      },
      '$.of.currency',
    ],
    [
      'an invalid nested model',
      { kind: 'minimum', currency: 'EUR', minimum: '1', of: { kind: 'flat', currency: 'EUR' } },
      '$.of.fee',
    ],
  ])('rejects %s', (_, raw, path) => invalidAt(raw, path))
})

describe('periodAmountMinor', () => {
  it('prices per unit, rounding half-up once on the total', () => {
    const m = model({ kind: 'perUnit', currency: 'EUR', unitPrice: '0.005' })
    expect(periodAmountMinor(m, 1)).toBe(1)
    expect(periodAmountMinor(m, 3)).toBe(2)
    expect(periodAmountMinor(m, 1000)).toBe(500)
    expect(periodAmountMinor(m, 0)).toBe(0)
  })

  it('uses the currency exponent', () => {
    const jpy = model({ kind: 'perUnit', currency: 'JPY', unitPrice: '2.5' })
    expect(periodAmountMinor(jpy, 3)).toBe(8)
    const bhd = model({ kind: 'perUnit', currency: 'BHD', unitPrice: '0.0015' })
    expect(periodAmountMinor(bhd, 1)).toBe(2)
  })

  it('prices graduated tiers unit by unit, with the flat fee of each tier reached', () => {
    expect(periodAmountMinor(graduated, 0)).toBe(0)
    expect(periodAmountMinor(graduated, 1000)).toBe(5000)
    expect(periodAmountMinor(graduated, 1001)).toBe(5000 + 1000 + 3)
    expect(periodAmountMinor(graduated, 6000)).toBe(5000 + 1000 + 12000 + 1000)
  })

  it('prices volume tiers at the rate of the tier reached', () => {
    expect(periodAmountMinor(volume, 0)).toBe(0)
    expect(periodAmountMinor(volume, 1)).toBe(105)
    expect(periodAmountMinor(volume, 1000)).toBe(5100)
    expect(periodAmountMinor(volume, 1001)).toBe(3003)
    expect(periodAmountMinor(volume, 6000)).toBe(6000)
  })

  it('prices packages, flat fees, thresholds and minimums', () => {
    const pkg = model({ kind: 'package', currency: 'EUR', packageSize: 100, packagePrice: '25' })
    expect([0, 1, 100, 101].map((u) => periodAmountMinor(pkg, u))).toEqual([0, 2500, 2500, 5000])
    const flat = model({ kind: 'flat', currency: 'EUR', fee: '99.99' })
    expect([0, 1, 10 ** 9].map((u) => periodAmountMinor(flat, u))).toEqual([9999, 9999, 9999])
    const thr = model({ kind: 'threshold', currency: 'EUR', freeUnits: 1000, unitPrice: '0.02' })
    expect([0, 1000, 1001, 1500].map((u) => periodAmountMinor(thr, u))).toEqual([0, 0, 2, 1000])
    const min = model({
      kind: 'minimum',
      currency: 'EUR',
      minimum: '50',
      of: { kind: 'perUnit', currency: 'EUR', unitPrice: '0.1' },
    })
    expect([0, 499, 501].map((u) => periodAmountMinor(min, u))).toEqual([5000, 5000, 5010])
  })

  it('compares the minimum exactly, before rounding', () => {
    const min = model({
      kind: 'minimum',
      currency: 'EUR',
      minimum: '0.014',
      of: { kind: 'perUnit', currency: 'EUR', unitPrice: '0.0049' },
    })
    // of(3) = 0.0147 > 0.014: max is 0.0147, rounded once to 1 cent.
    expect(periodAmountMinor(min, 3)).toBe(1)
  })

  it('accepts a model literal that was never parsed, and rejects an invalid one', () => {
    const lit: PriceModel = { kind: 'perUnit', currency: 'EUR', unitPrice: '0.02' }
    expect(periodAmountMinor(lit, 50)).toBe(100)
    const bad = { kind: 'perUnit', currency: 'EUR', unitPrice: 'free' } as PriceModel
    expect(() => periodAmountMinor(bad, 1)).toThrow(MeteringError)
  })

  it('rejects invalid units and unsafe amounts', () => {
    const m = model({ kind: 'perUnit', currency: 'EUR', unitPrice: '1000' })
    for (const u of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => periodAmountMinor(m, u)).toThrow(
        expect.objectContaining({ code: 'USAGE_UNITS_INVALID' }),
      )
    }
    expect(() => periodAmountMinor(m, Number.MAX_SAFE_INTEGER)).toThrow(MeteringError)
    expect(() => incrementalChargeMinor(m, Number.MAX_SAFE_INTEGER, 1)).toThrow(MeteringError)
  })
})

// Arbitraries for property tests.
const price = fc
  .tuple(fc.nat({ max: 10_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([d, s]) => (s === 0 ? String(d) : (d / 10 ** s).toFixed(s)))
const currency = fc.constantFrom('EUR', 'JPY', 'BHD', 'USD')
const tiers: fc.Arbitrary<PriceTier[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 5000 }), { maxLength: 4 })
  .chain((bounds) => {
    const ups = [...bounds].sort((a, b) => a - b)
    return fc.tuple(
      ...[...ups, null].map((upTo) =>
        fc.record(
          { upTo: fc.constant(upTo), unitPrice: price, flatFee: price },
          { requiredKeys: ['upTo', 'unitPrice'] },
        ),
      ),
    )
  })
const leaf: fc.Arbitrary<PriceModel> = fc.oneof(
  fc.record({ kind: fc.constant('perUnit' as const), currency, unitPrice: price }),
  fc.record({ kind: fc.constant('graduated' as const), currency, tiers }),
  fc.record({ kind: fc.constant('volume' as const), currency, tiers }),
  fc.record({
    kind: fc.constant('package' as const),
    currency,
    packageSize: fc.integer({ min: 1, max: 500 }),
    packagePrice: price,
  }),
  fc.record({ kind: fc.constant('flat' as const), currency, fee: price }),
  fc.record({
    kind: fc.constant('threshold' as const),
    currency,
    freeUnits: fc.nat({ max: 3000 }),
    unitPrice: price,
  }),
)
const anyModel: fc.Arbitrary<PriceModel> = fc.oneof(
  leaf,
  fc
    .tuple(leaf, price)
    .map(([of, minimum]) => ({ kind: 'minimum' as const, currency: of.currency, minimum, of })),
)
const units = fc.nat({ max: 20_000 })

describe('price properties', () => {
  it('parses every generated model', () => {
    fc.assert(
      fc.property(anyModel, (m) => {
        expect(parsePriceModel(m)).toEqual(m)
      }),
    )
  })

  it('prices n units per unit as round_half_up(n × price)', () => {
    fc.assert(
      fc.property(price, units, (p, n) => {
        const m = model({ kind: 'perUnit', currency: 'EUR', unitPrice: p })
        // Exact reference in integers of 10^-4 cents: prices have at most 4 decimals.
        const [i, f = ''] = p.split('.')
        const tenThousandths = BigInt(`${i}${f.padEnd(4, '0')}`) * BigInt(n) * 100n
        const expected = (tenThousandths + 5000n) / 10000n
        expect(periodAmountMinor(m, n)).toBe(Number(expected))
      }),
    )
  })

  it('prices graduated tiers as the sum of per-tier per-unit prices, rounded once', () => {
    const scaled = (text: string): bigint => {
      const [i, f = ''] = text.split('.')
      return BigInt(`${i}${f.padEnd(12, '0')}`)
    }
    fc.assert(
      fc.property(tiers, currency, units, (ts, cur, n) => {
        const m = model({ kind: 'graduated', currency: cur, tiers: ts })
        let exact = 0n
        let lower = 0
        for (const t of ts) {
          const upper = t.upTo === null ? Math.max(n, lower) : t.upTo
          const inTier = Math.max(0, Math.min(n, upper) - lower)
          if (inTier > 0) exact += BigInt(inTier) * scaled(t.unitPrice) + scaled(t.flatFee ?? '0')
          lower = upper
        }
        const digits = cur === 'JPY' ? 0n : cur === 'BHD' ? 3n : 2n
        const num = exact * 10n ** digits
        const q = num / 10n ** 12n
        const expected = (num % 10n ** 12n) * 2n >= 10n ** 12n ? q + 1n : q
        expect(periodAmountMinor(m, n)).toBe(Number(expected))
      }),
    )
  })

  it('prices graduated tiers as per-unit models over each tier when nothing rounds', () => {
    const cents = fc.nat({ max: 500 }).map((c) => (c / 100).toFixed(2))
    const centTiers = tiers.chain((ts) =>
      fc
        .tuple(...ts.map(() => fc.tuple(cents, fc.option(cents, { nil: undefined }))))
        .map((prices) =>
          ts.map((t, k) => {
            const [unitPrice, flatFee] = prices[k]!
            return flatFee === undefined
              ? { upTo: t.upTo, unitPrice }
              : { upTo: t.upTo, unitPrice, flatFee }
          }),
        ),
    )
    fc.assert(
      fc.property(centTiers, units, (ts, n) => {
        const m = model({ kind: 'graduated', currency: 'EUR', tiers: ts })
        let sum = 0
        let lower = 0
        for (const t of ts) {
          const upper = t.upTo ?? Math.max(n, lower)
          const inTier = Math.max(0, Math.min(n, upper) - lower)
          const perUnit = model({ kind: 'perUnit', currency: 'EUR', unitPrice: t.unitPrice })
          sum += periodAmountMinor(perUnit, inTier)
          if (inTier > 0 && t.flatFee !== undefined) {
            sum += periodAmountMinor(model({ kind: 'flat', currency: 'EUR', fee: t.flatFee }), 0)
          }
          lower = upper
        }
        expect(periodAmountMinor(m, n)).toBe(sum)
      }),
    )
  })

  it('telescopes: incremental charges over any split sum to the period amount', () => {
    fc.assert(
      fc.property(anyModel, fc.array(fc.nat({ max: 3000 }), { maxLength: 12 }), (m, chunks) => {
        let prior = 0
        let charged = 0
        for (const c of chunks) {
          charged += incrementalChargeMinor(m, prior, c)
          prior += c
        }
        // The base amount period(0) is non-zero only for flat fees and minimums; increments
        // never include it, so the caller charges it once per period.
        expect(periodAmountMinor(m, 0) + charged).toBe(periodAmountMinor(m, prior))
        if (m.kind !== 'flat' && m.kind !== 'minimum') expect(periodAmountMinor(m, 0)).toBe(0)
      }),
    )
  })

  it('is monotone non-decreasing for every model but volume', () => {
    fc.assert(
      fc.property(anyModel, units, units, (m, a, b) => {
        fc.pre(m.kind !== 'volume' && !(m.kind === 'minimum' && m.of.kind === 'volume'))
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(periodAmountMinor(m, lo)).toBeLessThanOrEqual(periodAmountMinor(m, hi))
        expect(incrementalChargeMinor(m, lo, hi - lo)).toBeGreaterThanOrEqual(0)
      }),
    )
  })

  it('can charge a negative increment under volume pricing', () => {
    expect(incrementalChargeMinor(volume, 1000, 1)).toBe(3003 - 5100)
  })

  it('charges a minimum at least its floor', () => {
    fc.assert(
      fc.property(anyModel, units, (m, n) => {
        fc.pre(m.kind === 'minimum')
        if (m.kind !== 'minimum') return
        const floor = periodAmountMinor({ kind: 'flat', currency: m.currency, fee: m.minimum }, n)
        expect(periodAmountMinor(m, n)).toBe(Math.max(floor, periodAmountMinor(m.of, n)))
      }),
    )
  })
})

describe('describePriceModel', () => {
  it.each<[unknown, string]>([
    [{ kind: 'perUnit', currency: 'EUR', unitPrice: '0.02' }, '0.02 EUR per unit'],
    [
      { kind: 'threshold', currency: 'EUR', freeUnits: 1000, unitPrice: '0.02' },
      '0.02 EUR per unit after 1000 free units',
    ],
    [
      { kind: 'package', currency: 'EUR', packageSize: 100, packagePrice: '25.00' },
      '25.00 EUR per package of 100 units',
    ],
    [{ kind: 'flat', currency: 'GBP', fee: '99' }, 'flat fee of 99 GBP'],
    [
      {
        kind: 'minimum',
        currency: 'EUR',
        minimum: '50.00',
        of: { kind: 'perUnit', currency: 'EUR', unitPrice: '0.10' },
      },
      '0.10 EUR per unit, minimum 50.00 EUR',
    ],
  ])('describes %j', (raw, text) => expect(describePriceModel(model(raw))).toBe(text))

  it('describes tiers', () => {
    expect(describePriceModel(graduated)).toBe(
      'graduated: 0.05 EUR per unit for units 1–1000, 0.03 EUR per unit + 10 EUR for units 1001–5000, 0.01 EUR per unit for units 5001 and up',
    )
    expect(describePriceModel(volume)).toBe(
      'volume: 0.05 EUR per unit + 1.00 EUR up to 1000 units, 0.03 EUR per unit up to 5000 units, 0.01 EUR per unit above 5000 units, all units at the rate of the tier reached',
    )
  })

  it('describes every valid model without throwing', () => {
    fc.assert(
      fc.property(anyModel, (m) => {
        expect(describePriceModel(m).length).toBeGreaterThan(0)
      }),
    )
  })
})
