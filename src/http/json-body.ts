import type { FastifyRequest } from 'fastify'
import { HttpError } from './errors.js'

/**
 * A Fastify content-type parser for JSON bodies sent under another media type (JSON-LD
 * policies, CloudEvents): parses like JSON, and answers `REQUEST_INVALID` for a body that is not.
 */
export function parseJsonBody(
  _req: FastifyRequest,
  body: string | Buffer,
  done: (err: Error | null, value?: unknown) => void,
): void {
  try {
    done(null, JSON.parse(body.toString()))
  } catch {
    done(new HttpError('REQUEST_INVALID', 'the body is not valid JSON'))
  }
}
