import { randomBytes } from 'node:crypto'
import type { Clock, IdSource } from '../../app/ports.js'

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'

/** The system clock. */
export const systemClock: Clock = {
  nowIso: () => new Date().toISOString(),
}

/**
 * ULID-style ids (48-bit millisecond time + 80 random bits, Crockford base32, lower case) behind
 * a readable prefix: `ast_01jd…`. Ids created later sort after earlier ones; within one
 * millisecond the random part is incremented so order still holds within a process.
 */
export class NodeIdSource implements IdSource {
  private lastMs = -1
  private lastRandom = new Uint8Array(10)

  next(prefix: string): string {
    const ms = Date.now()
    if (ms === this.lastMs) {
      increment(this.lastRandom)
    } else {
      this.lastMs = ms
      this.lastRandom = new Uint8Array(randomBytes(10))
    }
    return `${prefix}_${encodeTime(ms)}${encodeRandom(this.lastRandom)}`
  }

  randomBytes(bytes: number): Uint8Array {
    return new Uint8Array(randomBytes(bytes))
  }
}

function encodeTime(ms: number): string {
  let out = ''
  let t = ms
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out
    t = Math.floor(t / 32)
  }
  return out
}

function encodeRandom(bytes: Uint8Array): string {
  let bits = 0n
  for (const b of bytes) bits = (bits << 8n) | BigInt(b)
  let out = ''
  for (let i = 0; i < 16; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out
    bits >>= 5n
  }
  return out
}

function increment(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const v = (bytes[i] as number) + 1
    bytes[i] = v & 0xff
    if (v <= 0xff) return
  }
}

/**
 * A clock stopped at `iso` (`SELVEDGE_NOW`): tests, demos and back-office corrections run a
 * whole process at one instant. Throws `RangeError` for a value that is not an ISO 8601 instant.
 */
export function fixedClock(iso: string): Clock {
  const ms = Date.parse(iso)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms)) {
    throw new RangeError(
      `SELVEDGE_NOW must be an ISO 8601 instant such as 2026-10-15T12:00:00Z, not ${iso}`,
    )
  }
  const text = new Date(ms).toISOString()
  return { nowIso: () => text }
}
