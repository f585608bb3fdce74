import {
  consistencyProofIndexes,
  encodeEntryBundle,
  formatProofFile,
  formatVerifierKey,
  type Hash,
  hashTileIndexes,
  inclusionProofIndexes,
  parseCheckpoint,
  parseTilePath,
  proveConsistency,
  proveInclusion,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileRef,
  TlogError,
  tilePath,
  tilesForSize,
} from '../../core/tlog/index.js'
import type { KeyRing } from '../key-ring.js'
import type { Clock, IdSource, LogCheckpointRecord, LogSubmission, Store } from '../ports.js'
import { checkEntrySize, encodeLogEntry, type LogEntryInput } from './log-entry.js'
import { LogError } from './log-error.js'
import { noteText, readerOver } from './log-reads.js'
import { LogSequencer } from './sequencer.js'
import { type FetchLike, WitnessPusher, type WitnessTarget } from './witness-pusher.js'

/** The log's settings, resolved. */
export interface LogConfig {
  /** Origin line and key name of a new log (C2SP tlog-checkpoint). */
  readonly origin: string
  /** Most time between batches for submissions from other processes (≤ 1 s by default). */
  readonly batchIntervalMs: number
  /** Most entries per checkpoint. */
  readonly maxBatch: number
  /** How long `waitFor` waits before `LOG_UNAVAILABLE`. */
  readonly waitTimeoutMs: number
  /** Witnesses to push each checkpoint to. */
  readonly witnesses: readonly WitnessTarget[]
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  origin: 'selvedge.local/log',
  batchIntervalMs: 1_000,
  maxBatch: 20_000,
  waitTimeoutMs: 60_000,
  witnesses: [],
}

/** What other services need from the log. */
export interface EventLog {
  /**
   * Queues entries through `store`: pass a transaction's store and they commit (or roll back)
   * with it. Returns one submission id per entry. Throws `LOG_ENTRY_INVALID` or
   * `LOG_ENTRY_TOO_LARGE` before writing anything.
   */
  queue(store: Store, entries: readonly (LogEntryInput | Uint8Array)[]): Promise<string[]>
  /**
   * Resolves with the entries' indexes once each is stored and covered by a signed checkpoint.
   * Throws `LOG_SUBMISSION_UNKNOWN` for an id never queued (or rolled back), `LOG_UNAVAILABLE`
   * when not sequenced within the wait timeout.
   */
  waitFor(ids: readonly string[]): Promise<number[]>
}

/** The checkpoint as served: the log's signed note with witness cosignatures appended. */
export interface ServedCheckpoint {
  readonly origin: string
  readonly size: number
  readonly rootHash: Uint8Array
  readonly note: string
}

/** A tile's bytes and whether it is full (and so immutable). */
export interface TileData {
  readonly bytes: Uint8Array
  readonly isFull: boolean
}

const TILE_CACHE_ENTRIES = 2_048
const TILE_CACHE_MAX_BYTES = 64 * 1024
const WITNESS_TIMEOUT_MS = 10_000
const WITNESS_RETRY_MS = 5_000
const MAX_POLL_MS = 250
// While this process sequences, its commits report our entries; the poll is only a safety net.
const LEADER_POLL_MS = 50
// Enough to cover every submission committed while its waiter was on its way to `waitFor`.
const RECENTLY_SEQUENCED = 4_096

type SequencedListener = (id: string, index: number) => void

/**
 * The transparency log: submission, waiting for inclusion, and every read (checkpoint, tiles,
 * proofs, the verifier key). One sequencer per process competes for the leader role; the
 * others only queue and wait, so any number of processes may share the database.
 */
export class LogService implements EventLog {
  private readonly sequencer: LogSequencer
  private readonly pusher: WitnessPusher | null
  private readonly tileCache = new Map<string, Uint8Array>()
  /** Who waits for which submission: `waitFor` calls, told by `committed`. */
  private readonly listeners = new Map<string, SequencedListener[]>()
  /** The latest submissions this process sequenced, by id: their indexes. */
  private readonly recentlySequenced = new Map<string, number>()
  private knownSize = -1
  private isClosed = false

