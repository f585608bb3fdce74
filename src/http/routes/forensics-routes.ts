import type { FastifyInstance } from 'fastify'
import type { ForensicsService } from '../../app/forensics/index.js'
import { callerOf } from '../auth.js'
import { HttpError } from '../errors.js'
import { errorResponses } from '../schemas.js'
import { readUpload } from './asset-routes.js'

const KINDS = ['licensed', 'over-use', 'unlicensed-copy', 'unknown'] as const

const watermarkSchema = {
  type: 'object',
  properties: {
    found: { type: 'boolean' },
    payload: { type: ['string', 'null'] },
    score: { type: 'number' },
  },
} as const

const similarSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { assetId: { type: 'string' }, distance: { type: 'integer' } },
  },
} as const

const scanResponse = {
  type: 'object',
  properties: {
    watermark: watermarkSchema,
    grant: {
      type: ['object', 'null'],
      properties: {
        id: { type: 'string' },
        assignee: { type: 'string' },
        agreement: { type: 'string' },
        actions: { type: 'array', items: { type: 'string' } },
        units: { type: ['integer', 'null'] },
      },
    },
    similar: similarSchema,
    finding: {
      type: 'object',
      properties: { id: { type: 'string' }, kind: { type: 'string', enum: KINDS } },
    },
    logIndex: { type: ['integer', 'null'] },
  },
} as const

const findingSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: KINDS },
    createdAt: { type: 'string' },
    fileSha256: { type: 'string' },
    watermark: watermarkSchema,
    grantId: { type: ['string', 'null'] },
    agreementId: { type: ['string', 'null'] },
    assignee: { type: ['string', 'null'] },
    similar: similarSchema,
    logIndex: { type: ['integer', 'null'] },
  },
} as const

/** `/v1/forensics/scan` and `/v1/findings`: trace a file to its grant, list the findings. */
export function registerForensicsRoutes(app: FastifyInstance, forensics: ForensicsService): void {
  app.post(
    '/v1/forensics/scan',
    {
      schema: {
        summary: 'Scan a file for the studio’s watermark and near duplicates; records a finding',
        description:
          'multipart/form-data with a `file` part. 201 with the watermark report, the grant the mark names (or null), the near-duplicate assets, the stored finding `{id, kind}` and its `finding.recorded` log index. Files that do not decode write nothing.',
        tags: ['forensics'],
        consumes: ['multipart/form-data'],
        body: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', format: 'binary' } },
        },
        response: {
          201: scanResponse,
          ...errorResponses(400, 401, 403, 413, 415, 422),
        },
      },
      // The body schema documents the multipart form; the parts are read and checked below.
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      const upload = await readUpload(req)
      if (upload.metadata !== undefined) {
        throw new HttpError('REQUEST_INVALID', 'a scan takes a `file` part only')
      }
      return reply.status(201).send(await forensics.scan(callerOf(req), upload.file))
    },
  )

  app.get(
    '/v1/findings',
    {
      schema: {
        summary: 'List forensics findings, newest first',
        tags: ['forensics'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            cursor: { type: 'string' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: findingSchema },
              nextCursor: { type: ['string', 'null'] },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query as { limit: number; cursor?: string }
      return forensics.list(callerOf(req), cursor === undefined ? { limit } : { limit, cursor })
    },
  )
}
