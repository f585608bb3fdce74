import type { FastifyInstance } from 'fastify'
import type { LedgerTransactionRecord } from '../../app/ports.js'
import type { Selvedge } from '../../compose.js'
import { callerOf } from '../auth.js'
import { errorResponses } from '../schemas.js'

const transactionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    period: { type: 'string' },
    kind: { type: 'string' },
    currency: { type: 'string' },
    createdAt: { type: 'string' },
    memo: { type: ['string', 'null'] },
    refs: { type: 'object', additionalProperties: { type: 'string' } },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        properties: { account: { type: 'string' }, amountMinor: { type: 'integer' } },
      },
    },
  },
} as const

const periodQuery = {
  type: 'object',
  properties: { period: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } },
  additionalProperties: false,
} as const

/** The ledger for owners and auditors: transactions, balances, credit notes. */
export function registerLedgerRoutes(app: FastifyInstance, selvedge: Selvedge): void {
  const { ledger } = selvedge

  app.get(
    '/v1/ledger/transactions',
    {
      schema: {
        summary: 'Ledger transactions, oldest first (entries: debits positive, each sums to 0)',
        tags: ['metering'],
        querystring: periodQuery,
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: transactionSchema } },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => ({
      items: (
        await ledger.transactions(callerOf(req), (req.query as { period?: string }).period)
      ).map(transactionView),
    }),
  )

  app.get(
    '/v1/ledger/balances',
    {
      schema: {
        summary: 'Every account’s sum of entries (debits positive), by currency',
        tags: ['metering'],
        querystring: periodQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    account: { type: 'string' },
                    currency: { type: 'string' },
                    sum: { type: 'integer' },
                  },
                },
              },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => ({
      items: await ledger.balances(callerOf(req), (req.query as { period?: string }).period),
    }),
  )

  app.post(
    '/v1/ledger/credit-notes',
    {
      schema: {
        summary: 'Issue a credit note reversing a charge (owners); booked in the first open period',
        tags: ['metering'],
        body: {
          type: 'object',
          required: ['transactionId'],
          additionalProperties: false,
          properties: { transactionId: { type: 'string' }, memo: { type: 'string' } },
        },
        response: { 201: transactionSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const body = req.body as { transactionId: string; memo?: string }
      const record = await ledger.creditNote(callerOf(req), body.transactionId, body.memo)
      return reply.status(201).send(transactionView(record))
    },
  )
}

function transactionView(r: LedgerTransactionRecord) {
  return {
    id: r.tx.id,
    period: r.period,
    kind: r.tx.kind,
    currency: r.tx.currency,
    createdAt: r.tx.createdAt,
    memo: r.tx.memo ?? null,
    refs: r.tx.refs ?? {},
    entries: r.tx.entries,
  }
}
