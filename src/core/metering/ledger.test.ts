import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LedgerTransaction } from './ledger.js'
import {
  accountKind,
  accounts,
  balance,
  balances,
  chargeTransaction,
  checkTransaction,
  reversalTransaction,
  topUpTransaction,
} from './ledger.js'
import { MeteringError } from './metering-error.js'
import type { RevenueSplit } from './revenue-split.js'
import { splitRevenue } from './revenue-split.js'

const at = '2026-10-15T12:00:00.000Z'

function tx(entries: [string, number][], currency = 'EUR'): LedgerTransaction {
  return {
    id: 't',
    kind: 'test',
    currency,
    createdAt: at,
    entries: entries.map(([account, amountMinor]) => ({ account, amountMinor })),
  }
}

const split = (totalMinor: number): RevenueSplit =>
  splitRevenue({
    totalMinor,
    platformFeeBps: 500,
    designerPoolBps: 3000,
    designers: [
      { designerId: 'd1', shareBps: 6000 },
      { designerId: 'd2', shareBps: 4000 },
    ],
    upstream: [{ assetId: 'a0', bps: 1000 }],
  })

const unbalanced = expect.objectContaining({ code: 'LEDGER_UNBALANCED' })

describe('accounts', () => {
  it('names accounts and recovers their kinds', () => {
    expect(accounts.wallet('lic-1')).toBe('wallet:lic-1')
    expect(accounts.receivable('lic-1')).toBe('receivable:lic-1')
    expect(accounts.revenue()).toBe('revenue:studio')
    expect(accounts.designerPayable('d1')).toBe('designer:d1')
    expect(accounts.upstreamPayable('a1')).toBe('upstream:a1')
    expect(accounts.platformFee()).toBe('fee:platform')
    expect(accounts.clearing('stripe')).toBe('clearing:stripe')
    expect(
      [
        accounts.wallet('p'),
        accounts.receivable('p'),
        accounts.revenue(),
        accounts.designerPayable('d'),
        accounts.upstreamPayable('a:b'),
        accounts.platformFee(),
        accounts.clearing('c'),
      ].map(accountKind),
    ).toEqual([
      'wallet',
      'receivable',
      'revenue',
      'designer-payable',
      'upstream-payable',
      'platform-fee',
      'clearing',
    ])
  })

  it('rejects unknown prefixes and empty ids', () => {
    for (const bad of ['cash:x', 'wallet', 'wallet:', ':x', '']) {
      expect(() => accountKind(bad)).toThrow(unbalanced)
    }
    expect(() => accounts.wallet('')).toThrow(MeteringError)
  })
})

describe('checkTransaction', () => {
  it('accepts a balanced transaction', () => {
    expect(() =>
      checkTransaction(
        tx([
          ['clearing:x', 5],
          ['wallet:p', -5],
        ]),
      ),
    ).not.toThrow()
  })

  it.each<[string, LedgerTransaction]>([
    ['one entry', tx([['clearing:x', 0]])],
    ['no entries', tx([])],
    [
      'a zero entry',
      tx([
        ['clearing:x', 0],
        ['wallet:p', 0],
      ]),
    ],
    [
      'a fractional amount',
      tx([
        ['clearing:x', 1.5],
        ['wallet:p', -1.5],
      ]),
    ],
    [
      'an unsafe amount',
      tx([
        ['clearing:x', 2 ** 53],
        ['wallet:p', -(2 ** 53)],
      ]),
    ],
    [
      'a non-zero sum',
      tx([
        ['clearing:x', 5],
        ['wallet:p', -4],
      ]),
    ],
    [
      'a bad currency',
      tx(
        [
          ['clearing:x', 5],
          ['wallet:p', -5],
        ],
        'eur',
      ),
    ],
    [
      'an unknown account',
      tx([
        ['cash:x', 5],
        ['wallet:p', -5],
      ]),
    ],
  ])('rejects %s', (_, t) => expect(() => checkTransaction(t)).toThrow(unbalanced))

  it('sums exactly where floats would not', () => {
    const big = Number.MAX_SAFE_INTEGER
    expect(() =>
      checkTransaction(
        tx([
          ['clearing:x', big],
          ['clearing:y', 1],
          ['wallet:p', -big],
        ]),
      ),
    ).toThrow(unbalanced)
  })
})

