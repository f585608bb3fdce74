import { CanonicalJsonError, canonicalJson, canonicalJsonBytes } from '../canonical-json/index.js'
import {
  EMPTY_TREE_HASH,
  type HashReader,
  leafHash,
  memoryTree,
  proveInclusion,
  treeHash,
} from '../tlog/index.js'
import type { MeteringErrorCode } from './metering-error.js'
import { formatTimestamp, parseTimestamp } from './timestamp.js'

// Usage arrives as CloudEvents 1.0 structured-mode JSON (CloudEvents spec §3, JSON format §3)
// from studio-side integrations, so every field here is attacker-controlled: parsing returns a
// value and never throws. Each accepted event keeps its raw object so that its RFC 8785 canonical
// bytes can be hashed into a per-batch RFC 9162 Merkle tree, and a licensee can later be shown an
// inclusion proof for any event that was billed.

/** The CloudEvents `type` of each kind of usage we meter. */
export const USAGE_EVENT_TYPES = {
  units: 'dev.selvedge.usage.units',
  variants: 'dev.selvedge.usage.variants',
  downloads: 'dev.selvedge.usage.downloads',
  generations: 'dev.selvedge.usage.generations',
} as const

/** A kind of metered usage. */
export type UsageKind = keyof typeof USAGE_EVENT_TYPES

/** A validated usage event, normalised; `raw` is the event exactly as received. */
export interface UsageEvent {
  readonly id: string
  readonly source: string
  readonly type: string
  readonly kind: UsageKind
  /** The grant id: 16 lower-case hex digits. */
  readonly subject: string
  /** ISO 8601 UTC with milliseconds, e.g. `2026-10-15T12:00:00.000Z`. */
  readonly time: string
  /** `data.units`: a non-negative safe integer. */
  readonly units: number
  /** `data.assetId`, when present. */
  readonly assetId?: string
  /** `data.modelId`, when present. */
  readonly modelId?: string
  readonly data: Readonly<Record<string, unknown>>
  /** The event object as received (a private copy), for canonical hashing. */
  readonly raw: Readonly<Record<string, unknown>>
}

/** The outcome of {@link parseUsageEvent}. */
export type UsageEventCheck =
  | { ok: true; event: UsageEvent }
  | { ok: false; code: MeteringErrorCode; message: string }

/** The most characters in `id`, `source`, `dataschema`, `data.assetId` and `data.modelId`. */
export const MAX_USAGE_ATTRIBUTE_LENGTH = 256

/** The largest RFC 8785 canonical form of one usage event we accept, in bytes. */
export const MAX_USAGE_EVENT_BYTES = 65_536

const KIND_BY_TYPE = new Map<string, UsageKind>(
  (Object.keys(USAGE_EVENT_TYPES) as UsageKind[]).map((k) => [USAGE_EVENT_TYPES[k], k]),
)

// CloudEvents §3.1.1: attribute names consist of lower-case letters a-z and digits 0-9.
const ATTRIBUTE_NAME = /^[a-z0-9]+$/
const GRANT_ID = /^[0-9a-fA-F]{16}$/
// RFC 7231 §3.1.1.1 media type, parameters allowed (e.g. `; charset=utf-8`).
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;.*)?$/i

// Context attributes with a meaning we check; anything else is an extension attribute.
const KNOWN_ATTRIBUTES = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
])

type Failure = { readonly ok: false; readonly code: MeteringErrorCode; readonly message: string }

function fail(code: MeteringErrorCode, message: string): Failure {
  return { ok: false, code, message }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function boundedString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_USAGE_ATTRIBUTE_LENGTH
}

// CloudEvents §3.1.1 type system: Boolean, Integer (32-bit signed), String (URI, URI-reference
// and Timestamp are strings in JSON). Binary is a base64 string in JSON.
function isExtensionValue(v: unknown): boolean {
  if (typeof v === 'string' || typeof v === 'boolean') return true
  return typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31
}

/**
 * Validates and normalises a CloudEvents 1.0 structured JSON usage event. Never throws: a bad
 * event comes back as `{ ok: false, code, message }` with code `USAGE_TYPE_UNKNOWN` (unknown
 * `type`), `USAGE_UNITS_INVALID` (`data.units` missing or not a non-negative safe integer) or
 * `USAGE_EVENT_INVALID` (anything else). The subject is lower-cased and the time normalised to
 * UTC with milliseconds; `raw` and `data` are a private deep copy of the input.
 */
