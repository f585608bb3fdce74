import type { FastifyInstance } from 'fastify'
import type { ProvenanceService } from '../../app/provenance/index.js'
import { callerOf } from '../auth.js'
import { errorResponses } from '../schemas.js'

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const

const TIERS = ['human-made', 'human-directed', 'synthetic', 'unknown'] as const

// A journal step: the posted step's fields plus seq, when, stepSha256, logIndex, recordedAt.
const entrySchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    seq: { type: 'integer' },
    when: { type: 'string' },
    actor: { type: 'object', additionalProperties: true },
    action: { type: 'string' },
    stepSha256: { type: 'string' },
    logIndex: { type: ['integer', 'null'] },
    recordedAt: { type: 'string' },
  },
} as const

/** `/v1/assets/:id/authorship`: the authorship journal, its tier, the disclosure statement. */
export function registerProvenanceRoutes(
  app: FastifyInstance,
  provenance: ProvenanceService,
): void {
  app.post(
    '/v1/assets/:id/authorship',
    {
      schema: {
        summary: 'Record an authorship step',
        description:
          'Body: one step (issue 5 contract): `{actor: {kind: human|ai|software, name, model?, tool?, backend?}, action (C2PA action or slv.selected), digitalSourceType? (IPTC code or IRI), when?, inputs?: [{assetId?, sha256, relationship}], parameters?, region?, outputSha256?, selection?: {chosen, rejected}, rationale?}`. 201 with the step, its `seq`, `logIndex` (the `authorship.step` log entry) and the asset’s new `tier`. Refused steps write nothing.',
        tags: ['provenance'],
        params: idParams,
        body: { type: 'object', additionalProperties: true },
        response: {
          201: {
            ...entrySchema,
            properties: { ...entrySchema.properties, tier: { type: 'string', enum: TIERS } },
          },
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      const entry = await provenance.addStep(callerOf(req), id, req.body)
      return reply.status(201).send(entry)
    },
  )

  app.get(
    '/v1/assets/:id/authorship',
    {
      schema: {
        summary: 'Read the authorship journal and the provenance tier',
        tags: ['provenance'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              assetId: { type: 'string' },
              tier: { type: 'string', enum: TIERS },
              steps: { type: 'array', items: entrySchema },
            },
          },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string }
      return provenance.journal(callerOf(req), id)
    },
  )

  app.get(
    '/v1/assets/:id/authorship/statement',
    {
      schema: {
        summary: 'Draft the copyright-registration disclosure statement',
        description:
          '`format=md` (default) answers Markdown: title, claimant, human authors, proposed “Author Created” and “Material Excluded” texts, tools, counts and a chronological evidence appendix with hashes. `format=pdf` answers `application/pdf` with the same content plus thumbnails before (inputs) and after (output) each human step. Any other format: 406 AUTHORSHIP_FORMAT_UNSUPPORTED.',
        tags: ['provenance'],
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', minLength: 1, maxLength: 10, default: 'md' } },
        },
        produces: ['text/markdown', 'application/pdf'],
        response: {
          200: { type: 'string', description: 'Markdown text, or the PDF document' },
          ...errorResponses(401, 403, 404, 406),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      const { format } = req.query as { format: string }
      const statement = await provenance.statement(callerOf(req), id, format)
      switch (statement.kind) {
        case 'md':
          return reply.type(statement.mediaType).send(statement.body)
        case 'pdf':
          return reply
            .type(statement.mediaType)
            .header('content-disposition', `inline; filename="${id}-statement.pdf"`)
            .send(Buffer.from(statement.body))
      }
    },
  )
}
