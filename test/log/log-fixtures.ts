import { NodeIdSource, systemClock } from '../../src/adapters/node-runtime/index.js'
import { KeyRing } from '../../src/app/key-ring.js'
import { DEFAULT_LOG_CONFIG, type LogConfig, LogService } from '../../src/app/log/index.js'
import type { Store } from '../../src/app/ports.js'
import {
  hashesEqual,
  openNote,
  parseCheckpoint,
  proveConsistency,
  storedHashesForRecord,
  treeHash,
  verifyConsistency,
} from '../../src/core/tlog/index.js'

/** The master key every test log shares, so separate processes can open the same key. */
export const TEST_MASTER_KEY = new Uint8Array(32).fill(42)

/** A log service over `store` with a fast batch interval. */
export function testLog(store: Store, config: Partial<LogConfig> = {}): LogService {
  const ids = new NodeIdSource()
  return new LogService({
    store,
    keyRing: new KeyRing({ store, ids, clock: systemClock, masterKey: TEST_MASTER_KEY }),
    clock: systemClock,
    ids,
    config: { ...DEFAULT_LOG_CONFIG, batchIntervalMs: 10, waitTimeoutMs: 20_000, ...config },
    fetch: (url, init) => fetch(url, init),
  })
}

/** Every entry of the log, in order. */
export async function allEntries(store: Store): Promise<Uint8Array[]> {
  const latest = await store.log.latestCheckpoint()
  return [...(await store.log.entries(0, latest?.size ?? 0))]
}

/** Every checkpoint the store holds, ascending. */
export async function allCheckpoints(store: Store) {
  const out = []
  let from = 0
  for (;;) {
    const page = await store.log.checkpoints(from, 1000)
    out.push(...page)
    if (page.length < 1000) return out
    from = (page.at(-1)?.size ?? 0) + 1
  }
}

/**
 * Checks a log from first principles: every checkpoint is signed by `vkey` over its own size
 * and root, the entries recomputed from scratch give every checkpoint's root (so each is a
 * prefix of the final tree), and consecutive checkpoints prove consistent. Returns the sizes.
 */
export async function expectConsistentLog(store: Store, vkey: string): Promise<number[]> {
  const entries = await allEntries(store)
  const stored: Uint8Array[] = []
  const read = (indexes: readonly number[]) => indexes.map((i) => stored[i] as Uint8Array)
  const { leafHash } = await import('../../src/core/tlog/index.js')
  const rootAt = new Map<number, Uint8Array>()
  const checkpoints = await allCheckpoints(store)
  const sizes = new Set(checkpoints.map((c) => c.size))
  if (sizes.has(0)) rootAt.set(0, treeHash(0, read))
  for (const [n, entry] of entries.entries()) {
    for (const h of storedHashesForRecord(n, leafHash(entry), read)) stored.push(h)
    if (sizes.has(n + 1)) rootAt.set(n + 1, treeHash(n + 1, read))
  }
  let previous: { size: number; rootHash: Uint8Array } | null = null
  for (const c of checkpoints) {
    const opened = openNote(c.note, [vkey])
    const parsed = parseCheckpoint(opened.text)
    if (parsed.size !== c.size || !hashesEqual(parsed.rootHash, c.rootHash)) {
      throw new Error(`checkpoint ${c.size}: the note disagrees with its row`)
    }
    const root = rootAt.get(c.size)
    if (root === undefined || !hashesEqual(root, c.rootHash)) {
      throw new Error(`checkpoint ${c.size}: not a prefix of the entries`)
    }
    if (previous !== null) {
      const proof = proveConsistency(c.size, previous.size, read)
      if (!verifyConsistency(previous.size, c.size, previous.rootHash, c.rootHash, proof)) {
        throw new Error(`checkpoints ${previous.size} → ${c.size} are not consistent`)
      }
    }
    previous = c
  }
  return checkpoints.map((c) => c.size)
}
