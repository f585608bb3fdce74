import { TlogError } from './tlog-error.js'

/** The tile height of C2SP tlog-tiles: a full tile holds 2^8 = 256 hashes or entries. */
export const TILE_HEIGHT = 8

/** The width of a full tile. */
export const TILE_WIDTH = 256

/**
 * One tlog-tiles resource: a hash tile at `level` (0 = leaf hashes) or an entry bundle (always
 * level 0), numbered `index` within its level, holding `width` hashes or entries (1..256; 256
 * is a full tile, fewer a partial one).
 */
export interface TileRef {
  readonly level: number
  readonly index: number
  readonly width: number
  readonly kind: 'hash' | 'entries'
}

// tlog-tiles "Merkle Tree": <L> is 0..63; <N> is an unbounded index, but we keep it exact.
const MAX_LEVEL = 63

function invalid(what: string): TlogError {
  return new TlogError('LOG_TILE_PATH_INVALID', what)
}

function checkTileRef(t: TileRef): void {
  if (t.kind !== 'hash' && t.kind !== 'entries') throw invalid(`unknown tile kind`)
  if (!Number.isSafeInteger(t.level) || t.level < 0 || t.level > MAX_LEVEL) {
    throw invalid(`tile level ${String(t.level)} is not in 0..63`)
  }
  if (t.kind === 'entries' && t.level !== 0) throw invalid('entry bundles are level 0')
  if (!Number.isSafeInteger(t.index) || t.index < 0) {
    throw invalid(`tile index ${String(t.index)} is not a non-negative integer`)
  }
  if (!Number.isSafeInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH) {
    throw invalid(`tile width ${String(t.width)} is not in 1..256`)
  }
}

/**
 * The tlog-tiles path of a tile, relative to the log prefix: `tile/<L>/<N>[.p/<W>]` or
 * `tile/entries/<N>[.p/<W>]`, with `<N>` in `x`-prefixed groups of three digits
 * (e.g. `tile/0/x001/234.p/5`).
 * Throws `LOG_TILE_PATH_INVALID` for an invalid reference.
 */
export function tilePath(t: TileRef): string {
  checkTileRef(t)
  let n = t.index
  let digits = String(n % 1000).padStart(3, '0')
  while (n >= 1000) {
    n = Math.floor(n / 1000)
    digits = `x${String(n % 1000).padStart(3, '0')}/${digits}`
  }
  const level = t.kind === 'entries' ? 'entries' : String(t.level)
  const partial = t.width === TILE_WIDTH ? '' : `.p/${t.width}`
  return `tile/${level}/${digits}${partial}`
}

// Path elements as tlog-tiles spells them; canonical form (no redundant x000 groups, no
// leading zeros in <L> and <W>) is then enforced by formatting the result and comparing.
const LEVEL = /^(?:0|[1-9][0-9]?)$/
const GROUP = /^x[0-9]{3}$/
const LAST = /^[0-9]{3}$/
const WIDTH = /^[1-9][0-9]{0,2}$/

/**
 * Parses a tlog-tiles path (relative to the log prefix, e.g. `tile/0/x001/234.p/5`).
 * Strict: only the canonical spelling {@link tilePath} produces is accepted.
 * Throws `LOG_TILE_PATH_INVALID` for anything else (leading zeros, missing or redundant `x`
 * groups, `.p/256`, `.p/0`, a level above 63, an index beyond 2^53).
 */
export function parseTilePath(path: string): TileRef {
  if (typeof path !== 'string' || path.length > 128) throw invalid('tile path too long')
  const parts = path.split('/')
  if (parts.length < 3 || parts[0] !== 'tile') throw invalid(`malformed tile path ${path}`)
  const levelPart = parts[1] as string
  let kind: TileRef['kind']
  let level: number
  if (levelPart === 'entries') {
    kind = 'entries'
    level = 0
  } else if (LEVEL.test(levelPart)) {
    kind = 'hash'
    level = Number(levelPart)
  } else {
    throw invalid(`malformed tile level in ${path}`)
  }
  let groups = parts.slice(2)
  let width = TILE_WIDTH
  const maybeP = groups[groups.length - 2]
  if (maybeP?.endsWith('.p')) {
    const w = groups[groups.length - 1] as string
    if (!WIDTH.test(w)) throw invalid(`malformed tile width in ${path}`)
    width = Number(w)
    groups = [...groups.slice(0, -2), maybeP.slice(0, -2)]
  }
  let index = 0
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as string
    const isLast = i === groups.length - 1
    if (!(isLast ? LAST : GROUP).test(g)) throw invalid(`malformed tile index in ${path}`)
    index = index * 1000 + Number(isLast ? g : g.slice(1))
  }
  if (!Number.isSafeInteger(index)) throw invalid(`tile index too large in ${path}`)
  const t: TileRef = { level, index, width, kind }
  let canonical: string
  try {
    canonical = tilePath(t)
  } catch {
    throw invalid(`tile path ${path} is out of range`)
  }
  if (canonical !== path) throw invalid(`tile path ${path} is not canonical`)
  return t
}
