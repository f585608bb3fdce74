import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ROYALTY_SETTINGS, splitCharge } from '../../src/app/metering/index.js'
import type { Selvedge } from '../../src/compose.js'
import { STATUS, toErrorResponse } from '../../src/http/errors.js'
import {
  DIALECTS,
  expectBalancedLedger,
  licenseeKey,
  makeStudio,
  type Studio,
  usageEvent,
  World,
} from './world.js'

const PAYER = fileURLToPath(new URL('./usage-payer.child.ts', import.meta.url))
const T0 = '2026-10-01T09:00:00.000Z'
const T1 = '2026-10-12T12:00:00.000Z'
const T2 = '2026-10-14T12:00:00.000Z'
const ATTEMPTS = 100
const COVERED = 60

// Each attempt costs exactly 1 minor unit, so a wallet of 60 covers exactly 60 of the 100.
async function fundedWallet(s: Selvedge, studio: Studio, party: string): Promise<void> {
  await s.wallets.requestTopUp(studio.owner, {
    party,
    currency: 'EUR',
    amountMinor: COVERED,
    confirm: true,
  })
}

async function balanceOf(s: Selvedge, studio: Studio, party: string): Promise<number> {
  const sums = await s.store.ledger.sums(studio.owner.studioId)
  return 0 - (sums.find((r) => r.account === `wallet:${party}` && r.currency === 'EUR')?.sum ?? 0)
}

function settle<T>(results: readonly PromiseSettledResult<T>[]): {
  ok: T[]
  failed: { code: unknown; status: number }[]
} {
  const ok: T[] = []
  const failed: { code: unknown; status: number }[] = []
  for (const r of results) {
    if (r.status === 'fulfilled') ok.push(r.value)
    else {
      failed.push({
        code: (r.reason as { code?: unknown }).code,
        status: toErrorResponse(r.reason).status,
      })
    }
  }
  return { ok, failed }
}

