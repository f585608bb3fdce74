import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../canonical-json/index.js'
import { EMPTY_TREE_HASH, leafHash, nodeHash, TlogError, verifyInclusion } from '../tlog/index.js'
import type { UsageEvent } from './usage-event.js'
import {
  canonicalEventBytes,
  parseUsageEvent,
  USAGE_EVENT_TYPES,
  usageBatchRoot,
  usageEventInclusionProof,
} from './usage-event.js'

function rawEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: 'evt-1',
    source: 'urn:studio:acme/loom-7',
    type: USAGE_EVENT_TYPES.units,
    subject: '0123456789abcdef',
    time: '2026-10-15T12:00:00Z',
    datacontenttype: 'application/json',
    data: { units: 3, assetId: 'asset-1' },
    ...over,
  }
}

function parsed(over: Record<string, unknown> = {}): UsageEvent {
  const r = parseUsageEvent(rawEvent(over))
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.event
}

function codeOf(raw: unknown): string | null {
  const r = parseUsageEvent(raw)
  return r.ok ? null : r.code
}

function naiveRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_TREE_HASH
  if (leaves.length === 1) return leaves[0]!
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)))
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('parseUsageEvent', () => {
  it('accepts a well-formed event and normalises it', () => {
    const r = parseUsageEvent(
      rawEvent({ subject: '0123456789ABCDEF', time: '2026-10-15T14:00:00.1234+02:00' }),
    )
    expect(r).toMatchObject({
      ok: true,
      event: {
        id: 'evt-1',
        kind: 'units',
        type: 'dev.selvedge.usage.units',
        subject: '0123456789abcdef',
        time: '2026-10-15T12:00:00.123Z',
        units: 3,
        assetId: 'asset-1',
      },
    })
    if (r.ok) {
      expect(r.event.raw['subject']).toBe('0123456789ABCDEF')
      expect('modelId' in r.event).toBe(false)
    }
  })

  it('maps every type to its kind', () => {
    for (const [kind, type] of Object.entries(USAGE_EVENT_TYPES)) {
      expect(parsed({ type }).kind).toBe(kind)
    }
  })

  it('accepts 0 units, extensions, modelId and no datacontenttype', () => {
    const raw = rawEvent({ data: { units: 0, modelId: 'm-1' }, traceparent: 'x', seq: 4, ok: true })
    delete raw['datacontenttype']
    const r = parseUsageEvent(raw)
    expect(r.ok && r.event.units === 0 && r.event.modelId === 'm-1').toBe(true)
    expect(codeOf(rawEvent({ datacontenttype: 'application/json; charset=utf-8' }))).toBeNull()
  })

  it('copies the input so later mutation does not change the hash', () => {
    const raw = rawEvent()
    const r = parseUsageEvent(raw)
    if (!r.ok) throw new Error('rejected')
    const before = hex(canonicalEventBytes(r.event))
    ;(raw['data'] as Record<string, unknown>)['units'] = 99
    raw['id'] = 'other'
    expect(hex(canonicalEventBytes(r.event))).toBe(before)
    expect(r.event.data['units']).toBe(3)
  })

  it.each([
    ['a non-object', 'USAGE_EVENT_INVALID', 42],
    ['null', 'USAGE_EVENT_INVALID', null],
    ['an array', 'USAGE_EVENT_INVALID', [rawEvent()]],
  ])('rejects %s', (_, code, raw) => expect(codeOf(raw)).toBe(code))

  it.each<[string, Record<string, unknown>, string]>([
    ['specversion 0.3', { specversion: '0.3' }, 'USAGE_EVENT_INVALID'],
    ['specversion as a number', { specversion: 1 }, 'USAGE_EVENT_INVALID'],
    ['an empty id', { id: '' }, 'USAGE_EVENT_INVALID'],
    ['a numeric id', { id: 7 }, 'USAGE_EVENT_INVALID'],
    ['a long id', { id: 'x'.repeat(257) }, 'USAGE_EVENT_INVALID'],
    ['a missing source', { source: undefined }, 'USAGE_EVENT_INVALID'],
    ['a long source', { source: 's'.repeat(257) }, 'USAGE_EVENT_INVALID'],
    ['a non-string type', { type: 3 }, 'USAGE_EVENT_INVALID'],
    ['an unknown type', { type: 'dev.selvedge.usage.prints' }, 'USAGE_TYPE_UNKNOWN'],
    ['a missing subject', { subject: undefined }, 'USAGE_EVENT_INVALID'],
    ['a short subject', { subject: '0123456789abcde' }, 'USAGE_EVENT_INVALID'],
    ['a non-hex subject', { subject: '0123456789abcdeg' }, 'USAGE_EVENT_INVALID'],
    ['a missing time', { time: undefined }, 'USAGE_EVENT_INVALID'],
    ['a time without zone', { time: '2026-10-15T12:00:00' }, 'USAGE_EVENT_INVALID'],
    ['a date only', { time: '2026-10-15' }, 'USAGE_EVENT_INVALID'],
    ['an impossible date', { time: '2026-02-30T12:00:00Z' }, 'USAGE_EVENT_INVALID'],
    ['hour 24', { time: '2026-10-15T24:00:00Z' }, 'USAGE_EVENT_INVALID'],
    ['a bad offset', { time: '2026-10-15T12:00:00+24:00' }, 'USAGE_EVENT_INVALID'],
    ['a space separator', { time: '2026-10-15 12:00:00Z' }, 'USAGE_EVENT_INVALID'],
    ['xml content', { datacontenttype: 'application/xml' }, 'USAGE_EVENT_INVALID'],
    ['data as a string', { data: '{"units":1}' }, 'USAGE_EVENT_INVALID'],
    ['data as an array', { data: [1] }, 'USAGE_EVENT_INVALID'],
    ['no data', { data: undefined }, 'USAGE_EVENT_INVALID'],
    ['data_base64', { data_base64: 'AA==' }, 'USAGE_EVENT_INVALID'],
    ['an upper-case attribute', { assetId: 'a' }, 'USAGE_EVENT_INVALID'],
    ['an object extension', { ext: { a: 1 } }, 'USAGE_EVENT_INVALID'],
    ['a fractional extension', { ext: 1.5 }, 'USAGE_EVENT_INVALID'],
    ['missing units', { data: {} }, 'USAGE_UNITS_INVALID'],
    ['negative units', { data: { units: -1 } }, 'USAGE_UNITS_INVALID'],
    ['fractional units', { data: { units: 1.5 } }, 'USAGE_UNITS_INVALID'],
    ['string units', { data: { units: '3' } }, 'USAGE_UNITS_INVALID'],
    ['NaN units', { data: { units: Number.NaN } }, 'USAGE_UNITS_INVALID'],
    ['unsafe units', { data: { units: 2 ** 53 } }, 'USAGE_UNITS_INVALID'],
    ['a numeric assetId', { data: { units: 1, assetId: 5 } }, 'USAGE_EVENT_INVALID'],
    ['an empty modelId', { data: { units: 1, modelId: '' } }, 'USAGE_EVENT_INVALID'],
    ['a lone surrogate', { data: { units: 1, note: '\uD800' } }, 'USAGE_EVENT_INVALID'],
    ['a huge payload', { data: { units: 1, pad: 'x'.repeat(70_000) } }, 'USAGE_EVENT_INVALID'],
  ])('rejects %s', (_, over, code) => {
    const raw = rawEvent(over)
    for (const k of Object.keys(over)) if (over[k] === undefined) delete raw[k]
    expect(codeOf(raw)).toBe(code)
  })

  it('never throws, even on hostile objects', () => {
    const hostile = rawEvent()
    Object.defineProperty(hostile, 'id', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    expect(codeOf(hostile)).toBe('USAGE_EVENT_INVALID')
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(() => parseUsageEvent(v)).not.toThrow()
      }),
    )
  })

  it('accepts any valid units and round-trips the time', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (units, date) => {
          const e = parsed({ data: { units }, time: date.toISOString() })
          expect(e.units).toBe(units)
          expect(e.time).toBe(date.toISOString())
        },
      ),
    )
  })
})

