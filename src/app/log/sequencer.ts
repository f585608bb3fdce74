import {
  EMPTY_TREE_HASH,
  formatCheckpoint,
  type HashReader,
  hashesEqual,
  leafHash,
  parseCheckpoint,
  signNote,
  storedHashCount,
  storedHashesForRecord,
  storedHashesForRecordIndexes,
  treeHash,
  treeHashIndexes,
} from '../../core/tlog/index.js'
import type { Signer } from '../key-ring.js'
import type { Clock, LeaderLease, LogCheckpointRecord, LogSubmission, Store } from '../ports.js'
import { StorageError } from '../storage-error.js'
import { LogError } from './log-error.js'
import { noteText, readerOver } from './log-reads.js'

/** The leader-lock role of the log's single writer. */
export const SEQUENCER_ROLE = 'selvedge-log-sequencer'

// Sequenced submissions are kept this long so that slow waiters still find their index.
const PENDING_RETENTION_MS = 24 * 60 * 60 * 1000
const PRUNE_EVERY_MS = 60 * 60 * 1000

/** The sequencer's view of the tree: the latest checkpoint it knows to be stored. */
export interface TreeState {
  readonly origin: string
  readonly size: number
  readonly rootHash: Uint8Array
}

export interface SequencerOptions {
  /** The origin (and key name) of a new log; an existing log keeps the one it was created with. */
  readonly origin: string
  /** How long the sequencer waits for submissions from other processes between batches. */
  readonly batchIntervalMs: number
  /** The most entries one checkpoint covers. */
  readonly maxBatch: number
}

/**
 * The log's single writer. While it holds the leader role it takes queued submissions in
 * batches, computes their stored hashes and the new root with the core, signs one checkpoint
 * per batch and commits entries, hashes, checkpoint and the submissions' indexes in one
 * transaction. Everything it knows is reloaded from the database after any failure, so a
 * restart (or a takeover by another process) continues from the latest stored checkpoint.
 *
 * No fork: a checkpoint is signed only for `storedSize + batch`, and the store refuses a
 * second checkpoint of one size (its primary key) or an append whose old size is not the
 * latest; a signature over a batch whose commit failed is discarded, never published.
 */
export class LogSequencer {
  private state: TreeState | null = null
  private lease: LeaderLease | null = null
  private running: Promise<void> | null = null
  private isStopped = false
  private isKicked = false
  private wake: (() => void) | null = null
  private lastPruneMs = 0
  /** The last failure of a cycle, for diagnostics; cleared by a successful one. */
  lastError: unknown = null

  constructor(
    private readonly deps: {
      readonly store: Store
      readonly clock: Clock
      readonly signer: () => Promise<Signer>
      readonly options: SequencerOptions
      /** Called after each append with its checkpoint and each submission's new index. */
      readonly onCommit: (
        checkpoint: LogCheckpointRecord,
        sequenced: readonly { readonly id: string; readonly index: number }[],
      ) => void
    },
  ) {}

  /** True while this process holds the sequencer role. */
  get isLeader(): boolean {
    return this.lease?.isHeld === true
  }

  /** Starts the loop (idempotent; not after `stop`). */
  start(): void {
    if (this.running !== null || this.isStopped) return
    this.running = this.loop()
  }

  /** Asks the loop to run a cycle now rather than at the next interval (leader only). */
  kick(): void {
    this.isKicked = true
    if (this.isLeader) this.wake?.()
  }

  /** Stops the loop after the cycle in flight and gives the role up. */
  async stop(): Promise<void> {
    this.isStopped = true
    this.wake?.()
    await this.running
    await this.lease?.release()
    this.lease = null
  }

  /**
   * Ensures the log has a first checkpoint (size 0) and returns the stored tree, checking that
   * the stored hashes agree with the latest checkpoint. Throws `LOG_STATE_INVALID` when not.
   */
  async load(): Promise<TreeState> {
    const { store } = this.deps
    let latest = await store.log.latestCheckpoint()
    if (latest === null) {
      const checkpoint = await this.sign(this.deps.options.origin, 0, EMPTY_TREE_HASH)
      try {
        await store.log.append({ oldSize: 0, entries: [], hashes: [], checkpoint })
      } catch (error) {
        // Another process created the log first; use its checkpoint.
        if (!(error instanceof StorageError && error.code === 'STORAGE_CONFLICT')) throw error
      }
      latest = await store.log.latestCheckpoint()
      if (latest === null) throw new LogError('LOG_STATE_INVALID', 'the log has no checkpoint')
    }
    const parsed = parseCheckpoint(noteText(latest.note))
    const indexes = treeHashIndexes(latest.size)
    const stored = await store.log.hashes(indexes)
    const root = treeHash(latest.size, readerOver(stored))
    if (
      parsed.size !== latest.size ||
      !hashesEqual(parsed.rootHash, latest.rootHash) ||
      !hashesEqual(root, latest.rootHash)
    ) {
      throw new LogError(
        'LOG_STATE_INVALID',
        `the stored tree does not match the checkpoint of size ${latest.size}`,
      )
    }
    return { origin: parsed.origin, size: latest.size, rootHash: latest.rootHash }
  }

