import { TILE_WIDTH } from './tile-path.js'
import { TlogError } from './tlog-error.js'

/** The largest entry a log holds: entry bundles prefix each entry with a uint16 length. */
export const MAX_ENTRY_SIZE = 65_535

/**
 * Encodes a tlog-tiles entry bundle: each entry prefixed with its big-endian uint16 length.
 * Throws `LOG_ENTRY_TOO_LARGE` for an entry over 65,535 bytes, `LOG_BUNDLE_INVALID` for more
 * than 256 entries.
 */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length > TILE_WIDTH) {
    throw new TlogError('LOG_BUNDLE_INVALID', `a bundle holds at most 256 entries`)
  }
  let total = 0
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE) {
      throw new TlogError('LOG_ENTRY_TOO_LARGE', `entry of ${e.length} bytes exceeds 65535`)
    }
    total += 2 + e.length
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const e of entries) {
    out[at] = e.length >>> 8
    out[at + 1] = e.length & 0xff
    out.set(e, at + 2)
    at += 2 + e.length
  }
  return out
}

/**
 * Decodes a tlog-tiles entry bundle into its entries (copies, not views).
 * Throws `LOG_BUNDLE_INVALID` for a truncated length prefix or entry, or more than 256 entries.
 */
export function decodeEntryBundle(data: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = []
  let at = 0
  while (at < data.length) {
    if (at + 2 > data.length) throw new TlogError('LOG_BUNDLE_INVALID', 'truncated length prefix')
    const length = ((data[at] as number) << 8) | (data[at + 1] as number)
    at += 2
    if (at + length > data.length) throw new TlogError('LOG_BUNDLE_INVALID', 'truncated entry')
    if (entries.length === TILE_WIDTH) {
      throw new TlogError('LOG_BUNDLE_INVALID', 'a bundle holds at most 256 entries')
    }
    // A plain copy: a Buffer's slice would be a view into the caller's bytes.
    entries.push(new Uint8Array(data.subarray(at, at + length)))
    at += length
  }
  return entries
}
