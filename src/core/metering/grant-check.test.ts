import { describe, expect, it } from 'vitest'
import type { GrantWindow } from './grant-check.js'
import { checkEventAgainstGrant } from './grant-check.js'
import { MeteringError } from './metering-error.js'
import type { UsageEvent } from './usage-event.js'
import { parseUsageEvent } from './usage-event.js'

function event(time: string): UsageEvent {
  const r = parseUsageEvent({
    specversion: '1.0',
    id: 'e',
    source: 's',
    type: 'dev.selvedge.usage.units',
    subject: '0123456789abcdef',
    time,
    data: { units: 1 },
  })
  if (!r.ok) throw new Error(r.message)
  return r.event
}

const grant: GrantWindow = {
  studioId: 'studio-a',
  notBefore: '2026-01-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
  revokedAt: null,
}
const now = '2026-10-15T12:00:00.000Z'
const check = (time: string, g: GrantWindow | null = grant, at = now, studio = 'studio-a') =>
  checkEventAgainstGrant(event(time), g, studio, at)

describe('checkEventAgainstGrant', () => {
  it('accepts usage inside the window', () => {
    expect(check('2026-10-15T11:00:00Z')).toBeNull()
    expect(check('2026-10-15T12:05:00Z')).toBeNull()
    expect(check('2026-09-10T12:00:00Z')).toBeNull()
  })

  it('treats a missing grant or another studio’s grant as unknown', () => {
    expect(check('2026-10-15T11:00:00Z', null)).toBe('USAGE_GRANT_UNKNOWN')
    expect(check('2026-10-15T11:00:00Z', grant, now, 'studio-b')).toBe('USAGE_GRANT_UNKNOWN')
  })

  it('rejects usage under a revoked grant from the revocation on', () => {
    const revoked = { ...grant, revokedAt: now }
    expect(check('2026-10-15T12:00:00Z', revoked)).toBe('USAGE_GRANT_REVOKED')
    const later = { ...grant, revokedAt: '2026-10-15T12:00:00.001Z' }
    expect(check('2026-10-15T11:00:00Z', later)).toBeNull()
    // Usage that happened before the revocation may still be reported after it.
    const earlier = { ...grant, revokedAt: '2026-10-15T10:00:00.000Z' }
    expect(check('2026-10-15T09:59:59.999Z', earlier)).toBeNull()
    expect(check('2026-10-15T10:00:00.000Z', earlier)).toBe('USAGE_GRANT_REVOKED')
  })

  it('rejects usage after expiry but accepts in-window usage reported late', () => {
    const after = '2027-01-02T00:00:00Z'
    expect(check('2027-01-01T00:00:00Z', grant, after)).toBe('USAGE_GRANT_EXPIRED')
    expect(check('2026-12-31T23:59:59.999Z', grant, after)).toBeNull()
  })

  it('rejects event times outside the window', () => {
    expect(check('2025-12-31T23:59:59Z', grant, '2026-01-02T00:00:00Z')).toBe(
      'USAGE_TIME_OUTSIDE_GRANT',
    )
    // Before expiry, an event dated at or after expiresAt is outside, not expired.
    expect(check('2027-01-01T00:00:00Z', grant, '2026-12-31T23:58:00Z')).toBe(
      'USAGE_TIME_OUTSIDE_GRANT',
    )
  })

  it('rejects events older than 35 days or more than 5 minutes ahead', () => {
    expect(check('2026-09-10T11:59:59.999Z')).toBe('USAGE_TIME_TOO_OLD')
    expect(check('2026-10-15T12:05:00.001Z')).toBe('USAGE_TIME_IN_FUTURE')
  })

  it('checks in the documented order', () => {
    const revoked = { ...grant, revokedAt: '2026-01-01T00:00:00Z' }
    expect(check('2020-01-01T00:00:00Z', revoked, now, 'studio-b')).toBe('USAGE_GRANT_UNKNOWN')
    expect(check('2028-01-01T00:00:00Z', revoked, '2028-01-01T00:00:00Z')).toBe(
      'USAGE_GRANT_REVOKED',
    )
    expect(check('2020-01-01T00:00:00Z')).toBe('USAGE_TIME_OUTSIDE_GRANT')
  })

  it('throws on a malformed clock or grant time', () => {
    expect(() => check('2026-10-15T11:00:00Z', grant, 'yesterday')).toThrow(MeteringError)
    expect(() => check('2026-10-15T11:00:00Z', { ...grant, expiresAt: '2027' })).toThrow(
      MeteringError,
    )
  })
})
