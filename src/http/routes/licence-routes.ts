import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  type AgreementOutcome,
  type ExportFormat,
  type LicenceInput,
  looksLikeGrantToken,
} from '../../app/licence/index.js'
import type { Selvedge } from '../../compose.js'
import { bearerSecret, callerOf } from '../auth.js'
import { HttpError } from '../errors.js'
import { parseJsonBody } from '../json-body.js'
import { errorResponses } from '../schemas.js'

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const

const studioQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    studio: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'default: the first studio',
    },
  },
} as const

const anyObject = { type: 'object', additionalProperties: true } as const

// The error body, with the problem list POLICY_INVALID and POLICY_REQUEST_INVALID carry.
const problemError = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        problems: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
} as const

const licenceView = {
  type: 'object',
  properties: {
    assetId: { type: 'string' },
    version: { type: 'integer' },
    source: { type: 'string' },
    policy: anyObject,
    description: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const

const decisionSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    outcome: { type: 'string', enum: ['permit', 'deny', 'payment-required'] },
    duties: { type: 'array', items: anyObject },
    rules: { type: 'array', items: anyObject },
    explanation: { type: 'string' },
  },
} as const

const decisionBody = {
  type: 'object',
  required: ['assetId', 'request'],
  additionalProperties: false,
  properties: {
    assetId: { type: 'string', minLength: 1, maxLength: 100 },
    request: {
      type: 'object',
      description:
        '{ action, assignee?, target?, purpose?, units?, spatial?, dateTime?, industry?, product? }',
    },
  },
} as const

const EXPORT_PATH = /^\/v1\/assets\/[^/?]+\/export(?:\?|$)/

/**
 * True for a request the export route authenticates by its grant token alone: a GET of
 * `/v1/assets/:id/export` whose bearer is a compact JWS, or without `Authorization` but with
 * `?grant=`. The API-key hook leaves these to the route.
 */
export function isGrantAuthenticated(req: FastifyRequest): boolean {
  if (req.method !== 'GET' || !EXPORT_PATH.test(req.url)) return false
  const bearer = bearerSecret(req)
  if (bearer !== undefined) return looksLikeGrantToken(bearer)
  return req.headers.authorization === undefined && /[?&]grant=/.test(req.url)
}

