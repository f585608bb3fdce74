import {
  decodeEntryBundle,
  hashesEqual,
  hashTileIndexes,
  leafHash,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  storedHashesForRecord,
  type TileRef,
  TlogError,
  type TlogErrorCode,
  tilePath,
  tilesForSize,
  treeHash,
  verifyCosignatures,
} from '../../core/tlog/index.js'

/** Where an audit reads a log: paths relative to its prefix (`checkpoint`, `tile/…`). */
export interface TileSource {
  /** The resource's bytes, or null when it does not exist (HTTP 404, no such file). */
  read(path: string): Promise<Uint8Array | null>
}

/** One thing that failed, with the code of the check. */
export interface LogAuditFailure {
  readonly code: TlogErrorCode
  readonly message: string
  readonly path?: string
}

/** The outcome of an audit; `ok` is true only when every check passed. */
export interface LogAuditReport {
  readonly ok: boolean
  readonly origin: string | null
  readonly size: number | null
  readonly rootHash: string | null
  readonly entriesChecked: number
  readonly tilesChecked: number
  /** Cosignatures by the given witness keys that verified. */
  readonly cosignatures: readonly { readonly name: string; readonly timestamp: number }[]
  readonly failures: readonly LogAuditFailure[]
}

const CONCURRENCY = 16

/**
 * Audits a tiled log from its published resources alone: the checkpoint must be signed by
 * `vkey` (and cosigned by each of `witnessVkeys`), every entry bundle must decode, every hash
 * tile must equal the hashes recomputed from the entries, and the recomputed root must equal
 * the checkpoint's. Never throws for what it reads: each failure is reported with its code.
 */
export async function auditLog(
  source: TileSource,
  opts: { readonly vkey: string; readonly witnessVkeys?: readonly string[] },
): Promise<LogAuditReport> {
  const failures: LogAuditFailure[] = []
  const fail = (code: TlogErrorCode, message: string, path?: string) => {
    failures.push(path === undefined ? { code, message } : { code, message, path })
  }
  const report = (fields: Partial<Omit<LogAuditReport, 'ok' | 'failures'>>): LogAuditReport => ({
    ok: failures.length === 0,
    origin: null,
    size: null,
    rootHash: null,
    entriesChecked: 0,
    tilesChecked: 0,
    cosignatures: [],
    ...fields,
    failures,
  })

  const raw = await source.read('checkpoint')
  if (raw === null) {
    fail('LOG_CHECKPOINT_INVALID', 'the log serves no checkpoint', 'checkpoint')
    return report({})
  }
  const note = new TextDecoder('utf-8', { fatal: false }).decode(raw)
  let checkpoint: ReturnType<typeof parseCheckpoint>
  try {
    const opened = openNote(note, [opts.vkey])
    checkpoint = parseCheckpoint(opened.text)
    if (checkpoint.origin !== parseVerifierKey(opts.vkey).name) {
      throw new TlogError('LOG_CHECKPOINT_INVALID', 'the checkpoint origin is not the key name')
    }
  } catch (error) {
    fail(codeOf(error), messageOf(error), 'checkpoint')
    return report({})
  }
  const cosignatures: { name: string; timestamp: number }[] = []
  const witnessVkeys = opts.witnessVkeys ?? []
  if (witnessVkeys.length > 0) {
    try {
      const verified = verifyCosignatures(note, witnessVkeys)
      for (const c of verified) cosignatures.push({ name: c.name, timestamp: c.timestamp })
      for (const vkey of witnessVkeys) {
        const name = parseVerifierKey(vkey).name
        if (!verified.some((c) => c.name === name)) {
          fail('LOG_SIGNATURE_INVALID', `no cosignature by witness ${name}`, 'checkpoint')
        }
      }
    } catch (error) {
      fail(codeOf(error), messageOf(error), 'checkpoint')
    }
  }

  const { size } = checkpoint
  const tiles = tilesForSize(size)
  const bundles = tiles.filter((t) => t.kind === 'entries')
  const hashTiles = tiles.filter((t) => t.kind === 'hash')
  const fetched = await readAll(source, tiles)

  // Leaf hashes from the entries; a bundle that fails leaves its leaves unknown.
  const leaves: (Uint8Array | undefined)[] = new Array(size)
  let entriesChecked = 0
  for (const tile of bundles) {
    const path = tilePath(tile)
    const bytes = fetched.get(path)
    if (bytes === null || bytes === undefined) {
      fail('LOG_INDEX_OUT_OF_RANGE', 'entry bundle missing', path)
      continue
    }
    try {
      const entries = decodeEntryBundle(bytes)
      if (entries.length !== tile.width) {
        throw new TlogError(
          'LOG_BUNDLE_INVALID',
          `the bundle holds ${entries.length} entries, not ${tile.width}`,
        )
      }
      for (const [i, entry] of entries.entries()) {
        leaves[tile.index * 256 + i] = leafHash(entry)
        entriesChecked++
      }
    } catch (error) {
      fail(codeOf(error), messageOf(error), path)
    }
  }

  const base = {
    origin: checkpoint.origin,
    size,
    rootHash: Buffer.from(checkpoint.rootHash).toString('base64'),
    entriesChecked,
    cosignatures,
  }
  if (leaves.length !== size || entriesChecked !== size) {
    return report({ ...base, tilesChecked: 0 })
  }

  // Every stored hash of the tree, recomputed from the leaves (Go tlog layout).
  const stored: Uint8Array[] = []
  const read = (indexes: readonly number[]) => indexes.map((i) => stored[i] as Uint8Array)
  for (let n = 0; n < size; n++) {
    for (const h of storedHashesForRecord(n, leaves[n] as Uint8Array, read)) stored.push(h)
  }

  let tilesChecked = 0
  for (const tile of hashTiles) {
    const path = tilePath(tile)
    const bytes = fetched.get(path)
    if (bytes === null || bytes === undefined) {
      fail('LOG_INDEX_OUT_OF_RANGE', 'tile missing', path)
      continue
    }
    const indexes = hashTileIndexes(tile)
    const isSame =
      bytes.length === indexes.length * 32 &&
      indexes.every((i, k) =>
        hashesEqual(stored[i] as Uint8Array, bytes.subarray(k * 32, k * 32 + 32)),
      )
    if (!isSame) fail('LOG_PROOF_INVALID', 'the tile does not match the entries', path)
    tilesChecked++
  }
  if (!hashesEqual(treeHash(size, read), checkpoint.rootHash)) {
    fail('LOG_PROOF_INVALID', 'the entries do not hash to the checkpoint root', 'checkpoint')
  }
  return report({ ...base, tilesChecked })
}

async function readAll(
  source: TileSource,
  tiles: readonly TileRef[],
): Promise<Map<string, Uint8Array | null>> {
  const out = new Map<string, Uint8Array | null>()
  let next = 0
  const worker = async () => {
    while (next < tiles.length) {
      const path = tilePath(tiles[next++] as TileRef)
      out.set(path, await source.read(path))
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tiles.length) }, worker))
  return out
}

function codeOf(error: unknown): TlogErrorCode {
  if (error instanceof TlogError) return error.code
  throw error
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
