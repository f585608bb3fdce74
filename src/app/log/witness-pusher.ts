import {
  formatAddCheckpointRequest,
  type Hash,
  parseVerifierKey,
  verifyCosignatures,
} from '../../core/tlog/index.js'
import type { Clock, LogCheckpointRecord, LogRepository } from '../ports.js'

/** A witness to push checkpoints to: its `add-checkpoint` prefix and its verifier key. */
export interface WitnessTarget {
  /** The submission prefix; `/add-checkpoint` is appended. */
  readonly url: string
  /** The witness's verifier key (signature type 0x04). */
  readonly vkey: string
}

/** The part of the WHATWG `fetch` the pusher uses. */
export type FetchLike = (
  url: string,
  init: {
    readonly method: 'POST'
    readonly body: string
    readonly headers: Readonly<Record<string, string>>
    readonly signal: AbortSignal
  },
) => Promise<{
  readonly status: number
  text(): Promise<string>
}>

const MAX_ATTEMPTS = 3

interface TargetState {
  readonly target: WitnessTarget
  readonly name: string
  /** The size the witness last cosigned, as far as we know (0 until it tells us). */
  knownSize: number
  running: Promise<void> | null
  next: LogCheckpointRecord | null
  retry: NodeJS.Timeout | null
  lastError: string | null
}

/**
 * Pushes each new checkpoint to the configured witnesses (C2SP tlog-witness `add-checkpoint`,
 * with a consistency proof from the size each last cosigned) and stores the cosignatures that
 * verify against the witness's key, to be served with the checkpoint. One push per witness at
 * a time; checkpoints arriving meanwhile collapse into the newest. Failures are retried later
 * and never block the sequencer.
 */
export class WitnessPusher {
  private readonly states: TargetState[]
  private isClosed = false

  constructor(
    private readonly deps: {
      readonly targets: readonly WitnessTarget[]
      readonly fetch: FetchLike
      readonly log: LogRepository
      readonly clock: Clock
      readonly consistencyProof: (oldSize: number, newSize: number) => Promise<Hash[]>
      readonly timeoutMs: number
      readonly retryMs: number
    },
  ) {
    this.states = deps.targets.map((target) => ({
      target,
      name: parseVerifierKey(target.vkey).name,
      knownSize: 0,
      running: null,
      next: null,
      retry: null,
      lastError: null,
    }))
  }

  /** Failures of the latest push per witness URL (null when it succeeded). */
  get errors(): ReadonlyMap<string, string | null> {
    return new Map(this.states.map((s) => [s.target.url, s.lastError]))
  }

  /** Schedules pushing `checkpoint` to every witness. */
  notify(checkpoint: LogCheckpointRecord): void {
    if (this.isClosed) return
    for (const state of this.states) {
      if (state.next === null || state.next.size < checkpoint.size) state.next = checkpoint
      this.drain(state)
    }
  }

  /** Resolves when no push is in flight. */
  async idle(): Promise<void> {
    for (;;) {
      const running = this.states.map((s) => s.running).filter((p) => p !== null)
      if (running.length === 0) return
      await Promise.all(running)
    }
  }

  /** Stops retrying and waits for pushes in flight. */
  async close(): Promise<void> {
    this.isClosed = true
    for (const s of this.states) if (s.retry !== null) clearTimeout(s.retry)
    await this.idle()
  }

  private drain(state: TargetState): void {
    if (state.running !== null || this.isClosed) return
    const checkpoint = state.next
    if (checkpoint === null) return
    state.next = null
    state.running = this.push(state, checkpoint)
      .then(
        () => {
          state.lastError = null
        },
        (error: unknown) => {
          state.lastError = error instanceof Error ? error.message : String(error)
          if (state.next === null) state.next = checkpoint
          if (state.retry === null && !this.isClosed) {
            state.retry = setTimeout(() => {
              state.retry = null
              this.drain(state)
            }, this.deps.retryMs)
            state.retry.unref()
          }
        },
      )
      .finally(() => {
        state.running = null
        if (state.retry === null) this.drain(state)
      })
  }

  private async push(state: TargetState, checkpoint: LogCheckpointRecord): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (state.knownSize > checkpoint.size) return
      const oldSize = state.knownSize
      const proof = oldSize === 0 ? [] : await this.deps.consistencyProof(oldSize, checkpoint.size)
      const body = formatAddCheckpointRequest({ oldSize, proof, checkpoint: checkpoint.note })
      const response = await this.deps.fetch(addCheckpointUrl(state.target.url), {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(this.deps.timeoutMs),
      })
      const text = await response.text()
      if (response.status === 409) {
        // tlog-witness: the body is the size the witness last cosigned; retry from there.
        const size = /^(0|[1-9][0-9]*)\n$/.exec(text)
        if (size === null) throw new Error(`witness ${state.name} answered 409 without a size`)
        state.knownSize = Number(size[1])
        continue
      }
      if (response.status !== 200) {
        throw new Error(`witness ${state.name} answered ${response.status}`)
      }
      const lines = verifiedLines(checkpoint.note, text, state.target.vkey)
      if (lines.length === 0) {
        throw new Error(`witness ${state.name} returned no cosignature that verifies`)
      }
      await this.deps.log.addCosignature(
        checkpoint.size,
        state.name,
        lines.join(''),
        this.deps.clock.nowIso(),
      )
      state.knownSize = checkpoint.size
      return
    }
    throw new Error(`witness ${state.name} kept answering 409`)
  }
}

function addCheckpointUrl(prefix: string): string {
  return `${prefix.replace(/\/+$/, '')}/add-checkpoint`
}

// tlog-witness: the client MUST ignore cosignatures from unknown keys; each line is checked on
// its own, so one bad line cannot smuggle another in.
function verifiedLines(note: string, body: string, vkey: string): string[] {
  const out: string[] = []
  for (const line of body.split('\n')) {
    if (line.length === 0) continue
    try {
      if (verifyCosignatures(`${note}${line}\n`, [vkey]).length === 1) out.push(`${line}\n`)
    } catch {
      // A malformed or failing line is dropped, not attached.
    }
  }
  return out
}
