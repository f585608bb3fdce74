import multipart from '@fastify/multipart'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Selvedge } from '../compose.js'
import { authenticateV1 } from './auth.js'
import { handleError } from './errors.js'
import { MAX_UPLOAD_BYTES, registerAssetRoutes } from './routes/asset-routes.js'
import { isUsageGrantAuthenticated, registerBillingRoutes } from './routes/billing-routes.js'
import { registerForensicsRoutes } from './routes/forensics-routes.js'
import { registerKeyRoutes } from './routes/key-routes.js'
import { registerLedgerRoutes } from './routes/ledger-routes.js'
import { isGrantAuthenticated, registerLicenceRoutes } from './routes/licence-routes.js'
import { registerLogRoutes } from './routes/log-routes.js'
import { registerProvenanceRoutes } from './routes/provenance-routes.js'
import { isPublicVerify, registerVerifyRoutes } from './routes/verify-routes.js'
import { SHARED_SCHEMAS } from './schemas.js'

export interface ApiOptions {
  /** Log level (pino); absent turns logging off. Authorization headers are always redacted. */
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug'
}

/** Builds the HTTP API (not listening). Every `/v1` route requires a bearer key. */
export async function createApi(
  selvedge: Selvedge,
  opts: ApiOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logLevel === undefined
        ? false
        : { level: opts.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  })
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema)
  app.decorateRequest('caller', null)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: `no route ${req.method} ${req.url.split('?')[0]}`,
      },
    })
  })

  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, fieldSize: 1024 * 1024 },
    throwFileSizeLimit: true,
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Selvedge API',
        version: '0.1.0',
        description:
          'Licensing, provenance and royalty platform for pattern and textile design studios. Every /v1 route needs `Authorization: Bearer <key>`. Errors are `{ "error": { "code", "message" } }` with stable codes.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json['$id'] ?? `def-${i}`),
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  const authenticateKey = authenticateV1(selvedge.keys)
  app.addHook('onRequest', async (req) => {
    // An export presented with a grant token alone is authenticated by the route, by the grant.
    if (isGrantAuthenticated(req) || isUsageGrantAuthenticated(req)) {
      req.caller = null
      return
    }
    // Anyone may verify a file's Content Credentials.
    if (isPublicVerify(req)) {
      req.caller = null
      return
    }
    await authenticateKey(req)
  })

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness and database check',
        tags: ['meta'],
        security: [],
        response: {
          200: {
            type: 'object',
            properties: { status: { type: 'string' }, database: { type: 'string' } },
          },
        },
      },
    },
    async () => {
      await selvedge.store.studios.first()
      return { status: 'ok', database: selvedge.store.dialect }
    },
  )
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  registerAssetRoutes(app, selvedge.assets)
  registerKeyRoutes(app, selvedge.keys)
  registerLicenceRoutes(app, selvedge)
  registerLogRoutes(app, selvedge.log)
  registerProvenanceRoutes(app, selvedge.provenance)
  registerForensicsRoutes(app, selvedge.forensics)
  registerBillingRoutes(app, selvedge)
  registerLedgerRoutes(app, selvedge)
  registerVerifyRoutes(app, selvedge.credentials)
  return app
}
