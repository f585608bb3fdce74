import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AssetService } from '../../app/asset-service.js'
import { parseMetadataInput } from '../../core/archive/index.js'
import { callerOf } from '../auth.js'
import { HttpError } from '../errors.js'
import { errorResponses } from '../schemas.js'

/** Largest upload accepted, in bytes. Pixel limits are checked separately from the header. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    repeat: { type: 'string', enum: ['block', 'half-drop', 'half-brick', 'mirror', 'none'] },
    tag: { type: 'string' },
    motif: { type: 'string' },
    collection: { type: 'string', description: 'collection id or name' },
    designer: { type: 'string', description: 'designer id or name' },
    visibility: { type: 'string', enum: ['private', 'published'] },
    q: { type: 'string', description: 'case-insensitive substring of the title' },
    colour: {
      type: 'string',
      pattern: '^#?[0-9a-fA-F]{6}$',
      description: 'palette colour, #rrggbb',
    },
    colourTolerance: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 100,
      description: 'CIEDE2000, default 10',
    },
    tier: {
      type: 'string',
      enum: ['human-made', 'human-directed', 'synthetic', 'unknown'],
      description: 'provenance tier',
    },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string' },
  },
} as const

const similarResponse = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          assetId: { type: 'string' },
          distance: { type: 'integer' },
          title: { type: 'string' },
        },
      },
    },
  },
} as const

/** `/v1/assets`: upload, read, list, search, edit. */
export function registerAssetRoutes(app: FastifyInstance, assets: AssetService): void {
  app.post(
    '/v1/assets',
    {
      schema: {
        summary: 'Upload a pattern',
        description:
          'multipart/form-data with a `file` part (PNG, JPEG, WebP or TIFF) and an optional `metadata` part (JSON, see MetadataInput). 201 when created, 200 with the existing asset when the studio already has this exact file.',
        tags: ['assets'],
        consumes: ['multipart/form-data'],
        body: {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', format: 'binary' },
            metadata: { type: 'string', description: 'JSON MetadataInput' },
          },
        },
        response: {
          200: { $ref: 'Asset#' },
          201: { $ref: 'Asset#' },
          ...errorResponses(400, 401, 403, 413, 415, 422),
        },
      },
      // The body schema documents the multipart form; the parts are read and checked below.
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      const caller = callerOf(req)
      const upload = await readUpload(req)
      const metadata =
        upload.metadata === undefined ? undefined : parseMetadataInput(parseJson(upload.metadata))
      const result = await assets.ingest(caller, {
        bytes: upload.file,
        ...(metadata === undefined ? {} : { metadata }),
        ...(upload.filename === undefined ? {} : { filename: upload.filename }),
      })
      void reply.header('location', `/v1/assets/${result.asset.id}`)
      return reply.status(result.status === 'created' ? 201 : 200).send(result.asset)
    },
  )

  app.post(
    '/v1/assets/:id/versions',
    {
      schema: {
        summary: 'Add a new file as the pattern’s next version',
        description:
          'multipart/form-data with a `file` part and an optional `steps` part: a JSON array of authorship steps (the `POST /v1/assets/:id/authorship` contract). A step without `outputSha256` gets the new version’s hash, one without `when` the version’s time. The version and its steps are stored together, or a refused step (AUTHORSHIP_* codes) refuses the version and nothing is written. 201 with the asset at its new version (and its new `tier`); 200 when this file is already a version of it (no steps are recorded then); 409 ASSET_FILE_IN_USE when it is another asset’s.',
        tags: ['assets'],
        consumes: ['multipart/form-data'],
        params: idParams,
        body: {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', format: 'binary' },
            steps: { type: 'string', description: 'JSON array of authorship steps' },
          },
        },
        response: {
          200: { $ref: 'Asset#' },
          201: { $ref: 'Asset#' },
          ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
        },
      },
      validatorCompiler: ({ httpPart }) =>
        httpPart === 'params'
          ? (value: unknown) => typeof (value as { id?: unknown }).id === 'string'
          : () => true,
    },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      const upload = await readUpload(req, { allowSteps: true })
      if (upload.metadata !== undefined) {
        throw new HttpError(
          'REQUEST_INVALID',
          'a new version takes a `file` and a `steps` part only',
        )
      }
      const steps = upload.steps === undefined ? undefined : parseStepsPart(upload.steps)
      const result = await assets.addVersion(
        callerOf(req),
        id,
        upload.file,
        steps === undefined ? {} : { steps },
      )
      return reply.status(result.status === 'created' ? 201 : 200).send(result.asset)
    },
  )

  app.get(
    '/v1/assets',
    {
      schema: {
        summary: 'List patterns',
        tags: ['assets'],
        querystring: listQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: { $ref: 'Asset#' } },
              nextCursor: { type: ['string', 'null'] },
            },
          },
          ...errorResponses(400, 401),
        },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | number | undefined>
      const colour = typeof q['colour'] === 'string' ? normaliseHex(q['colour']) : undefined
      return assets.list(callerOf(req), {
        ...pick(q, [
          'repeat',
          'tag',
          'motif',
          'collection',
          'designer',
          'visibility',
          'q',
          'tier',
          'cursor',
        ]),
        ...(colour === undefined ? {} : { colour }),
        ...(typeof q['colourTolerance'] === 'number'
          ? { colourTolerance: q['colourTolerance'] }
          : {}),
        ...(typeof q['limit'] === 'number' ? { limit: q['limit'] } : {}),
      })
    },
  )

  app.get(
    '/v1/assets/:id',
    {
      schema: {
        summary: 'Read a pattern',
        tags: ['assets'],
        params: idParams,
        querystring: {
          type: 'object',
          properties: { versions: { type: 'boolean', default: false } },
        },
        response: { 200: { $ref: 'Asset#' }, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string }
      const { versions } = req.query as { versions: boolean }
      return assets.get(callerOf(req), id, { versions })
    },
  )

  app.get(
    '/v1/assets/:id/file',
    {
      schema: {
        summary: 'Download the file of a pattern (current version unless `version` is given)',
        tags: ['assets'],
        params: idParams,
        querystring: {
          type: 'object',
          properties: { version: { type: 'integer', minimum: 1 } },
        },
        response: {
          200: { description: 'the file', type: 'string', format: 'binary' },
          ...errorResponses(401, 404),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      const { version } = req.query as { version?: number }
      const file = await assets.file(callerOf(req), id, version)
      void reply
        .header('content-type', file.mediaType)
        .header('etag', `"${file.sha256}"`)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
      return reply.send(file.bytes)
    },
  )

  app.get(
    '/v1/assets/:id/similar',
    {
      schema: {
        summary: 'Near-duplicate patterns by PDQ Hamming distance',
        tags: ['assets'],
        params: idParams,
        querystring: {
          type: 'object',
          properties: { maxDistance: { type: 'integer', minimum: 0, maximum: 128, default: 31 } },
        },
        response: { 200: similarResponse, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string }
      const { maxDistance } = req.query as { maxDistance: number }
      return { items: await assets.similar(callerOf(req), id, maxDistance) }
    },
  )

  app.patch(
    '/v1/assets/:id',
    {
      schema: {
        summary: 'Edit a pattern’s metadata (fields given replace; fields absent stay)',
        tags: ['assets'],
        params: idParams,
        body: { $ref: 'MetadataInput#' },
        response: { 200: { $ref: 'Asset#' }, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string }
      return assets.update(callerOf(req), id, parseMetadataInput(req.body))
    },
  )
}

/** A multipart upload: the `file` part and the optional `metadata` and `steps` parts. */
export interface Upload {
  file: Buffer
  filename: string | undefined
  metadata: string | undefined
  /** JSON: authorship steps that come with a new version. */
  steps: string | undefined
}

/**
 * Reads a multipart form of one `file` part and an optional `metadata` part (and, with
 * `allowSteps`, an optional `steps` part). Throws `REQUEST_INVALID` for anything else.
 */
export async function readUpload(
  req: FastifyRequest,
  opts: { readonly allowSteps?: boolean } = {},
): Promise<Upload> {
  if (!req.isMultipart()) {
    throw new HttpError('REQUEST_INVALID', 'send multipart/form-data with a `file` part')
  }
  let file: Buffer | undefined
  let filename: string | undefined
  let metadata: string | undefined
  let steps: string | undefined
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || file !== undefined) {
        await part.toBuffer()
        throw new HttpError('REQUEST_INVALID', 'send exactly one file, in the `file` part')
      }
      file = await part.toBuffer()
      filename = part.filename
    } else if (part.fieldname === 'metadata') {
      metadata = String(part.value)
    } else if (part.fieldname === 'steps' && opts.allowSteps === true) {
      steps = String(part.value)
    } else {
      throw new HttpError('REQUEST_INVALID', `unknown form field ${part.fieldname}`)
    }
  }
  if (file === undefined) throw new HttpError('REQUEST_INVALID', 'the `file` part is missing')
  return { file, filename, metadata, steps }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError('REQUEST_INVALID', 'the `metadata` part is not valid JSON')
  }
}

function parseStepsPart(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError('REQUEST_INVALID', 'the `steps` part is not valid JSON')
  }
}

function normaliseHex(hex: string): string {
  return `#${hex.replace(/^#/, '').toLowerCase()}`
}

function pick(q: Record<string, unknown>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of keys) {
    const v = q[k]
    if (typeof v === 'string') out[k] = v
  }
  return out
}
