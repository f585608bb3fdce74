import { EMPTY_TREE_HASH, type Hash, leafHash, memoryTree, treeHash } from '../tlog/index.js'
import type { MeteringErrorCode } from './metering-error.js'
import { checkUsageEvent, type UsageKind } from './usage-event.js'

// The part of ingest that needs nothing but the request: validating each event, its RFC 8785
// canonical form and its Merkle leaf hash. It is most of the CPU a large batch costs before the
// database sees it, and it is pure, so a worker thread can do it while the main thread writes
// the previous batch. Its output is plain data, cheap to pass between threads: strings and
// numbers per event, and every leaf hash packed into one buffer.

/** What ingest keeps of a valid usage event. */
export interface PreparedEvent {
  /** Position of the event in the request. */
  readonly index: number
  readonly id: string
  readonly source: string
  readonly kind: UsageKind
  /** The grant id, lower case. */
  readonly subject: string
  /** Normalised ISO 8601 UTC with milliseconds, and as epoch milliseconds. */
  readonly time: string
  readonly timeMs: number
  readonly units: number
  readonly assetId?: string
  /** The idempotency key: JSON `[source, id]`. */
  readonly key: string
  /** The RFC 8785 canonical JSON of the event as received: its stored form and Merkle leaf. */
  readonly canonical: string
}

/** An event refused before any grant is looked at. */
export interface PreparedRejection {
  readonly index: number
  readonly code: MeteringErrorCode
  readonly message: string
}

/** A request's events, validated and hashed. */
export interface PreparedUsage {
  /** How many events the request carried. */
  readonly count: number
  /** True when the request was one event rather than an array. */
  readonly single: boolean
  readonly events: readonly PreparedEvent[]
  /** `leafHash(canonical)` of `events[i]` at bytes `32·i … 32·i+31`. */
  readonly leaves: Uint8Array
  /** The RFC 9162 Merkle tree hash over all of `events`: the batch root when all are accepted. */
  readonly root: Uint8Array
  readonly rejected: readonly PreparedRejection[]
}

/** Why a request as a whole cannot be read. */
export type UsageBodyProblem =
  | { readonly code: 'USAGE_BATCH_EMPTY'; readonly message: string }
  | { readonly code: 'USAGE_BATCH_TOO_LARGE'; readonly message: string }
  | { readonly code: 'USAGE_BODY_INVALID'; readonly message: string }

/** The most events one request may carry. */
export const MAX_USAGE_BATCH = 10_000

const HASH_SIZE = 32

/** The leaf hash of `prepared.events[i]`, a view into `prepared.leaves`. */
export function preparedLeaf(prepared: PreparedUsage, i: number): Hash {
  return prepared.leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)
}

/**
 * Validates and hashes a request body already parsed from JSON: one event or an array of them.
 * Returns a problem for an empty or oversized array; bad events are listed in `rejected`.
 */
export function prepareUsage(body: unknown): PreparedUsage | UsageBodyProblem {
  const single = !Array.isArray(body)
  const raws: readonly unknown[] = single ? [body] : (body as unknown[])
  if (raws.length === 0) return { code: 'USAGE_BATCH_EMPTY', message: 'the batch has no events' }
  if (raws.length > MAX_USAGE_BATCH) {
    return {
      code: 'USAGE_BATCH_TOO_LARGE',
      message: `a request carries at most ${MAX_USAGE_BATCH} events; this one has ${raws.length}`,
    }
  }
  const events: PreparedEvent[] = []
  const rejected: PreparedRejection[] = []
  const hashes: Hash[] = []
  for (let index = 0; index < raws.length; index++) {
    const e = checkUsageEvent(raws[index])
    if ('ok' in e) {
      rejected.push({ index, code: e.code, message: e.message })
      continue
    }
    hashes.push(leafHash(e.bytes))
    events.push({
      index,
      id: e.id,
      source: e.source,
      kind: e.kind,
      subject: e.subject,
      time: e.time,
      timeMs: e.timeMs,
      units: e.units,
      ...(e.assetId === undefined ? {} : { assetId: e.assetId }),
      key: JSON.stringify([e.source, e.id]),
      canonical: e.canonical,
    })
  }
  const leaves = new Uint8Array(hashes.length * HASH_SIZE)
  hashes.forEach((h, i) => {
    leaves.set(h, i * HASH_SIZE)
  })
  return { count: raws.length, single, events, leaves, root: merkleRoot(hashes), rejected }
}

/**
 * The RFC 9162 §2.1.1 Merkle tree hash over leaf hashes already computed (what `usageBatchRoot`
 * computes from the events); `SHA-256("")` for none.
 */
export function merkleRoot(leaves: readonly Hash[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_TREE_HASH.slice()
  return treeHash(leaves.length, memoryTree(leaves))
}

/**
 * {@link prepareUsage} of a request body as JSON text (what a worker thread receives). Text that
 * is not JSON is a `USAGE_BODY_INVALID` problem.
 */
export function prepareUsageJson(text: string): PreparedUsage | UsageBodyProblem {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (e) {
    return {
      code: 'USAGE_BODY_INVALID',
      message: `the body is not JSON: ${e instanceof Error ? e.message : String(e)}`,
    }
  }
  return prepareUsage(body)
}

/** True when {@link prepareUsage} returned a problem rather than prepared events. */
export function isUsageBodyProblem(
  outcome: PreparedUsage | UsageBodyProblem,
): outcome is UsageBodyProblem {
  return 'code' in outcome
}