/** The public origin of the request, for the links written into files and documents. */
function baseUrlOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`
}

/**
 * Licences, decisions, agreements, export with the licence inside the file, and the public
 * documents: `/.well-known/jwks.json`, `/.well-known/tdmrep.json` and `/licences/:id`.
 */
export function registerLicenceRoutes(app: FastifyInstance, selvedge: Selvedge): void {
  const { licences, grants, exports } = selvedge

  // ODRL policies are JSON-LD; parse them like JSON.
  app.addContentTypeParser('application/ld+json', { parseAs: 'string' }, parseJsonBody)

  app.put(
    '/v1/assets/:id/licence',
    {
      schema: {
        summary: 'Attach a licence (a new version; earlier ones are kept)',
        description:
          'The body is an ODRL 2.2 policy in JSON-LD (Selvedge profile), or `{ "template": "standard|extended|exclusive|training|synthetic", "params": { … } }`. 400 POLICY_INVALID lists each problem with its JSON path; the previous licence stays attached.',
        tags: ['licences'],
        params: idParams,
        body: anyObject,
        response: { 201: licenceView, 400: problemError, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      const view = await licences.attach(callerOf(req), id, licenceInput(req.body))
      return reply.status(201).send(view)
    },
  )

  app.get(
    '/v1/assets/:id/licence',
    {
      schema: {
        summary: 'The asset’s current licence: the offer as JSON-LD and in plain words',
        tags: ['licences'],
        params: idParams,
        response: { 200: licenceView, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => licences.current(callerOf(req), (req.params as { id: string }).id),
  )

  app.get(
    '/v1/assets/:id/licence/versions',
    {
      schema: {
        summary: 'Every licence version of the asset, oldest first (studio members)',
        tags: ['licences'],
        params: idParams,
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: licenceView } } },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req) => ({
      items: await licences.history(callerOf(req), (req.params as { id: string }).id),
    }),
  )

  app.post(
    '/v1/decisions',
    {
      schema: {
        summary: 'Decide a request against an asset’s licence: permit, deny or payment-required',
        tags: ['licences'],
        body: decisionBody,
        response: { 200: decisionSchema, 400: problemError, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const body = req.body as { assetId: string; request: unknown }
      return licences.decide(callerOf(req), body.assetId, body.request)
    },
  )

  app.post(
    '/v1/agreements',
    {
      schema: {
        summary: 'Make an agreement: on permit, an ODRL Agreement and a signed grant token',
        description:
          'Licensee and agent keys act for their own party; owner keys may name any assignee. 201 on permit; 402 LICENCE_PAYMENT_REQUIRED and 403 LICENCE_DENIED carry the `decision` (with the quote or the reasons).',
        tags: ['licences'],
        body: decisionBody,
        response: {
          201: {
            type: 'object',
            properties: {
              decision: decisionSchema,
              agreement: anyObject,
              agreementId: { type: 'string' },
              grant: { type: 'string' },
              grantId: { type: 'string' },
            },
          },
          400: problemError,
          402: refusalSchema,
          403: refusalSchema,
          ...errorResponses(401, 404),
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { assetId: string; request: unknown }
      const outcome = await licences.createAgreement(callerOf(req), body.assetId, body.request)
      return sendAgreement(reply, outcome)
    },
  )

  app.get(
    '/v1/agreements/:id',
    {
      schema: {
        summary: 'An agreement (its assignee or studio members)',
        tags: ['licences'],
        params: idParams,
        response: { 200: anyObject, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const record = await licences.agreement(callerOf(req), (req.params as { id: string }).id)
      return {
        id: record.id,
        assetId: record.assetId,
        licenceVersion: record.licenceVersion,
        assignee: record.assignee,
        action: record.action,
        units: record.units,
        grantId: record.grantId,
        exclusive: record.exclusive,
        agreement: record.agreement,
        createdAt: record.createdAt,
        expiresAt: record.expiresAt,
      }
    },
  )

  app.post(
    '/v1/agreements/:id/revoke',
    {
      schema: {
        summary: 'Revoke an agreement (owners): its grant exports nothing and reports no usage',
        tags: ['licences'],
        params: idParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { reason: { type: 'string', maxLength: 1000 } },
        },
        response: {
          200: {
            type: 'object',
            properties: { agreementId: { type: 'string' }, revokedAt: { type: 'string' } },
          },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req) =>
      licences.revokeAgreement(
        callerOf(req),
        (req.params as { id: string }).id,
        (req.body as { reason?: string } | null)?.reason,
      ),
  )

  app.get(
    '/v1/assets/:id/export',
    {
      schema: {
        summary: 'Export the pattern with its licence written into the file (XMP)',
        description:
          'Studio members export with their key. Anyone else presents a grant token for the asset, as `Authorization: Bearer <grant>` or `?grant=`; its agreement becomes `plus:LicenseID`. 401 GRANT_INVALID for a forged or expired grant.',
        tags: ['licences'],
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: ['png', 'jpeg'], default: 'png' },
            grant: { type: 'string', maxLength: 8192 },
          },
        },
        response: {
          200: { type: 'string', format: 'binary' },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      const query = req.query as { format: ExportFormat; grant?: string }
      const bearer = bearerSecret(req)
      const grant =
        query.grant ?? (bearer !== undefined && looksLikeGrantToken(bearer) ? bearer : undefined)
      const result = await exports.export(
        {
          ...(req.caller === null ? {} : { caller: req.caller }),
          ...(grant === undefined ? {} : { grant }),
        },
        id,
        { format: query.format, baseUrl: baseUrlOf(req) },
      )
      void reply
        .header('content-type', result.mediaType)
        .header('content-disposition', `attachment; filename="${result.filename}"`)
        .header('cache-control', 'no-store')
      if (result.licenseId !== null) void reply.header('x-selvedge-license-id', result.licenseId)
      return reply.send(Buffer.from(result.bytes))
    },
  )

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        summary: 'Public keys that verify grant tokens (JWK set, OKP/Ed25519)',
        tags: ['licences'],
        security: [],
        querystring: studioQuery,
        response: { 200: anyObject, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const studioId = await licences.publicStudio((req.query as { studio?: string }).studio)
      void reply.header('content-type', 'application/jwk-set+json')
      return reply.send(await grants.jwks(studioId))
    },
  )

  app.get(
    '/.well-known/tdmrep.json',
    {
      schema: {
        summary: 'W3C TDMRep: text-and-data-mining reservations of the served assets',
        tags: ['licences'],
        security: [],
        querystring: studioQuery,
        response: { 200: { type: 'array', items: anyObject }, ...errorResponses(404, 409) },
      },
    },
    async (req) => {
      const studioId = await licences.publicStudio((req.query as { studio?: string }).studio)
      return licences.tdmRep(studioId, baseUrlOf(req))
    },
  )

  app.get(
    '/licences/:id',
    {
      schema: {
        summary: 'A published asset’s licence offer as ODRL JSON-LD (public)',
        tags: ['licences'],
        security: [],
        params: idParams,
        querystring: studioQuery,
        response: { 200: anyObject, ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const studioId = await licences.publicStudio((req.query as { studio?: string }).studio)
      const view = await licences.publicOffer(studioId, (req.params as { id: string }).id)
      void reply.header('content-type', 'application/ld+json')
      return reply.send(JSON.stringify(view.policy))
    },
  )
}

const refusalSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
    decision: decisionSchema,
  },
} as const

function sendAgreement(reply: FastifyReply, outcome: AgreementOutcome): FastifyReply {
  switch (outcome.kind) {
    case 'agreed':
      void reply.header('location', `/v1/agreements/${outcome.agreementId}`)
      return reply.status(201).send({
        decision: outcome.decision,
        agreement: outcome.agreement,
        agreementId: outcome.agreementId,
        grant: outcome.grant,
        grantId: outcome.grantId,
      })
    case 'refused': {
      const paid = outcome.decision.outcome === 'payment-required'
      return reply.status(paid ? 402 : 403).send({
        error: paid
          ? {
              code: 'LICENCE_PAYMENT_REQUIRED',
              message: 'a payment is required first; see the quote in decision.duties',
            }
          : { code: 'LICENCE_DENIED', message: outcome.decision.explanation },
        decision: outcome.decision,
      })
    }
  }
}

function licenceInput(body: unknown): LicenceInput {
  const b = (body ?? {}) as Record<string, unknown>
  // No template and no policy (`{}` or only `params`): the tier's default template.
  if (typeof b === 'object' && !Array.isArray(b) && Object.keys(b).every((k) => k === 'params')) {
    return licenceInput({ template: 'default', params: b['params'] ?? {} })
  }
  if (
    typeof b['template'] === 'string' &&
    b['@type'] === undefined &&
    b['@context'] === undefined
  ) {
    const extra = Object.keys(b).filter((k) => k !== 'template' && k !== 'params')
    if (extra.length > 0) throw new HttpError('REQUEST_INVALID', `unknown field ${extra[0]}`)
    const params = b['params'] ?? {}
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new HttpError('REQUEST_INVALID', 'params must be an object')
    }
    return { kind: 'template', template: b['template'], params: params as Record<string, unknown> }
  }
  return { kind: 'policy', policy: body }
}