  /**
   * One cycle: take or keep the role, then append up to `maxBatch` queued submissions.
   * Returns true when a full batch was appended (more may be waiting).
   */
  async cycle(): Promise<boolean> {
    const { store, options } = this.deps
    if (this.lease === null || !this.lease.isHeld) {
      this.state = null
      this.lease = await store.leaderLock.tryAcquire(SEQUENCER_ROLE)
      if (this.lease === null) return false
    }
    this.state ??= await this.load()
    await this.prune()
    const pending = await store.log.pending(options.maxBatch)
    if (pending.length === 0) return false
    try {
      await this.append(this.state, pending)
    } catch (error) {
      // Another writer moved the tree (or took these submissions): reload and go again.
      this.state = null
      if (error instanceof StorageError && error.code === 'STORAGE_CONFLICT') return true
      throw error
    }
    return pending.length === options.maxBatch
  }

  private async loop(): Promise<void> {
    while (!this.isStopped) {
      let isBusy = false
      try {
        isBusy = await this.cycle()
        this.lastError = null
      } catch (error) {
        this.lastError = error
        this.state = null
      }
      if (this.isStopped) break
      if (!isBusy) await this.idle()
    }
  }

  private idle(): Promise<void> {
    if (this.isKicked && this.isLeader) {
      this.isKicked = false
      // A short gather window lets submissions committing at the same moment share one append
      // and one signed checkpoint, instead of one each: under load that halves the writes.
      return new Promise((resolve) => setTimeout(resolve, GATHER_MS))
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.wake = null
        this.isKicked = false
        resolve()
      }
      const timer = setTimeout(done, this.deps.options.batchIntervalMs)
      this.wake = done
    })
  }

  private async append(state: TreeState, pending: readonly LogSubmission[]): Promise<void> {
    const oldSize = state.size
    const newSize = oldSize + pending.length
    const base = storedHashCount(oldSize)
    // The stored hashes the core will read that are already in the database: the right edge
    // of the old tree, at most a few dozen whatever the batch size.
    const needed = new Set<number>()
    for (let n = oldSize; n < newSize; n++) {
      for (const i of storedHashesForRecordIndexes(n)) if (i < base) needed.add(i)
    }
    for (const i of treeHashIndexes(newSize)) if (i < base) needed.add(i)
    const old = await this.deps.store.log.hashes([...needed])
    const fresh: Uint8Array[] = []
    const oldReader = readerOver(old)
    const read: HashReader = (indexes) =>
      indexes.map((i) => (i >= base ? freshAt(fresh, i - base) : (oldReader([i])[0] as Uint8Array)))
    for (const [k, submission] of pending.entries()) {
      for (const h of storedHashesForRecord(oldSize + k, leafHash(submission.entry), read)) {
        fresh.push(h)
      }
    }
    const rootHash = treeHash(newSize, read)
    const checkpoint = await this.sign(state.origin, newSize, rootHash)
    await this.deps.store.log.append({ oldSize, entries: pending, hashes: fresh, checkpoint })
    this.state = { origin: state.origin, size: newSize, rootHash }
    this.deps.onCommit(
      checkpoint,
      pending.map((p, k) => ({ id: p.id, index: oldSize + k })),
    )
  }

  private async sign(
    origin: string,
    size: number,
    rootHash: Uint8Array,
  ): Promise<LogCheckpointRecord> {
    const signer = await this.deps.signer()
    const body = formatCheckpoint({ origin, size, rootHash })
    const note = signNote(body, [
      { name: origin, publicKey: signer.publicKey, sign: (message) => signer.sign(message) },
    ])
    return { size, rootHash, note, createdAt: this.deps.clock.nowIso() }
  }

  private async prune(): Promise<void> {
    const now = Date.parse(this.deps.clock.nowIso())
    if (now - this.lastPruneMs < PRUNE_EVERY_MS) return
    this.lastPruneMs = now
    await this.deps.store.log.prunePending(new Date(now - PENDING_RETENTION_MS).toISOString())
  }
}

// How long a kicked sequencer waits for other submissions before appending.
const GATHER_MS = 2

function freshAt(fresh: readonly Uint8Array[], i: number): Uint8Array {
  const h = fresh[i]
  if (h === undefined) throw new LogError('LOG_STATE_INVALID', `stored hash ${i} not computed`)
  return h
}