describe('transaction builders', () => {
  it('builds a top-up', () => {
    const t = topUpTransaction({
      id: 'tu1',
      createdAt: at,
      party: 'lic-1',
      currency: 'EUR',
      amountMinor: 10_000,
      provider: 'stripe',
      refs: { payment: 'pi_1' },
    })
    expect(t).toEqual({
      id: 'tu1',
      kind: 'top-up',
      currency: 'EUR',
      createdAt: at,
      entries: [
        { account: 'clearing:stripe', amountMinor: 10_000 },
        { account: 'wallet:lic-1', amountMinor: -10_000 },
      ],
      refs: { payment: 'pi_1' },
    })
    expect(balance(t.entries, 'wallet:lic-1')).toBe(10_000)
    expect(balance(t.entries, 'clearing:stripe')).toBe(10_000)
    expect(() =>
      topUpTransaction({
        id: 'x',
        createdAt: at,
        party: 'p',
        currency: 'EUR',
        amountMinor: 0,
        provider: 's',
      }),
    ).toThrow(unbalanced)
  })

  it('builds prepaid and postpaid charges, skipping zero parts', () => {
    const s: RevenueSplit = {
      totalMinor: 100,
      platformFeeMinor: 5,
      studioMinor: 95,
      designers: [{ designerId: 'd1', amountMinor: 0 }],
      upstream: [],
    }
    const pre = chargeTransaction({
      id: 'c1',
      createdAt: at,
      party: 'lic-1',
      currency: 'EUR',
      settlement: 'prepaid',
      split: s,
      memo: 'usage',
    })
    expect(pre.entries).toEqual([
      { account: 'wallet:lic-1', amountMinor: 100 },
      { account: 'fee:platform', amountMinor: -5 },
      { account: 'revenue:studio', amountMinor: -95 },
    ])
    expect(pre.memo).toBe('usage')
    expect('refs' in pre).toBe(false)
    const post = chargeTransaction({
      id: 'c2',
      createdAt: at,
      party: 'lic-1',
      currency: 'EUR',
      settlement: 'postpaid',
      split: split(1000),
    })
    expect(post.entries[0]).toEqual({ account: 'receivable:lic-1', amountMinor: 1000 })
    expect(balance(post.entries, 'receivable:lic-1')).toBe(1000)
    expect(balance(post.entries, 'designer:d1') + balance(post.entries, 'designer:d2')).toBe(255)
  })

  it('rejects a split that does not add up, and a zero charge', () => {
    const base = {
      id: 'c',
      createdAt: at,
      party: 'p',
      currency: 'EUR',
      settlement: 'prepaid' as const,
    }
    const bad = { ...split(1000), studioMinor: 1 }
    expect(() => chargeTransaction({ ...base, split: bad })).toThrow(
      expect.objectContaining({ code: 'SPLIT_INVALID' }),
    )
    expect(() => chargeTransaction({ ...base, split: split(0) })).toThrow(unbalanced)
  })

  it('reverses a transaction as a credit note', () => {
    const t = topUpTransaction({
      id: 'tu1',
      createdAt: at,
      party: 'p',
      currency: 'EUR',
      amountMinor: 7,
      provider: 's',
      refs: { payment: 'pi' },
    })
    const r = reversalTransaction(t, { id: 'r1', createdAt: at })
    expect(r).toEqual({
      id: 'r1',
      kind: 'reversal',
      currency: 'EUR',
      createdAt: at,
      memo: 'reversal of tu1',
      refs: { payment: 'pi', reverses: 'tu1' },
      entries: [
        { account: 'clearing:s', amountMinor: -7 },
        { account: 'wallet:p', amountMinor: 7 },
      ],
    })
  })
})

