import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BillingDocumentRecord } from '../../src/app/metering/index.js'
import type { Caller } from '../../src/core/access/index.js'
import {
  BILLING_RECEIPT_FORMAT,
  type BillingReceipt,
  verifyBillingDocument,
  verifyBillingReceipt,
} from '../../src/core/billing/index.js'
import {
  agreeToExtended,
  DATABASE_URL,
  DIALECTS,
  licenseeKey,
  makeStudio,
  type Studio,
  usageEvent,
  World,
} from './world.js'

const MILL = 'https://mill.example/'
const T0 = '2026-10-01T09:00:00.000Z'
const T1 = '2026-10-12T10:00:00.000Z'
const CLOSE = '2026-11-02T08:00:00.000Z'

// What a document closed before receipts existed looks like: no stored submission.
async function forgetSubmission(world: World, id: string): Promise<void> {
  const sql = 'update billing_documents set log_submission = null where id = '
  if (world.schemaName === undefined) {
    const db = new BetterSqlite3(join(world.dir, 'selvedge.db'))
    try {
      db.prepare(`${sql}?`).run(id)
    } finally {
      db.close()
    }
    return
  }
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    await client.query(`set search_path to "${world.schemaName}"`)
    await client.query(`${sql}$1`, [id])
  } finally {
    await client.end()
  }
}

describe.each(DIALECTS)('billing receipts on %s', (dialect) => {
  let world: World
  let studio: Studio
  let mill: Caller
  let vkey: string
  let invoice: BillingDocumentRecord
  let statement: BillingDocumentRecord
  const receipts = new Map<string, BillingReceipt>()

  beforeAll(async () => {
    world = await World.create(dialect)
    const s = await world.at(T0)
    studio = await makeStudio(s)
    mill = await licenseeKey(s, studio.owner, MILL)
    const agreed = await agreeToExtended(
      s,
      studio,
      mill,
      { unitCap: '10', unitPrice: '0.02', settlement: 'prepaid' },
      5,
    )
    await s.wallets.requestTopUp(studio.owner, {
      party: MILL,
      currency: 'EUR',
      amountMinor: 1000,
      confirm: true,
    })
    vkey = await s.log.vkey()
    const u = await world.at(T1)
    const report = await u.usage.ingest({ caller: mill }, [usageEvent(agreed.grantId, 30, T1)])
    expect(report.rejected).toEqual([])
    const c = await world.at(CLOSE)
    const closed = await c.billing.close(studio.owner, '2026-10')
    expect(closed.invoices).toHaveLength(1)
    expect(closed.statements.length).toBeGreaterThan(0)
    invoice = closed.invoices[0] as BillingDocumentRecord
    statement = closed.statements[0] as BillingDocumentRecord
    for (const d of [...closed.invoices, ...closed.statements]) {
      expect(d.logSubmission).toMatch(/^lsb_/)
      receipts.set(d.id, await c.billing.receipt(studio.owner, d.id))
    }
  }, 120_000)
  afterAll(async () => world.dispose())

  it('gives every closed document a receipt that binds it to its issued entry', () => {
    for (const d of [invoice, statement]) {
      const receipt = receipts.get(d.id) as BillingReceipt
      expect(Object.keys(receipt)).toEqual([
        'format',
        'document',
        'sha256',
        'logEntry',
        'logIndex',
        'proof',
        'log',
      ])
      expect(receipt.format).toBe(BILLING_RECEIPT_FORMAT)
      expect(receipt.log.vkey).toBe(vkey)
      const entry = JSON.parse(receipt.logEntry)
      expect(entry).toMatchObject({
        type: `${d.kind}.issued`,
        document: d.id,
        sha256: receipt.sha256,
        totalMinor: d.totalMinor,
      })
      const doc = JSON.parse(d.document)
      expect(verifyBillingReceipt(doc, receipt, { vkey })).toEqual({
        ok: true,
        document: d.id,
        logIndex: receipt.logIndex,
        failures: [],
      })
      // As a third party reads it back from a pretty-printed file.
      const file = JSON.parse(JSON.stringify(doc, null, 2))
      expect(verifyBillingReceipt(file, receipt, { vkey }).ok).toBe(true)
    }
  })

  it('refuses an edited document even when its totals stay consistent', () => {
    const doc = JSON.parse(statement.document)
    const receipt = receipts.get(statement.id) as BillingReceipt
    const renamed = { ...doc, payee: { ...doc.payee, name: 'Mallory' } }
    // The document checks alone cannot see this edit; the receipt can.
    expect(verifyBillingDocument(renamed, { vkey }).ok).toBe(true)
    const verdict = verifyBillingReceipt(renamed, receipt, { vkey })
    expect(verdict.ok).toBe(false)
    expect(verdict.failures.map((f) => f.check)).toContain('sha256')
    for (const field of Object.keys(doc)) {
      const edited = { ...doc, [field]: field === 'totalMinor' ? doc[field] + 1 : 'edited' }
      expect(verifyBillingReceipt(edited, receipt, { vkey }).ok, field).toBe(false)
    }
  })

  it("refuses another document's receipt, a tampered proof and a wrong log key", () => {
    const doc = JSON.parse(invoice.document)
    const mine = receipts.get(invoice.id) as BillingReceipt
    const theirs = receipts.get(statement.id) as BillingReceipt
    expect(verifyBillingReceipt(doc, theirs, { vkey }).ok).toBe(false)
    const proof = mine.proof.replace(/\n\n([^\n]*\n)/, (_, origin) => `\n\n${origin}9`)
    expect(proof).not.toBe(mine.proof)
    const tampered = verifyBillingReceipt(doc, { ...mine, proof }, { vkey })
    expect(tampered.failures.map((f) => f.check)).toContain('proof')
    const otherKey = vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')
    expect(verifyBillingReceipt(doc, mine, { vkey: otherKey }).ok).toBe(false)
  })

  it('refuses access like the document, and has no receipt without a stored submission', async () => {
    const s = await world.at(CLOSE)
    const other = await licenseeKey(s, studio.owner, 'https://other.example/')
    await expect(s.billing.receipt(other, invoice.id)).rejects.toMatchObject({
      code: 'BILLING_DOCUMENT_NOT_FOUND',
    })
    const own = await s.billing.receipt(mill, invoice.id)
    expect(verifyBillingReceipt(JSON.parse(invoice.document), own, { vkey }).ok).toBe(true)
    await world.release()
    await forgetSubmission(world, statement.id)
    const t = await world.at(CLOSE)
    expect((await t.billing.document(studio.owner, statement.id)).logSubmission).toBeNull()
    await expect(t.billing.receipt(studio.owner, statement.id)).rejects.toMatchObject({
      code: 'BILLING_RECEIPT_UNAVAILABLE',
    })
    await world.release()
  }, 60_000)
})
