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

const MIN_PAGE_LIMIT = 1
const MAX_PAGE_LIMIT = 200

/** A client's page size clamped to 1..200 (NaN → 1). */
export function clampPageLimit(limit: number): number {
  if (Number.isNaN(limit)) return MIN_PAGE_LIMIT
  return Math.min(MAX_PAGE_LIMIT, Math.max(MIN_PAGE_LIMIT, Math.floor(limit)))
}

/**
 * A page from rows read with `limit + 1`: the extra row only tells that another page exists,
 * and the cursor names the last row kept.
 */
export function pageOf<R, T extends PagePosition>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map(toItem)
  const last = items.at(-1)
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodeCursor({ createdAt: last.createdAt, id: last.id })
      : null
  return { items, nextCursor }
}
