import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyBillingDocument, verifyBillingReceipt } from '../../src/core/billing/index.js'
import { createApi } from '../../src/http/server.js'
import { DIALECTS, makeStudio, type Studio, usageEvent, World } from './world.js'

const MILL = 'https://mill.example/'
const OTHER = 'https://other-mill.example/'
const T0 = '2026-10-01T09:00:00.000Z'
const T1 = '2026-10-15T12:00:00.000Z'
const CLOSE = '2026-11-02T08:00:00.000Z'
const CE = 'application/cloudevents+json'
const CE_BATCH = 'application/cloudevents-batch+json'

// 10 variants at 0.50 EUR, every later one at 0.10 EUR, per period.
const GRADUATED = {
  kind: 'graduated',
  currency: 'EUR',
  tiers: [
    { upTo: 10, unitPrice: '0.50' },
    { upTo: null, unitPrice: '0.10' },
  ],
}

describe.each(DIALECTS)('metering HTTP API on %s', (dialect) => {
  let world: World
  let studio: Studio
  let app: FastifyInstance
  let millKey: string
  let otherKey: string
  let grantId: string
  let grantToken: string
  let otherGrantId: string
  const errorBodies: { status: number; body: unknown }[] = []

  // Every response with an error status is kept, to check the one error shape at the end.
  async function call(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await app.inject(opts)
    if (res.statusCode >= 400) errorBodies.push({ status: res.statusCode, body: res.json() })
    return res
  }
  const auth = (key: string) => ({ authorization: `Bearer ${key}` })
  const postUsage = (key: string, body: unknown, contentType: string, query = '') =>
    call({
      method: 'POST',
      url: `/v1/usage${query}`,
      headers: { ...auth(key), 'content-type': contentType },
      payload: JSON.stringify(body),
    })

  async function appAt(now: string): Promise<void> {
    await app?.close()
    app = await createApi(await world.at(now))
  }

  beforeAll(async () => {
    world = await World.create(dialect)
    const s = await world.at(T0)
    studio = await makeStudio(s)
    millKey = (await s.keys.create(studio.owner, { role: 'licensee', party: MILL })).key
    otherKey = (await s.keys.create(studio.owner, { role: 'licensee', party: OTHER })).key
    await s.licences.attach(studio.owner, studio.childId, {
      kind: 'template',
      template: 'extended',
      params: { unitCap: '1000', unitPrice: '0.02', settlement: 'prepaid' },
    })
    const request = { action: 'reproduce', purpose: 'slv:commercialPrint', units: 500 }
    const mine = await s.licences.createAgreement(
      await s.keys.authenticate(millKey),
      studio.childId,
      request,
    )
    const theirs = await s.licences.createAgreement(
      await s.keys.authenticate(otherKey),
      studio.childId,
      request,
    )
    if (mine.kind !== 'agreed' || theirs.kind !== 'agreed') throw new Error('not agreed')
    grantId = mine.grantId
    grantToken = mine.grant
    otherGrantId = theirs.grantId
    app = await createApi(await world.at(T1))
  }, 60_000)
  afterAll(async () => {
    await app?.close()
    await world.dispose()
  })

  it('tops up a wallet: requested by the licensee, confirmed by the owner, once', async () => {
    const requested = await call({
      method: 'POST',
      url: '/v1/wallet/top-ups',
      headers: auth(millKey),
      payload: { currency: 'EUR', amountMinor: 1000 },
    })
    expect(requested.statusCode).toBe(201)
    const payment = requested.json()
    expect(payment).toMatchObject({ party: MILL, amountMinor: 1000, status: 'pending' })
    // Nothing is credited until the money is confirmed, and only an owner confirms.
    const before = await call({ url: '/v1/wallet', headers: auth(millKey) })
    expect(before.json().balances).toEqual([])
    const byLicensee = await call({
      method: 'POST',
      url: `/v1/wallet/top-ups/${payment.id}/confirm`,
      headers: auth(millKey),
    })
    expect(byLicensee.statusCode).toBe(403)
    const confirmed = await call({
      method: 'POST',
      url: `/v1/wallet/top-ups/${payment.id}/confirm`,
      headers: auth(studio.ownerKey),
    })
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.json()).toMatchObject({ id: payment.id, status: 'confirmed' })
    const again = await call({
      method: 'POST',
      url: `/v1/wallet/top-ups/${payment.id}/confirm`,
      headers: auth(studio.ownerKey),
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('PAYMENT_NOT_PENDING')
    const unknown = await call({
      method: 'POST',
      url: '/v1/wallet/top-ups/pay_nope/confirm',
      headers: auth(studio.ownerKey),
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('PAYMENT_NOT_FOUND')
    const bad = await call({
      method: 'POST',
      url: '/v1/wallet/top-ups',
      headers: auth(millKey),
      payload: { currency: 'EURO', amountMinor: 5 },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('PAYMENT_INVALID')
    const wallet = await call({ url: '/v1/wallet', headers: auth(millKey) })
    expect(wallet.json()).toEqual({
      balances: [{ party: MILL, currency: 'EUR', balanceMinor: 1000 }],
    })
    const list = await call({ url: '/v1/wallet/top-ups', headers: auth(millKey) })
    expect(list.json().items.map((p: { id: string }) => p.id)).toEqual([payment.id])
  })

  it('accepts one CloudEvent, a batch and plain JSON, by key and by grant token', async () => {
    const single = await postUsage(
      millKey,
      usageEvent(grantId, 600, '2026-10-05T10:00:00Z', { id: 'http-1' }),
      CE,
    )
    expect(single.statusCode).toBe(200)
    expect(single.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [], charges: [] })
    const batch = [
      usageEvent(grantId, 300, '2026-10-06T10:00:00Z', { id: 'http-2' }),
      usageEvent(grantId, 300, '2026-10-06T11:00:00Z', { id: 'http-3' }),
    ]
    const batched = await postUsage(millKey, batch, CE_BATCH)
    expect(batched.statusCode).toBe(200)
    // 1,200 cumulative units, 1,000 free: 200 × 0.02 EUR, debited from the wallet at once.
    expect(batched.json()).toMatchObject({
      accepted: 2,
      duplicates: 0,
      batchId: expect.any(String),
      charges: [{ grantId, kind: 'units', amountMinor: 400, currency: 'EUR' }],
    })
    const byGrant = await postUsage(
      grantToken,
      usageEvent(grantId, 5, '2026-10-07T10:00:00Z', { id: 'http-4' }),
      'application/json',
    )
    expect(byGrant.statusCode).toBe(200)
    expect(byGrant.json()).toMatchObject({ accepted: 1, charges: [{ amountMinor: 10 }] })
    // Re-sending changes nothing.
    const resent = await postUsage(millKey, batch, CE_BATCH)
    expect(resent.json()).toMatchObject({ accepted: 0, duplicates: 2, batchId: null, charges: [] })
    const wallet = await call({ url: '/v1/wallet', headers: auth(millKey) })
    expect(wallet.json().balances[0].balanceMinor).toBe(1000 - 400 - 10)
  })

  it("rejects usage reported on someone else's grant", async () => {
    const event = usageEvent(grantId, 1, '2026-10-07T10:00:00Z', { id: 'theft-1' })
    const single = await postUsage(otherKey, event, CE)
    expect(single.statusCode).toBe(422)
    expect(single.json().error.code).toBe('USAGE_GRANT_UNKNOWN')
    const batch = await postUsage(
      otherKey,
      [event, usageEvent(grantId, 2, '2026-10-07T10:00:00Z', { id: 'theft-2' })],
      CE_BATCH,
    )
    expect(batch.statusCode).toBe(200)
    expect(batch.json()).toMatchObject({ accepted: 0, duplicates: 0, batchId: null })
    expect(batch.json().rejected.map((r: { code: string }) => r.code)).toEqual([
      'USAGE_GRANT_UNKNOWN',
      'USAGE_GRANT_UNKNOWN',
    ])
    // A grant token reports usage under its own grant only.
    const viaToken = await postUsage(
      grantToken,
      usageEvent(otherGrantId, 1, '2026-10-07T10:00:00Z', { id: 'theft-3' }),
      CE,
    )
    expect(viaToken.statusCode).toBe(422)
    expect(viaToken.json().error.code).toBe('USAGE_GRANT_UNKNOWN')
    // Without any credential, nothing is read.
    const anonymous = await call({
      method: 'POST',
      url: '/v1/usage',
      headers: { 'content-type': CE },
      payload: JSON.stringify(event),
    })
    expect(anonymous.statusCode).toBe(401)
  })

  it('answers an atomic batch with a bad event with 422 and writes nothing', async () => {
    const good = usageEvent(grantId, 3, '2026-10-08T10:00:00Z', { id: 'atomic-1' })
    const res = await postUsage(
      millKey,
      [good, usageEvent(grantId, -3, '2026-10-08T10:00:00Z', { id: 'atomic-2' })],
      CE_BATCH,
      '?atomic=true',
    )
    expect(res.statusCode).toBe(422)
    const body = res.json()
    expect(body.error.code).toBe('USAGE_BATCH_REJECTED')
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 1, code: 'USAGE_UNITS_INVALID' }),
    ])
    const alone = await postUsage(millKey, good, CE)
    expect(alone.json()).toMatchObject({ accepted: 1, duplicates: 0 })
  })

  it('answers a single bad event, a bad body and an empty batch with their own codes', async () => {
    const cases: [unknown, number, string][] = [
      [usageEvent(grantId, 1.5, '2026-10-08T10:00:00Z'), 400, 'USAGE_UNITS_INVALID'],
      [
        usageEvent(grantId, 1, '2026-10-08T10:00:00Z', { kind: 'teleports' }),
        400,
        'USAGE_TYPE_UNKNOWN',
      ],
      [usageEvent(grantId, 1, '2026-09-20T10:00:00Z'), 422, 'USAGE_TIME_OUTSIDE_GRANT'],
      [usageEvent(grantId, 1, '2026-10-20T10:00:00Z'), 422, 'USAGE_TIME_IN_FUTURE'],
      [usageEvent('00000000000000aa', 1, '2026-10-08T10:00:00Z'), 422, 'USAGE_GRANT_UNKNOWN'],
      [{ specversion: '1.0' }, 400, 'USAGE_EVENT_INVALID'],
      [[], 400, 'USAGE_BATCH_EMPTY'],
      // A batch of one is a single event too: it answers with that event's code.
      [[{ specversion: '1.0' }], 400, 'USAGE_EVENT_INVALID'],
    ]
    for (const [body, status, code] of cases) {
      const res = await postUsage(millKey, body, Array.isArray(body) ? CE_BATCH : CE)
      expect([res.statusCode, res.json().error?.code], JSON.stringify(body)).toEqual([status, code])
    }
    const notJson = await call({
      method: 'POST',
      url: '/v1/usage',
      headers: { ...auth(millKey), 'content-type': CE },
      payload: '{"specversion":',
    })
    expect(notJson.statusCode).toBe(400)
    expect(notJson.json().error.code).toBe('REQUEST_INVALID')
  })

  it('refuses usage the wallet cannot cover with 402, quoting the fee', async () => {
    // The other mill has no wallet: 1,001 units raise a prepaid fee of 1 × 0.02 EUR.
    const event = usageEvent(otherGrantId, 1001, '2026-10-09T10:00:00Z', { id: 'broke-1' })
    const atomic = await postUsage(otherKey, [event], CE_BATCH, '?atomic=true')
    expect(atomic.statusCode).toBe(402)
    expect(atomic.json()).toMatchObject({
      error: { code: 'USAGE_PAYMENT_REQUIRED' },
      quote: [{ grantId: otherGrantId, amountMinor: 2, currency: 'EUR' }],
    })
    const single = await postUsage(otherKey, event, CE)
    expect(single.statusCode).toBe(402)
    expect(single.json().error.code).toBe('USAGE_PAYMENT_REQUIRED')
    const wallet = await call({ url: '/v1/wallet', headers: auth(otherKey) })
    expect(wallet.json().balances).toEqual([])
  })

  it('sets a price plan and bills postpaid usage by it', async () => {
    const byLicensee = await call({
      method: 'POST',
      url: '/v1/prices',
      headers: auth(millKey),
      payload: { assetId: studio.childId, kind: 'variants', model: GRADUATED },
    })
    expect(byLicensee.statusCode).toBe(403)
    const invalid = await call({
      method: 'POST',
      url: '/v1/prices',
      headers: auth(studio.ownerKey),
      payload: { kind: 'variants', model: { kind: 'graduated', currency: 'EUR', tiers: [] } },
    })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().error.code).toBe('PRICE_MODEL_INVALID')
    const set = await call({
      method: 'POST',
      url: '/v1/prices',
      headers: auth(studio.ownerKey),
      payload: { assetId: studio.childId, kind: 'variants', model: GRADUATED },
    })
    expect(set.statusCode).toBe(201)
    expect(set.json()).toMatchObject({ assetId: studio.childId, kind: 'variants' })
    const listed = await call({ url: '/v1/prices', headers: auth(studio.ownerKey) })
    expect(listed.json().items.map((p: { id: string }) => p.id)).toContain(set.json().id)
    const used = await postUsage(
      millKey,
      [
        usageEvent(grantId, 15, '2026-10-10T10:00:00Z', { id: 'var-1', kind: 'variants' }),
        usageEvent(grantId, 10, '2026-10-11T10:00:00Z', { id: 'var-2', kind: 'variants' }),
      ],
      CE_BATCH,
    )
    // Postpaid: counted now, invoiced at the close.
    expect(used.json()).toMatchObject({ accepted: 2, charges: [] })
  })

  it('closes a period once, and serves its documents as JSON, CSV and HTML', async () => {
    const early = await call({
      method: 'POST',
      url: '/v1/billing/periods/2026-10/close',
      headers: auth(studio.ownerKey),
    })
    expect(early.statusCode).toBe(409)
    expect(early.json().error.code).toBe('BILLING_PERIOD_OPEN')
    await appAt(CLOSE)
    const invalid = await call({
      method: 'POST',
      url: '/v1/billing/periods/2026-13/close',
      headers: auth(studio.ownerKey),
    })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().error.code).toBe('BILLING_PERIOD_INVALID')
    const byLicensee = await call({
      method: 'POST',
      url: '/v1/billing/periods/2026-10/close',
      headers: auth(millKey),
    })
    expect(byLicensee.statusCode).toBe(403)
    const closed = await call({
      method: 'POST',
      url: '/v1/billing/periods/2026-10/close',
      headers: auth(studio.ownerKey),
    })
    expect(closed.statusCode).toBe(201)
    const summary = closed.json()
    expect(summary.period).toBe('2026-10')
    const again = await call({
      method: 'POST',
      url: '/v1/billing/periods/2026-10/close',
      headers: auth(studio.ownerKey),
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('BILLING_PERIOD_CLOSED')
    const periods = await call({ url: '/v1/billing/periods', headers: auth(studio.ownerKey) })
    expect(periods.json().items).toEqual(['2026-10'])

    const mine = summary.invoices.find((d: { licensee: string }) => d.licensee === MILL)
    expect(mine).toBeDefined()
    const json = await call({ url: mine.url, headers: auth(millKey) })
    expect(json.statusCode).toBe(200)
    const invoice = json.json()
    expect(invoice.totalMinor).toBe(mine.totalMinor)
    expect(invoice.totalMinor).toBe(
      invoice.lines.reduce((s: number, l: { amountMinor: number }) => s + l.amountMinor, 0),
    )
    const variants = invoice.lines.filter((l: { kind: string }) => l.kind === 'variants')
    // 10 × 0.50 + 15 × 0.10 = 6.50 EUR.
    expect(variants).toEqual([
      expect.objectContaining({ basis: 'period', units: 25, events: 2, amountMinor: 650 }),
    ])
    const prepaid = invoice.lines
      .filter((l: { basis: string }) => l.basis === 'prepaid')
      .reduce((s: number, l: { amountMinor: number }) => s + l.amountMinor, 0)
    // 200 units over the free 1,000, then 5 (by grant token) and 3 (atomic-1) at 0.02 EUR.
    expect(prepaid).toBe(400 + 10 + 6)
    expect(invoice.prepaidMinor).toBe(416)
    expect(invoice.dueMinor).toBe(650)
    const vkey = (
      await call({
        method: 'POST',
        url: '/v1/billing/verify',
        headers: auth(studio.ownerKey),
        payload: invoice,
      })
    ).json()
    expect(vkey).toMatchObject({ ok: true, failures: [] })
    expect(verifyBillingDocument(invoice, { vkey: invoice.log.vkey }).ok).toBe(true)
    const tampered = structuredClone(invoice)
    tampered.lines[0].amountMinor += 1
    const refused = await call({
      method: 'POST',
      url: '/v1/billing/verify',
      headers: auth(studio.ownerKey),
      payload: tampered,
    })
    expect(refused.statusCode).toBe(200)
    expect(refused.json().ok).toBe(false)

    const csv = await call({ url: `${mine.url}?format=csv`, headers: auth(studio.ownerKey) })
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    expect(csv.body).toContain(mine.id)
    const html = await call({ url: `${mine.url}?format=html`, headers: auth(studio.ownerKey) })
    expect(html.statusCode).toBe(200)
    expect(html.headers['content-type']).toMatch(/^text\/html/)
    expect(html.body).toMatch(/<html/i)
    const pdf = await call({ url: `${mine.url}?format=docx`, headers: auth(studio.ownerKey) })
    expect(pdf.statusCode).toBe(400)
    // Another licensee cannot read this invoice; nobody finds a document that does not exist.
    const foreign = await call({ url: mine.url, headers: auth(otherKey) })
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json().error.code).toBe('BILLING_DOCUMENT_NOT_FOUND')
    // The receipt binds the invoice to its issued log entry; readable like the invoice.
    const receipt = await call({ url: `${mine.url}/receipt`, headers: auth(millKey) })
    expect(receipt.statusCode).toBe(200)
    expect(verifyBillingReceipt(invoice, receipt.json(), { vkey: invoice.log.vkey })).toMatchObject(
      {
        ok: true,
        document: invoice.id,
      },
    )
    expect(verifyBillingReceipt(tampered, receipt.json()).ok).toBe(false)
    // The same over HTTP: the document's checks and the receipt's, `ok` only if both pass.
    const bothOk = await call({
      method: 'POST',
      url: `/v1/billing/receipts/verify?vkey=${encodeURIComponent(invoice.log.vkey)}`,
      headers: auth(studio.ownerKey),
      payload: { document: invoice, receipt: receipt.json() },
    })
    expect(bothOk.statusCode).toBe(200)
    expect(bothOk.json()).toMatchObject({ ok: true, failures: [], receipt: { ok: true } })
    // An edit the document's own checks cannot see (its totals still add up).
    const renamed = { ...structuredClone(invoice), party: 'https://other.example/' }
    const boundFails = await call({
      method: 'POST',
      url: '/v1/billing/receipts/verify',
      headers: auth(studio.ownerKey),
      payload: { document: renamed, receipt: receipt.json() },
    })
    expect(boundFails.json()).toMatchObject({ ok: false, receipt: { ok: false } })
    const noReceipt = await call({
      method: 'POST',
      url: '/v1/billing/receipts/verify',
      headers: auth(studio.ownerKey),
      payload: { document: invoice },
    })
    expect([noReceipt.statusCode, noReceipt.json().error.code]).toEqual([400, 'REQUEST_INVALID'])
    const foreignReceipt = await call({ url: `${mine.url}/receipt`, headers: auth(otherKey) })
    expect(foreignReceipt.statusCode).toBe(404)
    expect(foreignReceipt.json().error.code).toBe('BILLING_DOCUMENT_NOT_FOUND')
    const missing = await call({
      url: '/v1/billing/documents/bdoc_nope',
      headers: auth(studio.ownerKey),
    })
    expect(missing.statusCode).toBe(404)
    const docs = await call({
      url: '/v1/billing/periods/2026-10/documents',
      headers: auth(studio.ownerKey),
    })
    expect(docs.json().items).toHaveLength(summary.invoices.length + summary.statements.length)
  })

  it('documents the usage refusals with their rejected events and quote', async () => {
    const doc = await call({ url: '/openapi.json' })
    expect(doc.statusCode).toBe(200)
    const responses = doc.json().paths['/v1/usage'].post.responses
    for (const status of ['400', '402', '422']) {
      const schema = responses[status].content['application/json'].schema
      expect(Object.keys(schema.properties)).toEqual(['error', 'rejected', 'quote'])
    }
  })

  it('answers every error with { error: { code, message } } and no cause', () => {
    expect(errorBodies.length).toBeGreaterThan(20)
    for (const { status, body } of errorBodies) {
      expect(body, `status ${status}`).toMatchObject({
        error: { code: expect.stringMatching(/^[A-Z][A-Z0-9_]+$/), message: expect.any(String) },
      })
      expect(JSON.stringify(body)).not.toMatch(/"cause"|"stack"/)
    }
  })
})
