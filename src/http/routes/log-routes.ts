import type { FastifyInstance, FastifyReply } from 'fastify'
import type { LogService } from '../../app/log/index.js'
import { errorResponses } from '../schemas.js'

/** Full tiles never change (C2SP tlog-tiles: "immutable, … caching headers SHOULD be long-lived"). */
export const FULL_TILE_CACHE = 'public, max-age=31536000, immutable'
/** Partial tiles are superseded by wider ones; the checkpoint changes with every batch. */
export const PARTIAL_TILE_CACHE = 'public, max-age=10'
export const CHECKPOINT_CACHE = 'no-cache'

const TEXT = 'text/plain; charset=utf-8'
const OCTETS = 'application/octet-stream'

const sizeParam = { type: 'integer', minimum: 0, maximum: 2 ** 52 } as const

/**
 * The public transparency log under `/log` (no authentication): the checkpoint, tlog-tiles
 * tiles and entry bundles, the verifier key, and tlog-proof / consistency proofs computed on
 * request. Everything here verifies offline against the verifier key.
 */
export function registerLogRoutes(app: FastifyInstance, log: LogService): void {
  const common = { tags: ['log'], security: [] }

  app.get(
    '/log/checkpoint',
    {
      schema: {
        ...common,
        summary: 'The latest signed checkpoint (C2SP tlog-checkpoint), with cosignatures',
        produces: [TEXT],
      },
    },
    async (_req, reply) => {
      const checkpoint = await log.checkpoint()
      return text(reply, checkpoint.note, CHECKPOINT_CACHE)
    },
  )

  app.get(
    '/log/vkey',
    {
      schema: {
        ...common,
        summary: 'The log’s verifier key (C2SP signed-note), one line',
        produces: [TEXT],
      },
    },
    async (_req, reply) => text(reply, `${await log.vkey()}\n`, 'public, max-age=300'),
  )

  app.get(
    '/log/tile/*',
    {
      schema: {
        ...common,
        summary: 'A hash tile (tile/<L>/<N>[.p/<W>]) or entry bundle (tile/entries/<N>[.p/<W>])',
        produces: [OCTETS],
        response: errorResponses(400, 404),
      },
    },
    async (req, reply) => {
      const rest = (req.params as { '*': string })['*']
      const tile = await log.tile(`tile/${rest}`)
      void reply
        .header('content-type', OCTETS)
        .header('cache-control', tile.isFull ? FULL_TILE_CACHE : PARTIAL_TILE_CACHE)
      return reply.send(Buffer.from(tile.bytes.buffer, tile.bytes.byteOffset, tile.bytes.length))
    },
  )

  app.get(
    '/log/proof',
    {
      schema: {
        ...common,
        summary: 'A tlog-proof file (c2sp.org/tlog-proof@v1) for entry `index`',
        querystring: {
          type: 'object',
          required: ['index'],
          additionalProperties: false,
          properties: { index: sizeParam },
        },
        produces: [TEXT],
        response: errorResponses(400, 404),
      },
    },
    async (req, reply) => {
      const { index } = req.query as { index: number }
      return text(reply, await log.proof(index), CHECKPOINT_CACHE)
    },
  )

  app.get(
    '/log/consistency',
    {
      schema: {
        ...common,
        summary: 'A consistency proof (RFC 9162 §2.1.4) from size `old` to `new`: base64 lines',
        querystring: {
          type: 'object',
          required: ['old'],
          additionalProperties: false,
          properties: { old: sizeParam, new: sizeParam },
        },
        produces: [TEXT],
        response: errorResponses(400, 404),
      },
    },
    async (req, reply) => {
      const q = req.query as { old: number; new?: number }
      const proof = await log.consistency(q.old, q.new)
      const body = proof.map((h) => `${Buffer.from(h).toString('base64')}\n`).join('')
      // A proof between two fixed sizes never changes; one to "the latest" does.
      return text(reply, body, q.new === undefined ? CHECKPOINT_CACHE : FULL_TILE_CACHE)
    },
  )
}

function text(reply: FastifyReply, body: string, cache: string): FastifyReply {
  return reply.header('content-type', TEXT).header('cache-control', cache).send(body)
}
