import type { FastifyInstance } from 'fastify'
import type { KeyService } from '../../app/key-service.js'
import { callerOf } from '../auth.js'
import { errorResponses } from '../schemas.js'

const keySummary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    studioId: { type: 'string' },
    role: { type: 'string' },
    party: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'string' },
    revokedAt: { type: ['string', 'null'] },
  },
} as const

/** `/v1/keys`: owners create and revoke keys for members and outside parties. */
export function registerKeyRoutes(app: FastifyInstance, keys: KeyService): void {
  app.post(
    '/v1/keys',
    {
      schema: {
        summary: 'Create an API key (owner only); the secret is shown in this response only',
        tags: ['keys'],
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: {
            role: { type: 'string', enum: ['owner', 'designer', 'licensee', 'agent', 'auditor'] },
            party: {
              type: 'string',
              description: 'IRI naming the party; default urn:selvedge:party:<id>',
            },
            name: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              key: { type: 'string' },
              role: { type: 'string' },
              party: { type: 'string' },
              name: { type: 'string' },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { role: string; party?: string; name?: string }
      const created = await keys.create(callerOf(req), body)
      void reply.header('cache-control', 'no-store')
      return reply.status(201).send(created)
    },
  )

  app.get(
    '/v1/keys',
    {
      schema: {
        summary: 'List the studio’s keys (owner only; secrets are never shown again)',
        tags: ['keys'],
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: keySummary } } },
          ...errorResponses(401, 403),
        },
      },
    },
    async (req) => ({ items: await keys.list(callerOf(req)) }),
  )

  app.delete(
    '/v1/keys/:id',
    {
      schema: {
        summary: 'Revoke a key at once (owner only)',
        tags: ['keys'],
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        response: { 204: { type: 'null' }, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      await keys.revoke(callerOf(req), id)
      return reply.status(204).send()
    },
  )
}
