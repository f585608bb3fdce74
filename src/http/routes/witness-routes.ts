import Fastify, { type FastifyInstance } from 'fastify'
import type { WitnessService } from '../../app/log/index.js'
import { handleError } from '../errors.js'

// An add-checkpoint body is a size line, at most 63 proof lines and a note: a few KiB.
const MAX_BODY_BYTES = 64 * 1024

/**
 * `POST <prefix>/add-checkpoint` (C2SP tlog-witness): 200 with cosignature lines, 409 with the
 * size last cosigned (`text/x.tlog.size`) for a stale old size, and the statuses the
 * specification fixes for every refusal (`WITNESS_*` codes in `http/errors.ts`).
 */
export function registerWitnessRoutes(
  app: FastifyInstance,
  witness: WitnessService,
  opts: { readonly prefix?: string } = {},
): void {
  app.post(
    `${opts.prefix ?? ''}/add-checkpoint`,
    { schema: { tags: ['witness'], security: [], summary: 'Submit a checkpoint to cosign' } },
    async (req, reply) => {
      const body = typeof req.body === 'string' ? req.body : ''
      const outcome = await witness.addCheckpoint(body)
      switch (outcome.kind) {
        case 'cosigned':
          return reply
            .header('content-type', 'text/plain; charset=utf-8')
            .send(outcome.cosignatures)
        case 'conflict':
          return reply
            .status(409)
            .header('content-type', 'text/x.tlog.size')
            .send(`${outcome.size}\n`)
      }
    },
  )
}

/** A standalone witness server (not listening): the add-checkpoint route and nothing else. */
export async function createWitnessApi(
  witness: WitnessService,
  opts: { readonly prefix?: string; readonly logLevel?: 'error' | 'warn' | 'info' | 'debug' } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logLevel === undefined ? false : { level: opts.logLevel },
    bodyLimit: MAX_BODY_BYTES,
  })
  // The protocol fixes no request content type: read any body as text.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: `no route ${req.method} ${req.url.split('?')[0]}`,
      },
    })
  })
  registerWitnessRoutes(app, witness, opts.prefix === undefined ? {} : { prefix: opts.prefix })
  return app
}
