import { ArchiveError } from '../../core/archive/index.js'

/** A position in the (created_at desc, id desc) order: the last row of the previous page. */
export interface PagePosition {
  readonly createdAt: string
  readonly id: string
}

/** Encodes a position as an opaque base64url token. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString(
    'base64url',
  )
}

/**
 * Decodes a token made by `encodeCursor`. The token comes from a client, so anything else throws
 * `ArchiveError('ASSET_QUERY_INVALID')`.
 */
export function decodeCursor(cursor: string): PagePosition {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    value = undefined
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string'
  ) {
    const position = { createdAt: value[0], id: value[1] }
    // Buffer's base64url decoder skips stray characters; only the canonical spelling is accepted.
    if (encodeCursor(position) === cursor) return position
  }
  throw new ArchiveError('ASSET_QUERY_INVALID', 'the page cursor is not valid')
}
