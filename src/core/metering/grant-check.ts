import { MeteringError } from './metering-error.js'
import { parseTimestamp } from './timestamp.js'
import { type UsageEvent, usageEventTimeMs } from './usage-event.js'

// Whether a grant lets a usage event be billed is an expected outcome, not a fault, so it comes
// back as a value. The clock is the caller's `now`: the core never reads one.

/** Why a well-formed usage event cannot be accepted against its grant. */
export type UsageRejectCode =
  | 'USAGE_GRANT_UNKNOWN'
  | 'USAGE_GRANT_REVOKED'
  | 'USAGE_GRANT_EXPIRED'
  | 'USAGE_TIME_OUTSIDE_GRANT'
  | 'USAGE_TIME_TOO_OLD'
  | 'USAGE_TIME_IN_FUTURE'

/** The part of a grant that decides whether usage under it can be metered. */
export interface GrantWindow {
  readonly studioId: string
  readonly notBefore: string
  readonly expiresAt: string
  readonly revokedAt: string | null
}

/** How far back an event may be reported: 35 days, so a late monthly report still lands. */
export const USAGE_MAX_AGE_MS = 35 * 24 * 60 * 60 * 1000

/** How far ahead of `now` an event time may be: 5 minutes of clock skew. */
export const USAGE_MAX_SKEW_MS = 5 * 60 * 1000

// A batch checks thousands of events against a handful of grants at one `now`: remember the
// last few instants parsed rather than parse the same strings for every event.
const recent = new Map<string, number>()

function cachedInstant(value: string, what: string): number {
  const hit = recent.get(value)
  if (hit !== undefined) return hit
  const t = instant(value, what)
  if (recent.size >= 64) recent.clear()
  recent.set(value, t)
  return t
}

function instant(value: string, what: string): number {
  const t = parseTimestamp(value)
  if (t === undefined) {
    throw new MeteringError('USAGE_EVENT_INVALID', `${what} is not an RFC 3339 date-time`)
  }
  return t
}

/**
 * Checks a parsed usage event against its grant at `now`; null when it can be metered. Checks
 * run in this order and the first failure wins:
 * 1. `USAGE_GRANT_UNKNOWN`: no grant, or the grant belongs to another studio (so a studio cannot
 *    learn anything about another studio's grants).
 * 2. `USAGE_GRANT_REVOKED`: `revokedAt ≤ now` and the event time `≥ revokedAt`. Like expiry,
 *    usage that happened before the revocation may still be reported.
 * 3. `USAGE_GRANT_EXPIRED`: `now ≥ expiresAt` and the event time `≥ expiresAt`. Usage that
 *    happened inside the window but is reported after expiry falls through and is accepted.
 * 4. `USAGE_TIME_OUTSIDE_GRANT`: event time `< notBefore` or `≥ expiresAt`.
 * 5. `USAGE_TIME_TOO_OLD`: event time `< now − 35 days`.
 * 6. `USAGE_TIME_IN_FUTURE`: event time `> now + 5 minutes`.
 * Throws `MeteringError` (`USAGE_EVENT_INVALID`) when `now`, the event time or a grant time is
 * not an RFC 3339 date-time with a timezone (a broken invariant: stored data is normalised).
 */
export function checkEventAgainstGrant(
  event: UsageEvent | { readonly time: string; readonly timeMs: number },
  grant: GrantWindow | null,
  studioId: string,
  now: string,
): UsageRejectCode | null {
  const nowMs = cachedInstant(now, 'now')
  const at =
    ('timeMs' in event ? event.timeMs : usageEventTimeMs(event)) ??
    instant(event.time, 'event time')
  if (grant === null || grant.studioId !== studioId) return 'USAGE_GRANT_UNKNOWN'
  const notBefore = cachedInstant(grant.notBefore, 'grant notBefore')
  const expiresAt = cachedInstant(grant.expiresAt, 'grant expiresAt')
  if (grant.revokedAt !== null) {
    const revokedAt = cachedInstant(grant.revokedAt, 'grant revokedAt')
    if (revokedAt <= nowMs && at >= revokedAt) return 'USAGE_GRANT_REVOKED'
  }
  if (nowMs >= expiresAt && at >= expiresAt) return 'USAGE_GRANT_EXPIRED'
  if (at < notBefore || at >= expiresAt) return 'USAGE_TIME_OUTSIDE_GRANT'
  if (at < nowMs - USAGE_MAX_AGE_MS) return 'USAGE_TIME_TOO_OLD'
  if (at > nowMs + USAGE_MAX_SKEW_MS) return 'USAGE_TIME_IN_FUTURE'
  return null
}
