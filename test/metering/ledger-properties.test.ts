import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BillingError, type UsageReport } from '../../src/app/metering/index.js'
import type { Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { verifyBillingDocument } from '../../src/core/billing/index.js'
import {
  type PriceModel,
  parsePriceModel,
  periodAmountMinor,
} from '../../src/core/metering/index.js'
import { expectBalancedLedger, licenseeKey, makeStudio, usageEvent, World } from './world.js'

const MILL = 'https://mill.example/'
const T0 = '2026-10-01T09:00:00.000Z'
const T1 = '2026-10-15T12:00:00.000Z'
const CLOSE = '2026-11-02T08:00:00.000Z'

// Prices with fractions of a minor unit, so that rounding has to telescope.
const PLANS: readonly unknown[] = [
  { kind: 'perUnit', currency: 'EUR', unitPrice: '0.013' },
  {
    kind: 'graduated',
    currency: 'EUR',
    tiers: [
      { upTo: 20, unitPrice: '0.05', flatFee: '0.10' },
      { upTo: null, unitPrice: '0.007' },
    ],
  },
  {
    kind: 'volume',
    currency: 'EUR',
    tiers: [
      { upTo: 50, unitPrice: '0.03' },
      { upTo: null, unitPrice: '0.015' },
    ],
  },
  { kind: 'package', currency: 'EUR', packageSize: 25, packagePrice: '0.99' },
]

type Flaw = 'none' | 'negative' | 'fraction' | 'type' | 'future'

interface Spec {
  readonly id: number
  readonly units: number
  readonly kind: 'units' | 'variants'
  readonly day: number
  readonly flaw: Flaw
}

type Op = { kind: 'send'; events: readonly Spec[] } | { kind: 'resend'; which: number }

const specArb: fc.Arbitrary<Spec> = fc.record({
  // A small pool of ids, so that the same event turns up again, alone or in other batches.
  id: fc.integer({ min: 0, max: 24 }),
  units: fc.integer({ min: 0, max: 120 }),
  kind: fc.constantFrom('units' as const, 'variants' as const),
  day: fc.integer({ min: 2, max: 14 }),
  flaw: fc.oneof(
    { weight: 8, arbitrary: fc.constant<Flaw>('none') },
    { weight: 1, arbitrary: fc.constantFrom<Flaw>('negative', 'fraction', 'type', 'future') },
  ),
})

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      // Ids repeat across batches, not inside one: see the in-request duplicate test below.
      events: fc.uniqueArray(specArb, { selector: (e) => e.id, minLength: 1, maxLength: 12 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resend' as const), which: fc.nat() }) },
)

const scenarioArb = fc.record({
  unitCap: fc.integer({ min: 1, max: 150 }),
  unitPrice: fc.constantFrom('0.01', '0.02', '0.013', '0.005'),
  // Often too little, so that fees are refused part-way through a stream.
  walletMinor: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 400 })),
  plan: fc.constantFrom(...PLANS),
  ops: fc.array(opArb, { minLength: 2, maxLength: 8 }),
  prefix: fc.nat(),
})

function toEvent(grantId: string, s: Spec): Record<string, unknown> {
  const time =
    s.flaw === 'future'
      ? '2026-10-20T10:00:00Z'
      : `2026-10-${String(s.day).padStart(2, '0')}T10:00:00Z`
  const units =
    s.flaw === 'negative' ? -1 - s.units : s.flaw === 'fraction' ? s.units + 0.5 : s.units
  return usageEvent(grantId, units, time, {
    id: `p-${s.id}`,
    kind: s.flaw === 'type' ? 'teleports' : s.kind,
  })
}

// A batch the service refuses as a whole (one bad event alone) answers like a report.
async function ingest(s: Selvedge, mill: Caller, body: unknown[]): Promise<UsageReport> {
  try {
    return await s.usage.ingest({ caller: mill }, body)
  } catch (err) {
    if (!(err instanceof BillingError) || body.length !== 1) throw err
    const rejected = err.details['rejected'] as UsageReport['rejected']
    expect(rejected).toHaveLength(1)
    return {
      accepted: 0,
      duplicates: 0,
      rejected,
      batchId: null,
      logIndex: null,
      charges: [],
      quotes: [],
    }
  }
}

async function snapshot(s: Selvedge, studioId: string, grantId: string) {
  return {
    sums: await s.store.ledger.sums(studioId),
    txs: (await s.store.ledger.transactions(studioId)).length,
    meters: [...(await s.store.usage.meters(studioId, [grantId]))].sort(),
    summary: await s.store.usage.periodSummary(studioId, '2026-10'),
  }
}