describe('batch Merkle tree', () => {
  const events = (n: number): UsageEvent[] =>
    Array.from({ length: n }, (_, i) => parsed({ id: `evt-${i}`, data: { units: i } }))

  it('hashes the canonical JSON of the raw event', () => {
    const e = parsed()
    expect(new TextDecoder().decode(canonicalEventBytes(e))).toBe(canonicalJson(rawEvent()))
  })

  it('hashes an empty batch as SHA-256 of nothing', () => {
    expect(hex(usageBatchRoot([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })

  it('hashes one event as its leaf hash', () => {
    const [e] = events(1)
    expect(hex(usageBatchRoot([e!]))).toBe(hex(leafHash(canonicalEventBytes(e!))))
  })

  it('matches RFC 9162 §2.1.1 by direct recursion and proves every event', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1))),
        ([n, i]) => {
          const batch = events(n)
          const leaves = batch.map((e) => leafHash(canonicalEventBytes(e)))
          const root = usageBatchRoot(batch)
          expect(hex(root)).toBe(hex(naiveRoot(leaves)))
          const proof = usageEventInclusionProof(batch, i)
          expect(verifyInclusion(leaves[i]!, i, n, proof, root)).toBe(true)
          if (n > 1) {
            const wrong = (i + 1) % n
            expect(verifyInclusion(leaves[wrong]!, i, n, proof, root)).toBe(false)
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('changes the root when the order changes', () => {
    const batch = events(3)
    expect(hex(usageBatchRoot(batch))).not.toBe(hex(usageBatchRoot([...batch].reverse())))
  })

  it('rejects an index outside the batch', () => {
    expect(() => usageEventInclusionProof(events(2), 2)).toThrow(TlogError)
    expect(() => usageEventInclusionProof([], 0)).toThrow(TlogError)
  })
})