  constructor(
    private readonly deps: {
      readonly store: Store
      readonly keyRing: KeyRing
      readonly clock: Clock
      readonly ids: IdSource
      readonly config: LogConfig
      readonly fetch?: FetchLike
    },
  ) {
    this.pusher =
      deps.config.witnesses.length === 0 || deps.fetch === undefined
        ? null
        : new WitnessPusher({
            targets: deps.config.witnesses,
            fetch: deps.fetch,
            log: deps.store.log,
            clock: deps.clock,
            consistencyProof: (oldSize, newSize) => this.consistency(oldSize, newSize),
            timeoutMs: WITNESS_TIMEOUT_MS,
            retryMs: WITNESS_RETRY_MS,
          })
    this.sequencer = new LogSequencer({
      store: deps.store,
      clock: deps.clock,
      signer: () => deps.keyRing.signer(null, 'log'),
      options: {
        origin: deps.config.origin,
        batchIntervalMs: deps.config.batchIntervalMs,
        maxBatch: deps.config.maxBatch,
      },
      onCommit: (checkpoint, sequenced) => this.committed(checkpoint, sequenced),
    })
  }

  /** Starts this process's sequencer loop (idempotent); submitting starts it too. */
  start(): void {
    if (!this.isClosed) this.sequencer.start()
  }

  /** True while this process is the log's sequencer. */
  get isSequencer(): boolean {
    return this.sequencer.isLeader
  }

  /** The witness pusher's last error per witness URL (empty without witnesses). */
  get witnessErrors(): ReadonlyMap<string, string | null> {
    return this.pusher?.errors ?? new Map()
  }

  /** Resolves when no witness push is in flight. */
  async witnessesIdle(): Promise<void> {
    await this.pusher?.idle()
  }

  /** Stops the sequencer (finishing the batch in flight) and the witness pusher. */
  async close(): Promise<void> {
    this.isClosed = true
    await this.sequencer.stop()
    await this.pusher?.close()
  }

  async queue(store: Store, entries: readonly (LogEntryInput | Uint8Array)[]): Promise<string[]> {
    const bytes = entries.map((e) =>
      e instanceof Uint8Array ? checkEntrySize(e) : encodeLogEntry(e),
    )
    const submittedAt = this.deps.clock.nowIso()
    const submissions: LogSubmission[] = bytes.map((entry) => ({
      id: this.deps.ids.next('lsb'),
      entry,
      submittedAt,
    }))
    await store.log.submit(submissions)
    return submissions.map((s) => s.id)
  }

  /** Queues entries in their own transaction and wakes the local sequencer. */
  async submit(entries: readonly (LogEntryInput | Uint8Array)[]): Promise<string[]> {
    const ids = await this.queue(this.deps.store, entries)
    this.start()
    this.sequencer.kick()
    return ids
  }

  /** Submits and waits: the entries' indexes once covered by a signed checkpoint. */
  async append(entries: readonly (LogEntryInput | Uint8Array)[]): Promise<number[]> {
    return this.waitFor(await this.submit(entries))
  }

  async waitFor(ids: readonly string[]): Promise<number[]> {
    if (ids.length === 0) return []
    this.start()
    this.sequencer.kick()
    const unique = [...new Set(ids)]
    const found = new Map<string, number>()
    // This process's sequencer reports what it appends as it commits (`committed`), so while it
    // sequences, a waiter reads the database only as a fallback; it polls when another process
    // does. Entries appended just before we started listening are in `recentlySequenced`.
    for (const id of unique) {
      const index = this.recentlySequenced.get(id)
      if (index !== undefined) found.set(id, index)
    }
    if (found.size === unique.length) return ids.map((id) => found.get(id) as number)
    let wake = () => {}
    const listener = (id: string, index: number) => {
      found.set(id, index)
      if (found.size === unique.length) wake()
    }
    for (const id of unique) this.listen(id, listener)
    try {
      const deadline = Date.now() + this.deps.config.waitTimeoutMs
      let poll = !this.sequencer.isLeader
      let delayMs = poll ? 2 : LEADER_POLL_MS
      for (;;) {
        if (poll && found.size < unique.length) {
          const open = unique.filter((id) => !found.has(id))
          const known = await this.deps.store.log.indexesOf(open)
          for (const id of open) {
            if (found.has(id)) continue
            if (!known.has(id)) {
              throw new LogError('LOG_SUBMISSION_UNKNOWN', `no log submission ${id}`)
            }
            const index = known.get(id)
            if (index !== null && index !== undefined) found.set(id, index)
          }
        }
        if (found.size === unique.length) break
        if (Date.now() >= deadline) {
          throw new LogError(
            'LOG_UNAVAILABLE',
            `${unique.length - found.size} log entries were not sequenced within ${this.deps.config.waitTimeoutMs} ms`,
          )
        }
        const reported = new Promise<void>((resolve) => {
          wake = resolve
        })
        await Promise.race([reported, sleep(delayMs)])
        poll = true
        delayMs = Math.min(delayMs * 2, MAX_POLL_MS)
      }
      return ids.map((id) => found.get(id) as number)
    } finally {
      for (const id of unique) this.unlisten(id, listener)
    }
  }

