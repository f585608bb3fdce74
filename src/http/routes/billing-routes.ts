import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { looksLikeGrantToken } from '../../app/licence/index.js'
import {
  BillingError,
  parseStoredDocument,
  renderBillingPdf,
  type UsageAccess,
} from '../../app/metering/index.js'
import type { BillingDocumentRecord, PaymentRecord, PricePlanRecord } from '../../app/ports.js'
import type { Selvedge } from '../../compose.js'
import { renderCsv, renderHtml } from '../../core/billing/index.js'
import { bearerSecret, callerOf } from '../auth.js'
import { HttpError } from '../errors.js'
import { errorResponses } from '../schemas.js'

// A batch of 10,000 events of a few hundred bytes each.
const USAGE_BODY_LIMIT = 32 * 1024 * 1024

const anyObject = { type: 'object', additionalProperties: true } as const

// `?vkey=` pins the log key a verification trusts.
const vkeyQuery = {
  type: 'object',
  properties: { vkey: { type: 'string' } },
  additionalProperties: false,
} as const

const usageReportSchema = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
    batchId: { type: ['string', 'null'] },
    logIndex: { type: ['integer', 'null'] },
    quotes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          grantId: { type: 'string' },
          amountMinor: { type: 'integer' },
          currency: { type: 'string' },
        },
      },
    },
    charges: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          grantId: { type: 'string' },
          kind: { type: 'string' },
          amountMinor: { type: 'integer' },
          currency: { type: 'string' },
          settlement: { type: 'string' },
        },
      },
    },
  },
} as const

// Usage refusals carry the rejected events (and, for 402, the quote) beside `error`; the shared
// `Error` schema would strip them from the response.
const usageErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
    rejected: usageReportSchema.properties.rejected,
    quote: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          grantId: { type: 'string' },
          amountMinor: { type: 'integer' },
          currency: { type: 'string' },
        },
      },
    },
  },
} as const

const paymentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    party: { type: 'string' },
    currency: { type: 'string' },
    amountMinor: { type: 'integer' },
    provider: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'confirmed'] },
    createdAt: { type: 'string' },
    confirmedAt: { type: ['string', 'null'] },
  },
} as const

const priceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    assetId: { type: ['string', 'null'] },
    kind: { type: 'string' },
    model: anyObject,
    createdAt: { type: 'string' },
  },
} as const

const documentSummary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    party: { type: 'string' },
    licensee: { type: 'string' },
    totalMinor: { type: 'integer' },
    currency: { type: 'string' },
    url: { type: 'string' },
  },
} as const

/** A CloudEvents body as received: JSON text, parsed by the usage service. */
class CloudEventsText {
  constructor(readonly text: string) {}
}

/** True for `POST /v1/usage` presented with a grant token instead of an API key. */
export function isUsageGrantAuthenticated(req: FastifyRequest): boolean {
  if (req.method !== 'POST' || !/^\/v1\/usage(?:\?|$)/.test(req.url)) return false
  const bearer = bearerSecret(req)
  return bearer !== undefined && looksLikeGrantToken(bearer)
}

/**
 * Metering and billing: `POST /v1/usage` (CloudEvents, one or a batch), wallets and top-ups,
 * price plans, closing periods and reading invoices and statements.
 */
