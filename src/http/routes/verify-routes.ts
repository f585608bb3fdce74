import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { CredentialService } from '../../app/provenance/index.js'
import { HttpError } from '../errors.js'
import { errorResponses } from '../schemas.js'
import { readUpload } from './asset-routes.js'

const VERIFY_PATH = /^\/v1\/verify(?:\?.*)?$/

/** True for `POST /v1/verify`, which anyone may call without a key. */
export function isPublicVerify(req: FastifyRequest): boolean {
  return req.method === 'POST' && VERIFY_PATH.test(req.url)
}

const nullableString = { type: ['string', 'null'] } as const

const verifyResponse = {
  type: 'object',
  properties: {
    c2pa: {
      type: 'object',
      properties: {
        state: { type: 'string', enum: ['Trusted', 'Valid', 'Invalid', 'absent'] },
        failures: { type: 'array', items: { type: 'string' } },
      },
    },
    tier: { type: 'string', enum: ['human-made', 'human-directed', 'synthetic', 'unknown'] },
    licence: {
      type: ['object', 'null'],
      properties: {
        rights: nullableString,
        creators: { type: 'array', items: { type: 'string' } },
        webStatement: nullableString,
        usageTerms: nullableString,
        licensor: {
          type: ['object', 'null'],
          properties: { name: nullableString, url: nullableString },
        },
        licenseId: nullableString,
        dataMining: nullableString,
        digitalSourceType: nullableString,
        rightsExpression: nullableString,
      },
    },
    log: {
      type: 'object',
      properties: {
        included: { type: 'boolean' },
        index: { type: 'integer' },
        checkpoint: {
          type: 'object',
          properties: { size: { type: 'integer' }, note: { type: 'string' } },
        },
      },
    },
  },
} as const

/** `POST /v1/verify`: a file's Content Credentials, licence XMP and log inclusion, for anyone. */
export function registerVerifyRoutes(app: FastifyInstance, credentials: CredentialService): void {
  app.post(
    '/v1/verify',
    {
      schema: {
        summary: "Verify a file's Content Credentials (C2PA), licence XMP and log inclusion",
        description:
          'multipart/form-data with a `file` part; no key needed. The manifest is validated with c2pa-rs against the instance studio’s root certificate. `c2pa.state` is `Trusted`, `Valid` (signature sound, signer not trusted), `Invalid` (with the failure codes) or `absent`; `log.included` is true when the manifest’s `credential.issued` entry is in the transparency log under a signed checkpoint. A file that is not an image answers 422 `IMAGE_UNREADABLE`.',
        tags: ['provenance'],
        security: [],
        consumes: ['multipart/form-data'],
        body: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', format: 'binary' } },
        },
        response: { 200: verifyResponse, ...errorResponses(400, 413, 422) },
      },
      // The body schema documents the multipart form; the parts are read and checked below.
      validatorCompiler: () => () => true,
    },
    async (req) => {
      const upload = await readUpload(req)
      if (upload.metadata !== undefined) {
        throw new HttpError('REQUEST_INVALID', 'verify takes a `file` part only')
      }
      return credentials.verify(upload.file)
    },
  )
}