describe('ledger invariants over random usage streams (sqlite)', () => {
  it('balances, ignores re-sends, never overdraws, and invoices the sum of its lines', async () => {
    // What the runs exercised, so that a generator gone quiet cannot pass vacuously.
    const seen = {
      runs: 0,
      accepted: 0,
      duplicates: 0,
      unpaid: 0,
      invalid: 0,
      charged: 0,
      lines: 0,
    }
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (sc) => {
        const world = await World.create('sqlite')
        try {
          let s = await world.at(T0)
          const studio = await makeStudio(s)
          const studioId = studio.owner.studioId
          const mill = await licenseeKey(s, studio.owner, MILL)
          await s.licences.attach(studio.owner, studio.childId, {
            kind: 'template',
            template: 'extended',
            params: { unitCap: String(sc.unitCap), unitPrice: sc.unitPrice, settlement: 'prepaid' },
          })
          const agreed = await s.licences.createAgreement(mill, studio.childId, {
            action: 'reproduce',
            purpose: 'slv:commercialPrint',
            units: 1,
          })
          if (agreed.kind !== 'agreed') throw new Error(agreed.decision.explanation)
          const grantId = agreed.grantId
          if (sc.walletMinor > 0) {
            await s.wallets.requestTopUp(studio.owner, {
              party: MILL,
              currency: 'EUR',
              amountMinor: sc.walletMinor,
              confirm: true,
            })
          }
          const plan = parsePriceModel(sc.plan) as PriceModel
          await s.billing.setPrice(studio.owner, {
            assetId: studio.childId,
            kind: 'variants',
            model: sc.plan,
          })

          s = await world.at(T1)
          const sent: {
            events: Record<string, unknown>[]
            acceptedIdx: Set<number>
            unpaidIdx: Set<number>
          }[] = []
          const acceptedKeys = new Set<string>()
          const acceptedUnits = { units: 0, variants: 0 }
          let acceptedEvents = 0
          let prepaidMinor = 0
          for (const op of sc.ops) {
            const original =
              op.kind === 'resend' ? sent[op.which % Math.max(1, sent.length)] : undefined
            const events =
              op.kind === 'send'
                ? op.events.map((e) => toEvent(grantId, e))
                : (original?.events ?? [])
            if (events.length === 0) continue
            const report = await ingest(s, mill, events)
            const rejected = new Set(report.rejected.map((r) => r.index))
            const acceptedIdx = new Set<number>()
            let duplicates = 0
            events.forEach((e, i) => {
              if (rejected.has(i)) return
              const key = `${e['source']}|${e['id']}`
              if (acceptedKeys.has(key)) {
                duplicates++
                return
              }
              acceptedKeys.add(key)
              acceptedIdx.add(i)
              const kind = String(e['type']).split('.').at(-1) as 'units' | 'variants'
              acceptedUnits[kind] += (e['data'] as { units: number }).units
            })
            // Every event is exactly one of accepted, duplicate or rejected, and only fresh
            // keys are accepted.
            expect(report.accepted).toBe(acceptedIdx.size)
            expect(report.duplicates).toBe(duplicates)
            expect(report.accepted + report.duplicates + report.rejected.length).toBe(events.length)
            // A whole batch sent again: what it got in before is a duplicate now (only events
            // once refused for want of money may go through).
            if (original !== undefined) {
              for (const i of original.acceptedIdx)
                expect(acceptedIdx.has(i) || rejected.has(i)).toBe(false)
            }
            for (const r of report.rejected) {
              const flawed = events[r.index] as Record<string, unknown>
              const units = (flawed['data'] as { units: number }).units
              const isBad =
                !Number.isSafeInteger(units) ||
                units < 0 ||
                String(flawed['type']).endsWith('teleports') ||
                flawed['time'] === '2026-10-20T10:00:00Z'
              // Good events are refused only for want of money.
              if (!isBad) expect(r.code).toBe('USAGE_PAYMENT_REQUIRED')
            }
            if (report.batchId === null) expect(report.accepted).toBe(0)
            else {
              const batch = await s.store.usage.batch(studioId, report.batchId)
              expect(batch?.eventCount).toBe(report.accepted)
              expect((await s.store.usage.batchEvents(studioId, report.batchId)).length).toBe(
                report.accepted,
              )
            }
            seen.accepted += report.accepted
            seen.duplicates += report.duplicates
            for (const r of report.rejected) {
              if (r.code === 'USAGE_PAYMENT_REQUIRED') seen.unpaid++
              else seen.invalid++
            }
            seen.charged += report.charges.length
            acceptedEvents += report.accepted
            prepaidMinor += report.charges.reduce((sum, c) => sum + c.amountMinor, 0)
            const unpaidIdx = new Set(
              report.rejected
                .filter((r) => r.code === 'USAGE_PAYMENT_REQUIRED')
                .map((r) => r.index),
            )
            sent.push({ events, acceptedIdx, unpaidIdx })
            // (a) and (d): balanced after every batch, and the wallet never below zero.
            const sums = await expectBalancedLedger(s, studioId)
            const wallet = 0 - (sums.find((r) => r.account === `wallet:${MILL}`)?.sum ?? 0)
            expect(wallet).toBeGreaterThanOrEqual(0)
            expect(wallet).toBe(sc.walletMinor - prepaidMinor)
          }

          // (b) Re-sending any prefix of what was sent (all but the events refused for want of
          // money, which may rightly go through later) changes nothing.
          const before = await snapshot(s, studioId, grantId)
          const prefix = sent.slice(0, (sc.prefix % Math.max(1, sent.length)) + 1)
          for (const batch of prefix) {
            const kept = batch.events
              .map((event, i) => ({ event, wasAccepted: batch.acceptedIdx.has(i), i }))
              .filter((e) => !batch.unpaidIdx.has(e.i))
            if (kept.length === 0) continue
            const again = await ingest(
              s,
              mill,
              kept.map((e) => e.event),
            )
            expect(again.accepted).toBe(0)
            expect(again.charges).toEqual([])
            for (const r of again.rejected) expect(kept[r.index]?.wasAccepted).toBe(false)
          }
          expect(await snapshot(s, studioId, grantId)).toEqual(before)
          const meters = new Map(before.meters)
          expect(meters.get(`${grantId}/units`) ?? 0).toBe(acceptedUnits.units)
          expect(meters.get(`${grantId}/variants`) ?? 0).toBe(acceptedUnits.variants)

          // (c) The closed period invoices every accepted event, and totals its lines.
          s = await world.at(CLOSE)
          const closed = await s.billing.close(studio.owner, '2026-10')
          const vkey = await s.log.vkey()
          const invoices = closed.invoices.map((d) => JSON.parse(d.document))
          const lines = invoices.flatMap((i) => i.lines)
          expect(lines.reduce((n: number, l: { events: number }) => n + l.events, 0)).toBe(
            acceptedEvents,
          )
          for (const invoice of invoices) {
            expect(invoice.totalMinor).toBe(
              invoice.lines.reduce((n: number, l: { amountMinor: number }) => n + l.amountMinor, 0),
            )
            expect(invoice.controlTotals.overall.amountMinor).toBe(invoice.totalMinor)
            expect(verifyBillingDocument(invoice, { vkey })).toMatchObject({
              ok: true,
              failures: [],
            })
          }
          const expectedTotal = prepaidMinor + periodAmountMinor(plan, acceptedUnits.variants)
          expect(invoices.reduce((n, i) => n + i.totalMinor, 0)).toBe(expectedTotal)
          for (const d of closed.statements) {
            expect(verifyBillingDocument(JSON.parse(d.document), { vkey }).ok).toBe(true)
          }
          await expectBalancedLedger(s, studioId)
          seen.runs++
          seen.lines += lines.length
        } finally {
          await world.dispose()
        }
      }),
      { numRuns: 15, interruptAfterTimeLimit: 45_000 },
    )
    expect(seen.runs).toBeGreaterThanOrEqual(4)
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0)
  }, 90_000)

  // A copy of an event within one request shares the first copy's fate: when the first is
  // refused for want of money, the copy is refused too, never reported as a stored duplicate.
  it('does not report an unpaid event as a duplicate of itself in one request', async () => {
    const world = await World.create('sqlite')
    try {
      let s = await world.at(T0)
      const studio = await makeStudio(s)
      const mill = await licenseeKey(s, studio.owner, MILL)
      await s.licences.attach(studio.owner, studio.childId, {
        kind: 'template',
        template: 'extended',
        params: { unitCap: '1', unitPrice: '0.01', settlement: 'prepaid' },
      })
      const agreed = await s.licences.createAgreement(mill, studio.childId, {
        action: 'reproduce',
        purpose: 'slv:commercialPrint',
        units: 1,
      })
      if (agreed.kind !== 'agreed') throw new Error(agreed.decision.explanation)
      s = await world.at(T1)
      // 2 units, 1 free: a fee of 1 minor unit, and the wallet is empty.
      const event = usageEvent(agreed.grantId, 2, '2026-10-05T10:00:00Z', { id: 'twice' })
      const report = await s.usage.ingest({ caller: mill }, [event, structuredClone(event)])
      expect(report.accepted).toBe(0)
      // Nothing was stored: sending it alone after a top-up is accepted, not a duplicate.
      await s.wallets.requestTopUp(studio.owner, {
        party: MILL,
        currency: 'EUR',
        amountMinor: 10,
        confirm: true,
      })
      const alone = await s.usage.ingest({ caller: mill }, [event])
      expect(alone).toMatchObject({ accepted: 1, duplicates: 0 })
      // So the first answer must not have called the second copy a duplicate.
      expect(report.duplicates).toBe(0)
      expect(report.rejected.map((r) => [r.index, r.code])).toEqual([
        [0, 'USAGE_PAYMENT_REQUIRED'],
        [1, 'USAGE_PAYMENT_REQUIRED'],
      ])
    } finally {
      await world.dispose()
    }
  })
})
