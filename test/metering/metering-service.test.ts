import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BillingError, renderBillingPdf } from '../../src/app/metering/index.js'
import type { Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { formatMinor, verifyBillingDocument } from '../../src/core/billing/index.js'
import { compact, readPdf } from '../support/pdf-text.js'
import {
  agreeToExtended,
  DIALECTS,
  licenseeKey,
  makeStudio,
  type Studio,
  usageEvent,
  World,
} from './world.js'

const MILL = 'https://mill.example/'
const T0 = '2026-10-01T09:00:00.000Z'
const T1 = '2026-10-10T12:00:00.000Z'
const CLOSE = '2026-11-02T08:00:00.000Z'

async function agreeExtended(
  s: Selvedge,
  studio: Studio,
  mill: Caller,
  settlement: 'prepaid' | 'postpaid',
): Promise<{ grantId: string; grant: string }> {
  return agreeToExtended(s, studio, mill, { unitCap: '1000', unitPrice: '0.02', settlement }, 500)
}

describe.each(DIALECTS)('metering on %s', (dialect) => {
  let world: World
  let studio: Studio
  let mill: Caller
  let grantId: string
  let grant: string

  beforeAll(async () => {
    world = await World.create(dialect)
    const s = await world.at(T0)
    studio = await makeStudio(s)
    mill = await licenseeKey(s, studio.owner, MILL)
    ;({ grantId, grant } = await agreeExtended(s, studio, mill, 'prepaid'))
    const topUp = await s.wallets.requestTopUp(mill, { currency: 'EUR', amountMinor: 1000 })
    expect(topUp.status).toBe('pending')
    await s.wallets.confirm(studio.owner, topUp.id)
  }, 60_000)
  afterAll(async () => world.dispose())

  it('accepts usage, logs the batch and charges the prepaid fee above the threshold', async () => {
    const s = await world.at(T1)
    const report = await s.usage.ingest({ caller: mill }, [
      usageEvent(grantId, 600, '2026-10-05T10:00:00Z', { id: 'a-1' }),
      usageEvent(grantId, 600, '2026-10-06T10:00:00Z', { id: 'a-2' }),
    ])
    expect(report).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] })
    expect(report.logIndex).toEqual(expect.any(Number))
    // 1,200 cumulative units, 1,000 free: 200 × 0.02 EUR = 4.00 EUR.
    expect(report.charges).toEqual([
      { grantId, kind: 'units', amountMinor: 400, currency: 'EUR', settlement: 'prepaid' },
    ])
    expect(await s.wallets.balances(mill)).toEqual([
      { party: MILL, currency: 'EUR', balanceMinor: 600 },
    ])
  })

  it('changes nothing when any event or batch is sent again', async () => {
    const s = await world.at(T1)
    const again = await s.usage.ingest({ caller: mill }, [
      usageEvent(grantId, 600, '2026-10-05T10:00:00Z', { id: 'a-1' }),
      usageEvent(grantId, 600, '2026-10-06T10:00:00Z', { id: 'a-2' }),
    ])
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, batchId: null, charges: [] })
    expect((await s.wallets.balances(mill))[0]?.balanceMinor).toBe(600)
  })

  it('rejects bad events with codes and keeps the good ones', async () => {
    const s = await world.at(T1)
    const report = await s.usage.ingest({ caller: mill }, [
      usageEvent(grantId, -1, '2026-10-07T10:00:00Z', { id: 'b-1' }),
      usageEvent(grantId, 1.5, '2026-10-07T10:00:00Z', { id: 'b-2' }),
      usageEvent('00000000000000aa', 1, '2026-10-07T10:00:00Z', { id: 'b-3' }),
      usageEvent(grantId, 1, '2026-08-01T10:00:00Z', { id: 'b-4' }),
      usageEvent(grantId, 1, '2026-10-07T10:00:00Z', { id: 'b-5', kind: 'teleports' }),
      usageEvent(grantId, 10, '2026-10-07T10:00:00Z', { id: 'b-6' }),
    ])
    expect(report.accepted).toBe(1)
    expect(report.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'USAGE_UNITS_INVALID'],
      [1, 'USAGE_UNITS_INVALID'],
      [2, 'USAGE_GRANT_UNKNOWN'],
      [3, 'USAGE_TIME_OUTSIDE_GRANT'],
      [4, 'USAGE_TYPE_UNKNOWN'],
    ])
    // The accepted 10 units cost 0.20 EUR.
    expect(report.charges[0]?.amountMinor).toBe(20)
  })

  it('writes nothing from an atomic batch with one bad event', async () => {
    const s = await world.at(T1)
    const before = await s.store.ledger.sums(studio.owner.studioId)
    const err = await s.usage
      .ingest(
        { caller: mill },
        [
          usageEvent(grantId, 5, '2026-10-08T10:00:00Z', { id: 'c-1' }),
          usageEvent(grantId, -5, '2026-10-08T10:00:00Z', { id: 'c-2' }),
        ],
        { atomic: true },
      )
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BillingError)
    expect((err as BillingError).code).toBe('USAGE_BATCH_REJECTED')
    expect((err as BillingError).details['rejected']).toEqual([
      expect.objectContaining({ index: 1, code: 'USAGE_UNITS_INVALID' }),
    ])
    // The good event was not stored: sending it alone now is accepted, not a duplicate.
    expect(await s.store.ledger.sums(studio.owner.studioId)).toEqual(before)
    const alone = await s.usage.ingest(
      { caller: mill },
      usageEvent(grantId, 5, '2026-10-08T10:00:00Z', { id: 'c-1' }),
    )
    expect(alone).toMatchObject({ accepted: 1, duplicates: 0 })
  })

  it('refuses usage the wallet cannot cover with 402 and a quote, and holds the grant', async () => {
    const s = await world.at(T1)
    const balance = (await s.wallets.balances(mill))[0]?.balanceMinor ?? 0
    const report = await s.usage.ingest({ caller: mill }, [
      usageEvent(grantId, 1, '2026-10-09T10:00:00Z', { id: 'd-1' }),
      usageEvent(grantId, 1000, '2026-10-09T11:00:00Z', { id: 'd-2' }),
      usageEvent(grantId, 1, '2026-10-09T12:00:00Z', { id: 'd-3' }),
    ])
    expect(report.accepted).toBe(1)
    expect(report.rejected.map((r) => r.code)).toEqual([
      'USAGE_PAYMENT_REQUIRED',
      'USAGE_PAYMENT_REQUIRED',
    ])
    expect(await s.usage.hold(studio.owner.studioId, grantId)).toEqual({
      amountMinor: 2000 + 2,
      currency: 'EUR',
    })
    expect((await s.wallets.balances(mill))[0]?.balanceMinor).toBe(balance - 2)
    // Held: exports under the grant are refused until the usage is paid for.
    await expect(
      s.exports.export({ grant }, studio.childId, { format: 'png', baseUrl: 'https://s.example' }),
    ).rejects.toMatchObject({ code: 'USAGE_GRANT_HELD', details: { quote: { amountMinor: 2002 } } })
    // Topped up, the same events go through and the hold lifts.
    await s.wallets.requestTopUp(studio.owner, {
      party: MILL,
      currency: 'EUR',
      amountMinor: 5000,
      confirm: true,
    })
    const paid = await s.usage.ingest({ caller: mill }, [
      usageEvent(grantId, 1000, '2026-10-09T11:00:00Z', { id: 'd-2' }),
      usageEvent(grantId, 1, '2026-10-09T12:00:00Z', { id: 'd-3' }),
    ])
    expect(paid).toMatchObject({ accepted: 2, rejected: [] })
    expect(await s.usage.hold(studio.owner.studioId, grantId)).toBeNull()
  })

  it('closes an ended period once, with invoices and statements that verify offline', async () => {
    const early = await world.at('2026-10-31T23:59:59.000Z')
    await expect(early.billing.close(studio.owner, '2026-10')).rejects.toMatchObject({
      code: 'BILLING_PERIOD_OPEN',
    })
    const s = await world.at(CLOSE)
    const closed = await s.billing.close(studio.owner, '2026-10')
    expect(closed.invoices).toHaveLength(1)
    const invoice = JSON.parse(closed.invoices[0]?.document ?? '{}')
    expect(invoice.party).toBe(MILL)
    expect(invoice.currency).toBe('EUR')
    // Every prepaid fee of the month: 400 + 20 + 5×2 (c-1) + 2 (d-1) + 2,000 + 2 (d-2, d-3).
    expect(invoice.totalMinor).toBe(400 + 20 + 10 + 2 + 2000 + 2)
    expect(invoice.dueMinor).toBe(0)
    const vkey = await s.log.vkey()
    const verdict = verifyBillingDocument(invoice, { vkey })
    expect(verdict).toMatchObject({ ok: true, failures: [] })
    expect(verdict.batchesVerified).toBeGreaterThan(0)

    // Statements: Ada 60% and Bo 40% of the designers' half after the parent's 10%.
    const byParty = new Map(
      closed.statements.map((d) => [d.party, JSON.parse(d.document) as { totalMinor: number }]),
    )
    const total = invoice.totalMinor
    const upstream = byParty.get(`upstream:${studio.parentId}`)?.totalMinor ?? 0
    expect(upstream).toBeGreaterThanOrEqual(Math.floor(total / 10) - 6)
    expect(upstream).toBeLessThanOrEqual(Math.ceil(total / 10) + 6)
    for (const d of closed.statements) {
      expect(verifyBillingDocument(JSON.parse(d.document), { vkey }).ok).toBe(true)
    }
    // Closing again is refused and changes nothing.
    await expect(s.billing.close(studio.owner, '2026-10')).rejects.toMatchObject({
      code: 'BILLING_PERIOD_CLOSED',
    })
    expect(await s.billing.documents(studio.owner, '2026-10')).toHaveLength(
      closed.invoices.length + closed.statements.length,
    )
  })

  it('renders the invoice as a printable PDF with its lines and totals', async () => {
    const s = await world.at(CLOSE)
    const docs = await s.billing.documents(studio.owner, '2026-10')
    const invoice = JSON.parse(docs.find((d) => d.kind === 'invoice')?.document ?? '{}')
    const pdf = await readPdf(await renderBillingPdf(invoice))
    expect(pdf.doc.getTitle()).toBe(`Invoice ${invoice.id}`)
    expect(compact(pdf.text)).toContain(compact(`Licensee: ${MILL}`))
    expect(compact(pdf.text)).toContain(
      compact(`Total ${formatMinor(invoice.totalMinor, 'EUR')} EUR`),
    )
    expect(compact(pdf.text)).toContain(invoice.batches[0].merkleRoot)
  })

  it('detects a tampered invoice', async () => {
    const s = await world.at(CLOSE)
    const docs = await s.billing.documents(studio.owner, '2026-10')
    const invoice = JSON.parse(docs.find((d) => d.kind === 'invoice')?.document ?? '{}')
    const vkey = await s.log.vkey()
    const cheaper = structuredClone(invoice)
    cheaper.lines[0].amountMinor -= 1
    expect(verifyBillingDocument(cheaper, { vkey }).ok).toBe(false)
    const moreUnits = structuredClone(invoice)
    moreUnits.batches[0].units += 1
    expect(verifyBillingDocument(moreUnits, { vkey }).failures.map((f) => f.check)).toContain(
      `batches.${invoice.batches[0].batchId}.logEntry`,
    )
    expect(verifyBillingDocument(invoice, { vkey: 'other+12345678+AXXX' }).ok).toBe(false)
  })

  it('bills late usage of a closed period in the next open one', async () => {
    const s = await world.at('2026-11-03T09:00:00.000Z')
    const report = await s.usage.ingest({ caller: mill }, [
      usageEvent(grantId, 3, '2026-10-20T10:00:00Z', { id: 'late-1' }),
    ])
    expect(report.accepted).toBe(1)
    const rows = await s.store.usage.periodSummary(studio.owner.studioId, '2026-11')
    expect(rows.map((r) => r.units)).toEqual([3])
  })

  it('corrects with a credit note in the next open period, never by editing', async () => {
    const s = await world.at('2026-11-04T09:00:00.000Z')
    const october = await s.ledger.transactions(studio.owner, '2026-10')
    const first = october.find((t) => t.tx.kind === 'charge')
    if (first === undefined) throw new Error('no charge in October')
    const before = (await s.wallets.balances(mill))[0]?.balanceMinor ?? 0
    const credit = await s.ledger.creditNote(studio.owner, first.tx.id, 'goodwill')
    expect(credit.period).toBe('2026-11')
    expect(credit.tx.entries.reduce((sum, e) => sum + e.amountMinor, 0)).toBe(0)
    expect((await s.wallets.balances(mill))[0]?.balanceMinor).toBe(before + 400)
    await expect(s.ledger.creditNote(studio.owner, first.tx.id)).rejects.toMatchObject({
      code: 'PAYMENT_INVALID',
    })
    // October is untouched.
    expect(await s.ledger.transactions(studio.owner, '2026-10')).toEqual(october)
    const later = await world.at('2026-12-01T00:00:00.000Z')
    const november = await later.billing.close(studio.owner, '2026-11')
    const invoice = JSON.parse(november.invoices[0]?.document ?? '{}')
    expect(invoice.lines.map((l: { amountMinor: number }) => l.amountMinor)).toContain(-400)
    expect(verifyBillingDocument(invoice, { vkey: await later.log.vkey() }).ok).toBe(true)
  })
})