type Op =
  | { kind: 'topUp'; party: number; currency: string; amount: number }
  | { kind: 'charge'; party: number; currency: string; amount: number; prepaid: boolean }

const currency = fc.constantFrom('EUR', 'JPY')
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('topUp' as const),
    party: fc.nat(2),
    currency,
    amount: fc.integer({ min: 1, max: 1_000_000 }),
  }),
  fc.record({
    kind: fc.constant('charge' as const),
    party: fc.nat(2),
    currency,
    amount: fc.integer({ min: 1, max: 1_000_000 }),
    prepaid: fc.boolean(),
  }),
)

function build(ops: readonly Op[]): LedgerTransaction[] {
  return ops.map((o, i) =>
    o.kind === 'topUp'
      ? topUpTransaction({
          id: `t${i}`,
          createdAt: at,
          party: `p${o.party}`,
          currency: o.currency,
          amountMinor: o.amount,
          provider: 'stripe',
        })
      : chargeTransaction({
          id: `t${i}`,
          createdAt: at,
          party: `p${o.party}`,
          currency: o.currency,
          settlement: o.prepaid ? 'prepaid' : 'postpaid',
          split: split(o.amount),
        }),
  )
}

const nonZero = (m: Map<string, Map<string, number>>): [string, [string, number][]][] =>
  [...m]
    .map(([c, accts]): [string, [string, number][]] => [
      c,
      [...accts].filter(([, v]) => v !== 0).sort(),
    ])
    .filter(([, accts]) => accts.length > 0)
    .sort()

describe('ledger properties', () => {
  it('keeps every transaction balanced and the raw sums at zero', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const txs = build(ops)
        for (const t of txs) checkTransaction(t)
        for (const cur of ['EUR', 'JPY']) {
          const raw = txs
            .filter((t) => t.currency === cur)
            .flatMap((t) => t.entries)
            .reduce((a, e) => a + e.amountMinor, 0)
          expect(raw).toBe(0)
        }
      }),
    )
  })

  it('holds top-ups minus prepaid charges in each wallet', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const all = balances(build(ops))
        for (const cur of ['EUR', 'JPY']) {
          for (const party of [0, 1, 2]) {
            const mine = ops.filter((o) => o.currency === cur && o.party === party)
            const expected =
              mine.filter((o) => o.kind === 'topUp').reduce((a, o) => a + o.amount, 0) -
              mine.filter((o) => o.kind === 'charge' && o.prepaid).reduce((a, o) => a + o.amount, 0)
            expect(all.get(cur)?.get(`wallet:p${party}`) ?? 0).toBe(expected)
            const owed = mine
              .filter((o) => o.kind === 'charge' && !o.prepaid)
              .reduce((a, o) => a + o.amount, 0)
            expect(all.get(cur)?.get(`receivable:p${party}`) ?? 0).toBe(owed)
          }
        }
      }),
    )
  })

  it('brings every balance back with reversals', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 20 }),
        fc.array(op, { minLength: 1, maxLength: 10 }),
        (before, reversed) => {
          const base = build(before)
          const extra = build(reversed).map((t) => ({ ...t, id: `x-${t.id}` }))
          const undo = extra.map((t) => reversalTransaction(t, { id: `r-${t.id}`, createdAt: at }))
          expect(nonZero(balances([...base, ...extra, ...undo]))).toEqual(nonZero(balances(base)))
        },
      ),
    )
  })

  it('reports natural balances that sum debits against credits', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        for (const accts of balances(build(ops)).values()) {
          let debitNormal = 0
          let creditNormal = 0
          for (const [account, v] of accts) {
            const k = accountKind(account)
            if (k === 'receivable' || k === 'clearing') debitNormal += v
            else creditNormal += v
          }
          expect(debitNormal).toBe(creditNormal)
        }
      }),
    )
  })

  it('refuses to total an unbalanced transaction', () => {
    expect(() =>
      balances([
        tx([
          ['clearing:x', 5],
          ['wallet:p', -4],
        ]),
      ]),
    ).toThrow(unbalanced)
  })
})