export function parseUsageEvent(raw: unknown): UsageEventCheck {
  try {
    return parse(raw)
  } catch (e) {
    // Getters or proxies in a hand-built object can throw; input is never trusted.
    return fail('USAGE_EVENT_INVALID', `unreadable event: ${e instanceof Error ? e.message : e}`)
  }
}

/**
 * A usage event validated, without the private copy {@link parseUsageEvent} makes: what a
 * caller that owns the input (freshly parsed JSON) and keeps only these fields needs.
 */
export interface CheckedUsageEvent {
  readonly id: string
  readonly source: string
  readonly type: string
  readonly kind: UsageKind
  readonly subject: string
  readonly time: string
  readonly timeMs: number
  readonly units: number
  readonly assetId?: string
  readonly modelId?: string
  /** RFC 8785 canonical JSON of the input, as text and as UTF-8. */
  readonly canonical: string
  readonly bytes: Uint8Array
}

/** {@link parseUsageEvent} without the copy: the checked fields, or why the event is refused. */
export function checkUsageEvent(raw: unknown): CheckedUsageEvent | Failure {
  try {
    return check(raw)
  } catch (e) {
    return fail('USAGE_EVENT_INVALID', `unreadable event: ${e instanceof Error ? e.message : e}`)
  }
}

function parse(input: unknown): UsageEventCheck {
  const checked = check(input)
  if ('ok' in checked) return checked
  // A private copy, read back from the canonical form (cheaper than structuredClone, and the
  // same I-JSON value): a caller mutating its object later must not change what we hash.
  const copy = JSON.parse(checked.canonical) as Record<string, unknown>
  const { canonical: _text, bytes, timeMs, ...fields } = checked
  const event: UsageEvent = { ...fields, data: copy['data'] as Record<string, unknown>, raw: copy }
  // Computed once here; hashing and the grant check reuse them.
  CANONICAL.set(event, bytes)
  TIME_MS.set(event, timeMs)
  return { ok: true, event }
}

