import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Selvedge } from '../../src/compose.js'
import type { Caller } from '../../src/core/access/index.js'
import { verifyBillingDocument } from '../../src/core/billing/index.js'
import { DIALECTS, licenseeKey, makeStudio, type Studio, World } from './world.js'

const NOW = '2026-10-01T09:00:00.000Z'
const REQUEST = { action: 'reproduce', purpose: 'slv:commercialPrint', units: 10 }

// The licence issue's 402 payment-required agreements become paid agreements once the
// licensee's wallet covers the prepaid price.
describe.each(DIALECTS)('prepaid agreements on %s', (dialect) => {
  let world: World
  let s: Selvedge
  let studio: Studio
  let mill: Caller

  beforeAll(async () => {
    world = await World.create(dialect)
    s = await world.at(NOW)
    studio = await makeStudio(s)
    mill = await licenseeKey(s, studio.owner, 'https://mill.example/')
    await s.licences.attach(studio.owner, studio.childId, {
      kind: 'template',
      template: 'standard',
      params: { price: '25.00' },
    })
  }, 60_000)
  afterAll(async () => world.dispose())

  it('refuses with the quote while the wallet cannot pay, then pays from it', async () => {
    const refused = await s.licences.createAgreement(mill, studio.childId, REQUEST)
    expect(refused.kind).toBe('refused')
    expect(refused.decision.outcome).toBe('payment-required')
    expect(refused.decision.duties).toContainEqual(
      expect.objectContaining({ action: 'compensate', amount: { minor: 2500, currency: 'EUR' } }),
    )

    await s.wallets.requestTopUp(studio.owner, {
      party: 'https://mill.example/',
      currency: 'EUR',
      amountMinor: 3000,
      confirm: true,
    })
    const paid = await s.licences.createAgreement(mill, studio.childId, REQUEST)
    if (paid.kind !== 'agreed') throw new Error(paid.decision.explanation)
    expect(paid.decision.outcome).toBe('permit')
    expect(paid.decision.explanation).toMatch(/prepaid 2500 minor units of EUR/)
    expect(await s.wallets.balances(mill)).toEqual([
      { party: 'https://mill.example/', currency: 'EUR', balanceMinor: 500 },
    ])
    const charges = (await s.ledger.transactions(studio.owner)).filter(
      (t) => t.tx.kind === 'charge',
    )
    expect(charges).toHaveLength(1)
    expect(charges[0]?.tx.refs?.['agreement']).toBe(paid.agreementId)
    expect(charges[0]?.tx.entries.reduce((sum, e) => sum + e.amountMinor, 0)).toBe(0)

    // 500 left does not cover another 25.00: refused again, nothing debited.
    const again = await s.licences.createAgreement(mill, studio.childId, REQUEST)
    expect(again.kind).toBe('refused')
    expect((await s.wallets.balances(mill))[0]?.balanceMinor).toBe(500)
  })

  it('invoices the prepaid licence fee when the month closes', async () => {
    const later = await world.at('2026-11-01T00:00:00.000Z')
    const closed = await later.billing.close(studio.owner, '2026-10')
    const invoice = JSON.parse(closed.invoices[0]?.document ?? '{}')
    expect(invoice.lines).toEqual([
      expect.objectContaining({ kind: 'licence', basis: 'prepaid', amountMinor: 2500 }),
    ])
    expect(invoice).toMatchObject({ totalMinor: 2500, prepaidMinor: 2500, dueMinor: 0 })
    expect(verifyBillingDocument(invoice, { vkey: await later.log.vkey() }).ok).toBe(true)
  })
})
