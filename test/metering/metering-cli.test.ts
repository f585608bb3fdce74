import { access, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyBillingDocument, verifyBillingReceipt } from '../../src/core/billing/index.js'
import {
  DIALECTS,
  licenseeKey,
  makeStudio,
  runWorldCli,
  type Studio,
  usageEvent,
  World,
} from './world.js'

const MILL = 'https://mill.example/'
const T0 = '2026-10-01T09:00:00.000Z'
const NOW = '2026-10-15T12:00:00Z'
const CLOSE = '2026-11-02T08:00:00Z'

describe.each(DIALECTS)('metering CLI on %s', (dialect) => {
  let world: World
  let studio: Studio
  let grantId: string
  let usageFile: string
  let vkey: string
  const cli = (now: string, ...args: string[]) => runWorldCli(world, now, args)
  const json = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null')

  beforeAll(async () => {
    world = await World.create(dialect)
    const s = await world.at(T0)
    studio = await makeStudio(s)
    const mill = await licenseeKey(s, studio.owner, MILL)
    await s.licences.attach(studio.owner, studio.childId, {
      kind: 'template',
      template: 'extended',
      params: { unitCap: '100', unitPrice: '0.02', settlement: 'prepaid' },
    })
    const agreed = await s.licences.createAgreement(mill, studio.childId, {
      action: 'reproduce',
      purpose: 'slv:commercialPrint',
      units: 50,
    })
    if (agreed.kind !== 'agreed') throw new Error(agreed.decision.explanation)
    grantId = agreed.grantId
    await s.wallets.requestTopUp(studio.owner, {
      party: MILL,
      currency: 'EUR',
      amountMinor: 1000,
      confirm: true,
    })
    vkey = await s.log.vkey()
    await world.release()
    usageFile = join(world.dir, 'usage.jsonl')
    const line = (units: number, id: string, day: number) =>
      JSON.stringify(usageEvent(grantId, units, `2026-10-${10 + day}T10:00:00Z`, { id }))
    await writeFile(
      usageFile,
      [
        line(60, 'cli-1', 1),
        line(60, 'cli-2', 2),
        '{"this is": not json',
        '',
        line(5, 'cli-3', 3),
        line(-1, 'cli-4', 3),
        line(5, 'cli-1', 1),
        '',
      ].join('\n'),
    )
  }, 60_000)
  afterAll(async () => world.dispose())

  it('ingests a JSON Lines file, listing bad lines by index, and re-ingests it as duplicates', async () => {
    const first = await cli(NOW, 'usage', 'ingest', usageFile, '--json')
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const report = json(first.stdout)
    expect(report).toMatchObject({ accepted: 3, duplicates: 1 })
    expect(report.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [2, 'USAGE_EVENT_INVALID'],
      [4, 'USAGE_UNITS_INVALID'],
    ])
    for (const r of report.rejected)
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['index', 'code']))
    // 125 units, 100 free: 25 × 0.02 EUR debited from the prepaid wallet.
    expect(report.charges).toEqual([
      { grantId, kind: 'units', amountMinor: 50, currency: 'EUR', settlement: 'prepaid' },
    ])

    const again = await cli(NOW, 'usage', 'ingest', usageFile, '--json')
    expect(again.code).toBe(0)
    expect(json(again.stdout)).toMatchObject({
      accepted: 0,
      duplicates: 4,
      batchId: null,
      charges: [],
      rejected: report.rejected,
    })
    const atomic = await cli(NOW, 'usage', 'ingest', usageFile, '--atomic', '--json')
    expect(atomic.code).toBe(4)
    expect(json(atomic.stdout)).toMatchObject({
      error: { code: 'USAGE_BATCH_REJECTED' },
      rejected: [{ index: 2 }, { index: 4 }],
    })
    const s = await world.at(NOW)
    expect((await s.wallets.balances(studio.owner, MILL))[0]?.balanceMinor).toBe(950)
    await world.release()
  }, 60_000)

  it('refuses a malformed period', async () => {
    const bad = await cli(CLOSE, 'billing', 'close', '--period', '2026-13', '--json')
    expect(bad.code).toBe(4)
    expect(json(bad.stdout).error.code).toBe('BILLING_PERIOD_INVALID')
  }, 60_000)

  it('closes a period into document files that verify offline, and detects tampering', async () => {
    const closed = await cli(CLOSE, 'billing', 'close', '--period', '2026-10', '--json')
    expect(closed.stderr).toBe('')
    expect(closed.code).toBe(0)
    const out = json(closed.stdout)
    expect(Object.keys(out).sort()).toEqual(['invoices', 'period', 'statements'])
    expect(out.period).toBe('2026-10')
    expect(out.invoices).toHaveLength(1)
    const [entry] = out.invoices
    expect(Object.keys(entry).sort()).toEqual(['currency', 'file', 'id', 'licensee', 'totalMinor'])
    expect(entry).toMatchObject({ licensee: MILL, currency: 'EUR', totalMinor: 50 })
    expect(out.statements.length).toBeGreaterThan(0)
    for (const s of out.statements) {
      expect(Object.keys(s).sort()).toEqual(['currency', 'file', 'id', 'party', 'totalMinor'])
    }
    for (const d of [...out.invoices, ...out.statements]) {
      const doc = JSON.parse(await readFile(d.file, 'utf8'))
      expect(doc.id).toBe(d.id)
      expect(doc.totalMinor).toBe(d.totalMinor)
      expect(
        doc.lines.reduce((sum: number, l: { amountMinor: number }) => sum + l.amountMinor, 0),
      ).toBe(doc.totalMinor)
      // Pinned to the studio's own log key, read before the CLI ever ran.
      expect(verifyBillingDocument(doc, { vkey }).ok).toBe(true)
      await access(d.file.replace(/\.json$/, '.csv'))
      await access(d.file.replace(/\.json$/, '.html'))
    }
    // Statements share out exactly what the invoice charged.
    expect(
      out.statements.reduce((s: number, d: { totalMinor: number }) => s + d.totalMinor, 0),
    ).toBeLessThanOrEqual(50)

    const verified = await cli(CLOSE, 'billing', 'verify', entry.file, '--json')
    expect(verified.code).toBe(0)
    expect(json(verified.stdout)).toMatchObject({
      ok: true,
      kind: 'invoice',
      id: entry.id,
      totalMinor: 50,
      failures: [],
    })
    const invoice = JSON.parse(await readFile(entry.file, 'utf8'))
    const tamperedFile = join(world.dir, 'tampered.json')
    const tampered = structuredClone(invoice)
    tampered.lines[0].amountMinor += 1
    tampered.totalMinor += 1
    await writeFile(tamperedFile, JSON.stringify(tampered))
    const refused = await cli(CLOSE, 'billing', 'verify', tamperedFile, '--json')
    expect(refused.code).toBe(8)
    expect(json(refused.stdout)).toMatchObject({ ok: false })
    expect(json(refused.stdout).failures.length).toBeGreaterThan(0)

    const twice = await cli(CLOSE, 'billing', 'close', '--period', '2026-10', '--json')
    expect(twice.code).toBe(4)
    expect(json(twice.stdout).error.code).toBe('BILLING_PERIOD_CLOSED')
  }, 60_000)

  it('writes a receipt beside each document, and verify --receipt binds the file to the log', async () => {
    const listed = await cli(CLOSE, 'billing', 'documents', '--period', '2026-10', '--json')
    expect(listed.code).toBe(0)
    const items: { id: string; kind: string }[] = json(listed.stdout).items
    const dir = join(world.dir, 'billing', '2026-10')
    for (const d of items) {
      const doc = JSON.parse(await readFile(join(dir, `${d.id}.json`), 'utf8'))
      const receipt = JSON.parse(await readFile(join(dir, `${d.id}.receipt.json`), 'utf8'))
      expect(receipt).toMatchObject({ format: 'selvedge.billing-receipt/v1', document: d.id })
      expect(verifyBillingReceipt(doc, receipt, { vkey }).ok).toBe(true)
    }
    const invoice = items.find((d) => d.kind === 'invoice') as { id: string }
    const statement = items.find((d) => d.kind === 'statement') as { id: string }
    const file = join(dir, `${invoice.id}.json`)
    const receiptFile = join(dir, `${invoice.id}.receipt.json`)

    const ok = await cli(CLOSE, 'billing', 'verify', file, '--receipt', receiptFile, '--vkey', vkey)
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^OK: invoice/)
    expect(ok.stdout).toContain('RECEIPT OK')
    const okJson = await cli(CLOSE, 'billing', 'verify', file, '--receipt', receiptFile, '--json')
    expect(json(okJson.stdout)).toMatchObject({ ok: true, receipt: { ok: true, failures: [] } })

    // Another document's receipt, and the receipt fetched again by id.
    const theirs = join(dir, `${statement.id}.receipt.json`)
    const wrong = await cli(CLOSE, 'billing', 'verify', file, '--receipt', theirs, '--json')
    expect(wrong.code).toBe(8)
    // The document itself checks out; the verdict does not, because the receipt fails.
    expect(json(wrong.stdout)).toMatchObject({ ok: false, failures: [], receipt: { ok: false } })
    const fetched = join(world.dir, 'fetched.receipt.json')
    const got = await cli(CLOSE, 'billing', 'receipt', invoice.id, '--out', fetched, '--json')
    expect(got.code).toBe(0)
    expect(json(got.stdout)).toMatchObject({ document: invoice.id, file: fetched })
    const again = await cli(CLOSE, 'billing', 'verify', file, '--receipt', fetched, '--vkey', vkey)
    expect(again.code).toBe(0)
    const printed = await cli(CLOSE, 'billing', 'receipt', invoice.id, '--json')
    expect(json(printed.stdout)).toMatchObject({
      document: invoice.id,
      logEntry: expect.any(String),
    })
    const missing = await cli(CLOSE, 'billing', 'receipt', 'inv_nope', '--json')
    expect(missing.code).toBe(3)
    expect(json(missing.stdout).error.code).toBe('BILLING_DOCUMENT_NOT_FOUND')

    // An edit the document checks cannot see (its totals still add up) fails the receipt.
    const doc = JSON.parse(await readFile(file, 'utf8'))
    const editedFile = join(world.dir, 'edited.json')
    await writeFile(editedFile, JSON.stringify({ ...doc, party: 'https://someone-else.example/' }))
    const plain = await cli(CLOSE, 'billing', 'verify', editedFile, '--vkey', vkey)
    expect(plain.code).toBe(0)
    const bound = await cli(CLOSE, 'billing', 'verify', editedFile, '--receipt', receiptFile)
    expect(bound.code).toBe(8)
    expect(bound.stdout).toContain('RECEIPT FAILED')
  }, 60_000)
})
