import type { FastifyRequest } from 'fastify'
import type { KeyService } from '../app/key-service.js'
import type { Caller } from '../core/access/index.js'

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null
  }
}

/** Extracts the bearer secret from `Authorization: Bearer <key>`; undefined when absent. */
export function bearerSecret(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization
  if (header === undefined) return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}

/** The authenticated caller of a `/v1` route (set by the auth hook). */
export function callerOf(req: FastifyRequest): Caller {
  if (req.caller === null) throw new Error('route reached without authentication')
  return req.caller
}

/** Builds the onRequest hook that authenticates every `/v1` request. */
export function authenticateV1(keys: KeyService) {
  return async (req: FastifyRequest): Promise<void> => {
    req.caller = null
    if (!req.url.startsWith('/v1/') && req.url !== '/v1') return
    req.caller = await keys.authenticate(bearerSecret(req))
  }
}