function check(input: unknown): CheckedUsageEvent | Failure {
  if (!isRecord(input)) return fail('USAGE_EVENT_INVALID', 'event must be a JSON object')
  if (input['specversion'] !== '1.0') {
    return fail('USAGE_EVENT_INVALID', 'specversion must be "1.0"')
  }
  for (const name of Object.keys(input)) {
    if (!ATTRIBUTE_NAME.test(name)) {
      return fail('USAGE_EVENT_INVALID', `attribute name "${name}" is not lower-case a-z0-9`)
    }
    if (!KNOWN_ATTRIBUTES.has(name) && !isExtensionValue(input[name])) {
      return fail(
        'USAGE_EVENT_INVALID',
        `extension attribute ${name} must be a string, boolean or integer`,
      )
    }
  }
  const { id, source, type, subject, time, datacontenttype, dataschema, data } = input
  if (!boundedString(id))
    return fail('USAGE_EVENT_INVALID', 'id must be a string of 1–256 characters')
  if (!boundedString(source)) {
    return fail('USAGE_EVENT_INVALID', 'source must be a string of 1–256 characters')
  }
  if (typeof type !== 'string') return fail('USAGE_EVENT_INVALID', 'type must be a string')
  const kind = KIND_BY_TYPE.get(type)
  if (kind === undefined)
    return fail('USAGE_TYPE_UNKNOWN', `unknown usage event type "${type.slice(0, 100)}"`)
  if (typeof subject !== 'string' || !GRANT_ID.test(subject)) {
    return fail('USAGE_EVENT_INVALID', 'subject must be a grant id of 16 hex digits')
  }
  if (typeof time !== 'string') return fail('USAGE_EVENT_INVALID', 'time is required')
  const timeMs = parseTimestamp(time)
  if (timeMs === undefined) {
    return fail('USAGE_EVENT_INVALID', 'time must be an RFC 3339 date-time with a timezone')
  }
  if (datacontenttype !== undefined) {
    if (typeof datacontenttype !== 'string' || !JSON_MEDIA_TYPE.test(datacontenttype)) {
      return fail('USAGE_EVENT_INVALID', 'datacontenttype must be application/json')
    }
  }
  if (dataschema !== undefined && !boundedString(dataschema)) {
    return fail('USAGE_EVENT_INVALID', 'dataschema must be a non-empty URI string')
  }
  if (!isRecord(data)) return fail('USAGE_EVENT_INVALID', 'data must be a JSON object')
  const units = data['units']
  if (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 0) {
    return fail('USAGE_UNITS_INVALID', 'data.units must be a non-negative safe integer')
  }
  const { assetId, modelId } = data
  if (assetId !== undefined && !boundedString(assetId)) {
    return fail('USAGE_EVENT_INVALID', 'data.assetId must be a string of 1–256 characters')
  }
  if (modelId !== undefined && !boundedString(modelId)) {
    return fail('USAGE_EVENT_INVALID', 'data.modelId must be a string of 1–256 characters')
  }
  // The event must have an RFC 8785 form, or it could not be hashed into the batch tree.
  let text: string
  try {
    text = canonicalJson(input)
  } catch (e) {
    if (e instanceof CanonicalJsonError)
      return fail('USAGE_EVENT_INVALID', `not I-JSON: ${e.message}`)
    throw e
  }
  const bytes = UTF8.encode(text)
  if (bytes.length > MAX_USAGE_EVENT_BYTES) {
    return fail('USAGE_EVENT_INVALID', `event exceeds ${MAX_USAGE_EVENT_BYTES} bytes`)
  }
  return {
    id,
    source,
    type,
    kind,
    subject: subject.toLowerCase(),
    // Most senders already write the normal form; formatting it again costs more than checking.
    time: NORMAL_TIME.test(time) ? time : formatTimestamp(timeMs),
    timeMs,
    // `+ 0` turns -0 into 0.
    units: units + 0,
    ...(assetId === undefined ? {} : { assetId }),
    ...(modelId === undefined ? {} : { modelId }),
    canonical: text,
    bytes,
  }
}

// What `formatTimestamp` writes, for a time already validated by `parseTimestamp`.
const NORMAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

const UTF8 = new TextEncoder()
const CANONICAL = new WeakMap<UsageEvent, Uint8Array>()
const TIME_MS = new WeakMap<UsageEvent, number>()

/** The event's time in epoch milliseconds (parsed once by {@link parseUsageEvent}). */
export function usageEventTimeMs(event: UsageEvent): number | undefined {
  return TIME_MS.get(event) ?? parseTimestamp(event.time)
}

/**
 * The RFC 8785 canonical JSON bytes of `event.raw`: the Merkle leaf entry of the event.
 * Throws `CanonicalJsonError` only for an event not built by {@link parseUsageEvent}.
 */
export function canonicalEventBytes(event: UsageEvent): Uint8Array {
  return CANONICAL.get(event) ?? canonicalJsonBytes(event.raw)
}

// The batch's tree in memory: its leaves are the events' canonical bytes.
function batchTree(events: readonly UsageEvent[]): HashReader {
  return memoryTree(events.map((e) => leafHash(canonicalEventBytes(e))))
}

/**
 * The RFC 9162 §2.1.1 Merkle tree hash of a batch, whose leaves are the
 * {@link canonicalEventBytes} of the events in the given order. An empty batch hashes to
 * `SHA-256("")`.
 */
export function usageBatchRoot(events: readonly UsageEvent[]): Uint8Array {
  if (events.length === 0) return EMPTY_TREE_HASH.slice()
  return treeHash(events.length, batchTree(events))
}

/**
 * The RFC 9162 §2.1.3.1 inclusion proof (audit path) of `events[index]` in the batch tree of
 * {@link usageBatchRoot}; verify it with the tlog module's `verifyInclusion` against
 * `leafHash(canonicalEventBytes(event))`. Throws `TlogError` (`LOG_INDEX_OUT_OF_RANGE`) unless
 * `0 ≤ index < events.length`.
 */
export function usageEventInclusionProof(
  events: readonly UsageEvent[],
  index: number,
): Uint8Array[] {
  return proveInclusion(events.length, index, batchTree(events))
}