describe.each(DIALECTS)('wallet debits under concurrency on %s', (dialect) => {
  let world: World
  let studio: Studio

  beforeAll(async () => {
    world = await World.create(dialect)
    studio = await makeStudio(await world.at(T0))
  }, 60_000)
  afterAll(async () => world.dispose())

  it('lets exactly 60 of 100 concurrent prepaid usage reports through a wallet of 60', async () => {
    const party = 'https://mill-usage.example/'
    let s = await world.at(T0)
    const mill = await licenseeKey(s, studio.owner, party)
    await s.licences.attach(studio.owner, studio.childId, {
      kind: 'template',
      template: 'extended',
      // One free unit, then 0.01 EUR a unit, prepaid: each unit past the first debits 1 minor.
      params: { unitCap: '1', unitPrice: '0.01', settlement: 'prepaid' },
    })
    const agreed = await s.licences.createAgreement(mill, studio.childId, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 1,
    })
    if (agreed.kind !== 'agreed') throw new Error(agreed.decision.explanation)
    await fundedWallet(s, studio, party)

    s = await world.at(T1)
    // Use up the free unit, so that every later unit costs exactly 1 minor unit.
    const free = await s.usage.ingest(
      { caller: mill },
      usageEvent(agreed.grantId, 1, '2026-10-01T09:30:00Z', { id: 'free-1' }),
    )
    expect(free).toMatchObject({ accepted: 1, charges: [] })
    const results = settle(
      await Promise.allSettled(
        Array.from({ length: ATTEMPTS }, (_, i) =>
          s.usage.ingest(
            { caller: mill },
            usageEvent(agreed.grantId, 1, '2026-10-11T10:00:00Z', { id: `conc-${i}` }),
          ),
        ),
      ),
    )
    expect(results.ok).toHaveLength(COVERED)
    for (const report of results.ok) {
      expect(report).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] })
      expect(report.charges).toEqual([
        expect.objectContaining({ amountMinor: 1, currency: 'EUR', settlement: 'prepaid' }),
      ])
    }
    expect(results.failed).toHaveLength(ATTEMPTS - COVERED)
    for (const f of results.failed) {
      expect(f).toEqual({ code: 'USAGE_PAYMENT_REQUIRED', status: 402 })
    }
    expect(await balanceOf(s, studio, party)).toBe(0)
    const charges = (await s.store.ledger.transactions(studio.owner.studioId)).filter(
      (t) => t.tx.kind === 'charge' && t.tx.refs?.['grant'] === agreed.grantId,
    )
    expect(charges).toHaveLength(COVERED)
    // Only the free unit and the 60 paid ones were metered.
    const meters = await s.store.usage.meters(studio.owner.studioId, [agreed.grantId])
    expect(meters.get(`${agreed.grantId}/units`)).toBe(1 + COVERED)
    await expectBalancedLedger(s, studio.owner.studioId)
    // Usage that could not be paid for holds the grant until it is.
    expect(await s.usage.hold(studio.owner.studioId, agreed.grantId)).not.toBeNull()
  })

  it('agrees exactly 60 of 100 concurrent prepaid agreements on a wallet of 60', async () => {
    const party = 'https://mill-agreements.example/'
    const s = await world.at(T1)
    const mill = await licenseeKey(s, studio.owner, party)
    await s.licences.attach(studio.owner, studio.parentId, {
      kind: 'template',
      template: 'standard',
      params: { price: '0.01' },
    })
    await fundedWallet(s, studio, party)
    const outcomes = await Promise.all(
      Array.from({ length: ATTEMPTS }, () =>
        s.licences.createAgreement(mill, studio.parentId, {
          action: 'reproduce',
          purpose: 'slv:commercialPrint',
          units: 1,
        }),
      ),
    )
    const agreed = outcomes.filter((o) => o.kind === 'agreed')
    const refused = outcomes.filter((o) => o.kind === 'refused')
    expect(agreed).toHaveLength(COVERED)
    expect(refused).toHaveLength(ATTEMPTS - COVERED)
    for (const o of refused) expect(o.decision.outcome).toBe('payment-required')
    expect(STATUS.LICENCE_PAYMENT_REQUIRED).toBe(402)
    expect(await balanceOf(s, studio, party)).toBe(0)
    const charged = (await s.store.ledger.transactions(studio.owner.studioId)).filter(
      (t) => t.tx.kind === 'charge' && t.tx.refs?.['kind'] === 'licence',
    )
    expect(new Set(charged.map((t) => t.tx.refs?.['agreement']))).toEqual(
      new Set(agreed.map((o) => (o.kind === 'agreed' ? o.agreementId : ''))),
    )
    await expectBalancedLedger(s, studio.owner.studioId)
  })

  it('debits exactly 60 of 100 concurrent WalletService.debit transactions', async () => {
    const party = 'https://mill-debits.example/'
    const s = await world.at(T1)
    await fundedWallet(s, studio, party)
    const asset = await s.store.assets.get(studio.owner.studioId, studio.childId)
    if (asset === null) throw new Error('no child asset')
    const split = await splitCharge(s.store, asset, 1, DEFAULT_ROYALTY_SETTINGS)
    const results = settle(
      await Promise.allSettled(
        Array.from({ length: ATTEMPTS }, (_, i) =>
          s.store.transaction((tx) =>
            s.wallets.debit(tx, {
              studioId: studio.owner.studioId,
              party,
              currency: 'EUR',
              split,
              refs: { test: `debit-${i}` },
              memo: 'concurrency test',
            }),
          ),
        ),
      ),
    )
    expect(results.ok).toHaveLength(COVERED)
    expect(new Set(results.ok).size).toBe(COVERED)
    expect(results.failed).toHaveLength(ATTEMPTS - COVERED)
    for (const f of results.failed) expect(f).toEqual({ code: 'WALLET_INSUFFICIENT', status: 402 })
    expect(await balanceOf(s, studio, party)).toBe(0)
    // The balance never dipped: no debit was booked beyond the 60 that fit.
    const txs = (await s.store.ledger.transactions(studio.owner.studioId)).filter((t) =>
      t.tx.refs?.['test']?.startsWith('debit-'),
    )
    expect(txs).toHaveLength(COVERED)
    await expectBalancedLedger(s, studio.owner.studioId)
  })

  it('lets exactly 60 of 100 prepaid usage reports from 4 processes through a wallet of 60', async () => {
    const party = 'https://mill-processes.example/'
    let s = await world.at(T1)
    const created = await s.keys.create(studio.owner, { role: 'licensee', party })
    const mill = await s.keys.authenticate(created.key)
    // The child's licence (extended, 1 free unit, 0.01 EUR a unit, prepaid) is still current.
    const agreed = await s.licences.createAgreement(mill, studio.childId, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 1,
    })
    if (agreed.kind !== 'agreed') throw new Error(agreed.decision.explanation)
    await fundedWallet(s, studio, party)
    s = await world.at(T2)
    const free = await s.usage.ingest(
      { caller: mill },
      usageEvent(agreed.grantId, 1, '2026-10-13T09:00:00Z', { id: 'proc-free' }),
    )
    expect(free).toMatchObject({ accepted: 1, charges: [] })
    await world.release()

    const env = { ...world.env(T2), SELVEDGE_DATA: world.dir }
    const children = Array.from({ length: 4 }, (_, p) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', PAYER, created.key, agreed.grantId, `proc${p}`, String(ATTEMPTS / 4)],
        { stdio: ['pipe', 'pipe', 'pipe'], env },
      )
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString('utf8')
      })
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString('utf8')
      })
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      return { child, exited, out: () => stdout, err: () => stderr }
    })
    // Let every process open the database, then start them together.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    for (const c of children) c.child.stdin.write('go\n')
    let ok = 0
    const codes: string[] = []
    for (const c of children) {
      expect(await c.exited, c.err()).toBe(0)
      const result = JSON.parse(c.out().trim()) as { ok: number; codes: string[] }
      ok += result.ok
      codes.push(...result.codes)
    }
    expect(ok).toBe(COVERED)
    expect(codes).toEqual(Array(ATTEMPTS - COVERED).fill('USAGE_PAYMENT_REQUIRED'))
    s = await world.at(T2)
    expect(await balanceOf(s, studio, party)).toBe(0)
    const meters = await s.store.usage.meters(studio.owner.studioId, [agreed.grantId])
    expect(meters.get(`${agreed.grantId}/units`)).toBe(1 + COVERED)
    await expectBalancedLedger(s, studio.owner.studioId)
  }, 60_000)
})