export function registerBillingRoutes(app: FastifyInstance, selvedge: Selvedge): void {
  const { usage, wallets, billing, grants } = selvedge
  // CloudEvents bodies stay text: the usage service parses large batches on its worker thread.
  app.addContentTypeParser(
    ['application/cloudevents+json', 'application/cloudevents-batch+json'],
    { parseAs: 'string', bodyLimit: USAGE_BODY_LIMIT },
    (_req, body, done) => done(null, new CloudEventsText(body.toString())),
  )

  app.post(
    '/v1/usage',
    {
      bodyLimit: USAGE_BODY_LIMIT,
      schema: {
        summary: 'Report usage: one CloudEvent or a batch (idempotent on source and id)',
        description:
          'Body: one CloudEvents 1.0 structured event (`application/cloudevents+json` or `application/json`) or an array (`application/cloudevents-batch+json`), at most 10,000. `type` is `dev.selvedge.usage.units|variants|downloads|generations`, `subject` the grant id, `data.units` the count. Authenticate with the licensee’s key or the grant token. `?atomic=true` accepts all or nothing (422 `USAGE_BATCH_REJECTED` with `rejected`, or 402 `USAGE_PAYMENT_REQUIRED` with `quote`). Otherwise 200 with the report; re-sent events count as duplicates and change nothing. A single event that is rejected answers with its own code.',
        tags: ['metering'],
        querystring: {
          type: 'object',
          properties: { atomic: { type: 'boolean' } },
          additionalProperties: false,
        },
        response: {
          200: usageReportSchema,
          ...errorResponses(401, 403, 413),
          400: usageErrorSchema,
          402: usageErrorSchema,
          422: usageErrorSchema,
        },
      },
    },
    async (req) => {
      let access: UsageAccess
      if (req.caller === null) {
        const claims = await grants.verify(bearerSecret(req) as string)
        access = { grant: { studioId: claims.studioId, grantId: claims.jti } }
      } else {
        access = { caller: callerOf(req) }
      }
      const atomic = (req.query as { atomic?: boolean }).atomic === true
      if (!(req.body instanceof CloudEventsText)) return usage.ingest(access, req.body, { atomic })
      try {
        return await usage.ingestJson(access, req.body.text, { atomic })
      } catch (error) {
        // Answered as every other route answers a body that is not JSON.
        if (error instanceof BillingError && error.code === 'USAGE_BODY_INVALID') {
          throw new HttpError('REQUEST_INVALID', 'the body is not valid JSON')
        }
        throw error
      }
    },
  )

  app.get(
    '/v1/wallet',
    {
      schema: {
        summary: 'Wallet balances (your own; owners and auditors may name a party)',
        tags: ['metering'],
        querystring: {
          type: 'object',
          properties: { party: { type: 'string' } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              balances: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    party: { type: 'string' },
                    currency: { type: 'string' },
                    balanceMinor: { type: 'integer' },
                  },
                },
              },
            },
          },
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => ({
      balances: await wallets.balances(callerOf(req), (req.query as { party?: string }).party),
    }),
  )

  app.post(
    '/v1/wallet/top-ups',
    {
      schema: {
        summary: 'Ask for a wallet top-up (manual provider: an owner confirms the payment)',
        tags: ['metering'],
        body: {
          type: 'object',
          required: ['currency', 'amountMinor'],
          additionalProperties: false,
          properties: {
            party: { type: 'string' },
            currency: { type: 'string' },
            amountMinor: { type: 'integer' },
            confirm: { type: 'boolean' },
          },
        },
        response: { 201: paymentSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const body = req.body as {
        party?: string
        currency: string
        amountMinor: number
        confirm?: boolean
      }
      const payment = await wallets.requestTopUp(callerOf(req), body)
      return reply.status(201).send(paymentView(payment))
    },
  )

  app.get(
    '/v1/wallet/top-ups',
    {
      schema: {
        summary: 'Top-ups (your own; owners and auditors see all)',
        tags: ['metering'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: paymentSchema } } },
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => ({ items: (await wallets.payments(callerOf(req))).map(paymentView) }),
  )

  app.post(
    '/v1/wallet/top-ups/:id/confirm',
    {
      schema: {
        summary: 'Confirm that a top-up was paid (owners): the wallet is credited',
        tags: ['metering'],
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: paymentSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) =>
      paymentView(await wallets.confirm(callerOf(req), (req.params as { id: string }).id)),
  )

  app.post(
    '/v1/prices',
    {
      schema: {
        summary: 'Set the price of a kind of usage, for one asset or the whole studio (owners)',
        description:
          '`model.kind` is perUnit, graduated, volume, package, flat, threshold or minimum; prices are decimal strings of the currency. A licence’s own threshold rule (unitPrice above unitCap) takes precedence for `units`.',
        tags: ['metering'],
        body: {
          type: 'object',
          required: ['kind', 'model'],
          additionalProperties: false,
          properties: { assetId: { type: 'string' }, kind: { type: 'string' }, model: anyObject },
        },
        response: { 201: priceSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const body = req.body as { assetId?: string; kind: string; model: unknown }
      return reply.status(201).send(priceView(await billing.setPrice(callerOf(req), body)))
    },
  )

  app.get(
    '/v1/prices',
    {
      schema: {
        summary: 'The studio’s price plans, oldest first',
        tags: ['metering'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: priceSchema } } },
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => ({ items: (await billing.prices(callerOf(req))).map(priceView) }),
  )

  app.post(
    '/v1/billing/periods/:period/close',
    {
      schema: {
        summary: 'Close a billing period: invoices per licensee, royalty statements per payee',
        description:
          'A period (`YYYY-MM`, UTC) closes once it has ended, exactly once (409 `BILLING_PERIOD_CLOSED` after). Each document is JSON with lines, control totals and the log inclusion proofs of the usage batches it counts; fetch it as json, csv, html or pdf.',
        tags: ['metering'],
        params: {
          type: 'object',
          properties: { period: { type: 'string' } },
          required: ['period'],
        },
        response: {
          201: {
            type: 'object',
            properties: {
              period: { type: 'string' },
              invoices: { type: 'array', items: documentSummary },
              statements: { type: 'array', items: documentSummary },
            },
          },
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (req, reply) => {
      const closed = await billing.close(callerOf(req), (req.params as { period: string }).period)
      return reply.status(201).send({
        period: closed.period,
        invoices: closed.invoices.map((d) => ({ ...summaryOf(d), licensee: d.party })),
        statements: closed.statements.map(summaryOf),
      })
    },
  )

  app.get(
    '/v1/billing/periods',
    {
      schema: {
        summary: 'The closed billing periods',
        tags: ['metering'],
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: { type: 'string' } } },
          },
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => ({ items: await billing.periods(callerOf(req)) }),
  )

  app.get(
    '/v1/billing/periods/:period/documents',
    {
      schema: {
        summary: 'The invoices and statements of a closed period',
        tags: ['metering'],
        params: {
          type: 'object',
          properties: { period: { type: 'string' } },
          required: ['period'],
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: documentSummary } } },
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => ({
      items: (
        await billing.documents(callerOf(req), (req.params as { period: string }).period)
      ).map(summaryOf),
    }),
  )

  app.get(
    '/v1/billing/documents/:id',
    {
      schema: {
        summary:
          'An invoice or royalty statement as JSON (the verifiable record), CSV, HTML or PDF',
        tags: ['metering'],
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        querystring: {
          type: 'object',
          properties: { format: { type: 'string', enum: ['json', 'csv', 'html', 'pdf'] } },
          additionalProperties: false,
        },
        response: errorResponses(401, 403, 404, 406),
      },
    },
    async (req, reply) => {
      const record = await billing.document(callerOf(req), (req.params as { id: string }).id)
      const format = (req.query as { format?: string }).format ?? 'json'
      return sendDocument(reply, record, format)
    },
  )

  app.get(
    '/v1/billing/documents/:id/receipt',
    {
      schema: {
        summary:
          'The receipt of an invoice or statement: its issued log entry with a tlog-proof, binding the document to the log',
        tags: ['metering'],
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: anyObject, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => billing.receipt(callerOf(req), (req.params as { id: string }).id),
  )

  app.post(
    '/v1/billing/verify',
    {
      schema: {
        summary: 'Verify an invoice or statement JSON: totals, amounts and log proofs',
        tags: ['metering'],
        body: anyObject,
        querystring: vkeyQuery,
        response: { 200: anyObject, ...errorResponses(400, 401) },
      },
    },
    async (req) => billing.verify(req.body, (req.query as { vkey?: string }).vkey),
  )

  app.post(
    '/v1/billing/receipts/verify',
    {
      schema: {
        summary:
          'Verify a document with its receipt: its own checks, and that it is the one issued',
        description:
          'Body: `{"document": <invoice or statement JSON>, "receipt": <its receipt>}`. Answers what `POST /v1/billing/verify` answers, with `receipt` (the receipt check) beside it; `ok` only when both pass.',
        tags: ['metering'],
        body: {
          type: 'object',
          properties: { document: anyObject, receipt: anyObject },
          required: ['document', 'receipt'],
          additionalProperties: false,
        },
        querystring: vkeyQuery,
        response: { 200: anyObject, ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const body = req.body as { document: unknown; receipt: unknown }
      return billing.verifyIssued(
        body.document,
        body.receipt,
        (req.query as { vkey?: string }).vkey,
      )
    },
  )
}

async function sendDocument(
  reply: FastifyReply,
  record: BillingDocumentRecord,
  format: string,
): Promise<FastifyReply> {
  const doc = parseStoredDocument(record)
  switch (format) {
    case 'json':
      return reply.type('application/json').send(record.document)
    case 'csv':
      return reply.type('text/csv; charset=utf-8').send(renderCsv(doc))
    case 'html':
      return reply.type('text/html; charset=utf-8').send(renderHtml(doc))
    case 'pdf':
      return reply.type('application/pdf').send(Buffer.from(await renderBillingPdf(doc)))
    default:
      throw new BillingError('BILLING_DOCUMENT_NOT_FOUND', `no ${format} rendering`)
  }
}

function summaryOf(d: {
  id: string
  kind: string
  party: string
  totalMinor: number
  currency: string
}) {
  return {
    id: d.id,
    kind: d.kind,
    party: d.party,
    totalMinor: d.totalMinor,
    currency: d.currency,
    url: `/v1/billing/documents/${d.id}`,
  }
}

function paymentView(p: PaymentRecord) {
  return {
    id: p.id,
    party: p.party,
    currency: p.currency,
    amountMinor: p.amountMinor,
    provider: p.provider,
    status: p.status,
    createdAt: p.createdAt,
    confirmedAt: p.confirmedAt,
  }
}

function priceView(p: PricePlanRecord) {
  return { id: p.id, assetId: p.assetId, kind: p.kind, model: p.model, createdAt: p.createdAt }
}