  private listen(id: string, listener: SequencedListener): void {
    const list = this.listeners.get(id)
    if (list === undefined) this.listeners.set(id, [listener])
    else list.push(listener)
  }

  private unlisten(id: string, listener: SequencedListener): void {
    const list = this.listeners.get(id)?.filter((l) => l !== listener) ?? []
    if (list.length === 0) this.listeners.delete(id)
    else this.listeners.set(id, list)
  }

  /** The latest checkpoint with witness cosignatures attached (creating the log if new). */
  async checkpoint(): Promise<ServedCheckpoint> {
    const latest = await this.latest()
    const cosignatures = await this.deps.store.log.cosignatures(latest.size)
    const parsed = parseCheckpoint(noteText(latest.note))
    return {
      origin: parsed.origin,
      size: latest.size,
      rootHash: latest.rootHash,
      note: latest.note + cosignatures.join(''),
    }
  }

  /** The log's verifier key: `origin+keyid+base64(0x01 ‖ public key)`. */
  async vkey(): Promise<string> {
    const latest = await this.latest()
    const origin = parseCheckpoint(noteText(latest.note)).origin
    const signer = await this.deps.keyRing.signer(null, 'log')
    return formatVerifierKey(origin, signer.publicKey)
  }

  /** The entry at `index`. Throws `LOG_INDEX_OUT_OF_RANGE` beyond the latest checkpoint. */
  async entry(index: number): Promise<Uint8Array> {
    const size = (await this.latest()).size
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new TlogError('LOG_INDEX_OUT_OF_RANGE', `no entry ${index} in a log of size ${size}`)
    }
    const [entry] = await this.deps.store.log.entries(index, index + 1)
    if (entry === undefined) throw new LogError('LOG_STATE_INVALID', `entry ${index} is missing`)
    return entry
  }

  /**
   * A tile or entry bundle by its tlog-tiles path (`tile/…`). Throws `LOG_TILE_PATH_INVALID`
   * for a path that is not canonical, `LOG_INDEX_OUT_OF_RANGE` for a tile beyond the tree.
   */
  async tile(path: string): Promise<TileData> {
    const tile = parseTilePath(path)
    const isFull = tile.width === TILE_WIDTH
    const key = tilePath(tile)
    const cached = this.tileCache.get(key)
    if (cached !== undefined) return { bytes: cached, isFull }
    await this.requireCovered(tile)
    const bytes = await this.readTile(tile)
    if (isFull && bytes.length <= TILE_CACHE_MAX_BYTES) {
      if (this.tileCache.size >= TILE_CACHE_ENTRIES) {
        const oldest = this.tileCache.keys().next().value
        if (oldest !== undefined) this.tileCache.delete(oldest)
      }
      this.tileCache.set(key, bytes)
    }
    return { bytes, isFull }
  }

  /** Every tile and entry bundle of the latest checkpoint's tree, with the checkpoint. */
  async tiles(): Promise<{ checkpoint: ServedCheckpoint; paths: string[] }> {
    const checkpoint = await this.checkpoint()
    return { checkpoint, paths: tilesForSize(checkpoint.size).map(tilePath) }
  }

  /**
   * A C2SP tlog-proof file proving entry `index` against the latest checkpoint (cosignatures
   * included). Throws `LOG_INDEX_OUT_OF_RANGE` beyond it.
   */
  async proof(index: number): Promise<string> {
    const checkpoint = await this.checkpoint()
    const indexes = inclusionProofIndexes(checkpoint.size, index)
    const stored = await this.deps.store.log.hashes(indexes)
    const proof = proveInclusion(checkpoint.size, index, readerOver(stored))
    return formatProofFile({ index, proof, checkpoint: checkpoint.note })
  }

  /**
   * tlog-proof files for several entries against one checkpoint (the latest), reading the
   * stored hashes once: what a document proving many entries needs.
   */
  async proofs(indexes: readonly number[]): Promise<{ checkpoint: string; proofs: string[] }> {
    const checkpoint = await this.checkpoint()
    for (const index of indexes) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= checkpoint.size) {
        throw new TlogError(
          'LOG_INDEX_OUT_OF_RANGE',
          `no entry ${index} in a log of size ${checkpoint.size}`,
        )
      }
    }
    const needed = [...new Set(indexes.flatMap((i) => inclusionProofIndexes(checkpoint.size, i)))]
    const stored = await this.deps.store.log.hashes(needed)
    const reader = readerOver(stored)
    return {
      checkpoint: checkpoint.note,
      proofs: indexes.map((index) =>
        formatProofFile({
          index,
          proof: proveInclusion(checkpoint.size, index, reader),
          checkpoint: checkpoint.note,
        }),
      ),
    }
  }

  /**
   * The consistency proof from tree size `oldSize` to `newSize` (default: the latest).
   * Throws `LOG_SIZE_INVALID` when old > new, `LOG_INDEX_OUT_OF_RANGE` beyond the latest size.
   */
  async consistency(oldSize: number, newSize?: number): Promise<Hash[]> {
    const latest = (await this.latest()).size
    const to = newSize ?? latest
    if (Number.isSafeInteger(to) && to > latest) {
      throw new TlogError(
        'LOG_INDEX_OUT_OF_RANGE',
        `tree size ${to} is beyond the latest checkpoint (${latest})`,
      )
    }
    const indexes = consistencyProofIndexes(to, oldSize)
    const stored = await this.deps.store.log.hashes(indexes)
    return proveConsistency(to, oldSize, readerOver(stored))
  }

  private committed(
    checkpoint: LogCheckpointRecord,
    sequenced: readonly { readonly id: string; readonly index: number }[],
  ): void {
    if (checkpoint.size > this.knownSize) this.knownSize = checkpoint.size
    for (const { id, index } of sequenced) {
      if (this.recentlySequenced.size >= RECENTLY_SEQUENCED) {
        const oldest = this.recentlySequenced.keys().next().value
        if (oldest !== undefined) this.recentlySequenced.delete(oldest)
      }
      this.recentlySequenced.set(id, index)
      for (const listener of this.listeners.get(id) ?? []) listener(id, index)
    }
    this.pusher?.notify(checkpoint)
  }

  private async latest(): Promise<LogCheckpointRecord> {
    let latest = await this.deps.store.log.latestCheckpoint()
    if (latest === null) {
      await this.sequencer.load()
      latest = await this.deps.store.log.latestCheckpoint()
      if (latest === null) throw new LogError('LOG_STATE_INVALID', 'the log has no checkpoint')
    }
    if (latest.size > this.knownSize) this.knownSize = latest.size
    return latest
  }

  // A tile exists once the tree covers its last hash or entry. The tree only grows, so a size
  // seen once stays valid and most requests skip reading the latest checkpoint.
  private async requireCovered(tile: TileRef): Promise<void> {
    const span = 2 ** (TILE_HEIGHT * tile.level)
    const end = (tile.index * TILE_WIDTH + tile.width) * span
    if (end <= this.knownSize) return
    const size = (await this.latest()).size
    if (end > size) {
      throw new TlogError(
        'LOG_INDEX_OUT_OF_RANGE',
        `${tilePath(tile)} is beyond the latest checkpoint (size ${size})`,
      )
    }
  }

  private async readTile(tile: TileRef): Promise<Uint8Array> {
    switch (tile.kind) {
      case 'hash': {
        const indexes = hashTileIndexes(tile)
        const hashes = readerOver(await this.deps.store.log.hashes(indexes))(indexes)
        const out = new Uint8Array(hashes.length * 32)
        for (const [i, h] of hashes.entries()) out.set(h, i * 32)
        return out
      }
      case 'entries': {
        const start = tile.index * TILE_WIDTH
        const entries = await this.deps.store.log.entries(start, start + tile.width)
        if (entries.length !== tile.width) {
          throw new LogError('LOG_STATE_INVALID', `entries of ${tilePath(tile)} are missing`)
        }
        return encodeEntryBundle(entries)
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
