import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../canonical-json/index.js'
import { EMPTY_TREE_HASH, leafHash, nodeHash } from '../tlog/index.js'
import {
  isUsageBodyProblem,
  MAX_USAGE_BATCH,
  merkleRoot,
  type PreparedUsage,
  preparedLeaf,
  prepareUsage,
  prepareUsageJson,
  type UsageBodyProblem,
} from './prepare-usage.js'
import {
  canonicalEventBytes,
  MAX_USAGE_ATTRIBUTE_LENGTH,
  parseUsageEvent,
  USAGE_EVENT_TYPES,
  type UsageEvent,
  usageBatchRoot,
} from './usage-event.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const DECODER = new TextDecoder()

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

function ready(outcome: PreparedUsage | UsageBodyProblem): PreparedUsage {
  if (isUsageBodyProblem(outcome)) throw new Error(`${outcome.code}: ${outcome.message}`)
  return outcome
}

function naiveRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_TREE_HASH
  if (leaves.length === 1) return leaves[0] as Uint8Array
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)))
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

// An RFC 3339 time written at a given offset with 0–9 fraction digits, and the epoch
// milliseconds it denotes (the fraction truncated to milliseconds), computed without the parser.
interface TimeCase {
  readonly text: string
  readonly ms: number
}

const timeArb: fc.Arbitrary<TimeCase> = fc
  .record({
    utcMs: fc.integer({ min: Date.UTC(1000, 0, 2), max: Date.UTC(9999, 11, 30) }),
    offsetMinutes: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    fractionDigits: fc.integer({ min: 0, max: 9 }),
    extraDigits: fc.stringMatching(/^[0-9]{6}$/),
    lowerT: fc.boolean(),
    lowerZ: fc.boolean(),
    zulu: fc.boolean(),
  })
  .map(({ utcMs, offsetMinutes, fractionDigits, extraDigits, lowerT, lowerZ, zulu }) => {
    const offset = zulu ? 0 : offsetMinutes
    const local = new Date(utcMs + offset * 60_000)
    const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`
    const clock = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
    const digits = `${pad(local.getUTCMilliseconds(), 3)}${extraDigits}`.slice(0, fractionDigits)
    const fraction = fractionDigits === 0 ? '' : `.${digits}`
    const zone = zulu
      ? lowerZ
        ? 'z'
        : 'Z'
      : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
    const keptMs = Number(digits.padEnd(3, '0').slice(0, 3))
    const ms = utcMs - local.getUTCMilliseconds() + keptMs
    return { text: `${date}${lowerT ? 't' : 'T'}${clock}${fraction}${zone}`, ms }
  })

const attribute = fc.oneof(
  { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: MAX_USAGE_ATTRIBUTE_LENGTH - 2, max: MAX_USAGE_ATTRIBUTE_LENGTH })
      .map((n) => 'x'.repeat(n)),
  },
)

const KNOWN = new Set([
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

const extensions = fc.dictionary(
  fc.stringMatching(/^[a-z0-9]{1,10}$/).filter((k) => !KNOWN.has(k)),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.boolean(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  ),
  { maxKeys: 3, noNullPrototype: true },
)

const dataExtras = fc.dictionary(
  fc.string({ maxLength: 10 }).filter((k) => !['units', 'assetId', 'modelId'].includes(k)),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3, noNullPrototype: true },
)

/** A CloudEvents usage event `parseUsageEvent` accepts, and the time it denotes. */
const validEvent: fc.Arbitrary<{ event: Record<string, unknown>; ms: number }> = fc
  .record(
    {
      id: attribute,
      source: attribute,
      type: fc.constantFrom(...Object.values(USAGE_EVENT_TYPES)),
      subject: fc.stringMatching(/^[0-9a-fA-F]{16}$/),
      time: timeArb,
      datacontenttype: fc.constantFrom('application/json', 'application/json; charset=utf-8'),
      dataschema: attribute,
      units: fc.oneof(fc.nat({ max: 1000 }), fc.nat({ max: Number.MAX_SAFE_INTEGER })),
      assetId: attribute,
      modelId: attribute,
      extras: dataExtras,
      ext: extensions,
    },
    { requiredKeys: ['id', 'source', 'type', 'subject', 'time', 'units', 'extras', 'ext'] },
  )
  .map(({ time, units, assetId, modelId, extras, ext, ...attrs }) => ({
    event: {
      ...ext,
      specversion: '1.0',
      ...attrs,
      time: time.text,
      data: {
        ...extras,
        units,
        ...(assetId === undefined ? {} : { assetId }),
        ...(modelId === undefined ? {} : { modelId }),
      },
    },
    ms: time.ms,
  }))

type Mutation = (e: Record<string, unknown>) => unknown

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...KNOWN, 'ext1', 'Upper', 'with-dash', ''),
      fc.oneof(fc.anything(), fc.string(), fc.integer()),
    )
    .map(
      ([k, v]): Mutation =>
        (e) => ({ ...e, [k]: v }),
    ),
  fc.constantFrom(...KNOWN).map(
    (k): Mutation =>
      (e) => {
        const { [k]: _, ...rest } = e
        return rest
      },
  ),
  fc.tuple(fc.constantFrom('units', 'assetId', 'modelId', 'note'), fc.anything()).map(
    ([k, v]): Mutation =>
      (e) => ({ ...e, data: { ...(e['data'] as object), [k]: v } }),
  ),
  fc
    .constantFrom(
      '2026-10-15T12:00:00',
      '2026-10-15 12:00:00Z',
      '2026-02-29T12:00:00Z',
      '2026-10-15T24:00:00Z',
      '2026-10-15T12:00:60Z',
      '2026-10-15T12:00:00+24:00',
      '2026-10-15T12:00:00.Z',
      '2026-10-15T12:00:00.1234567890Z',
      '26-10-15T12:00:00Z',
      '9999-12-31T23:59:59.999-00:01',
      '',
    )
    .map(
      (time): Mutation =>
        (e) => ({ ...e, time }),
    ),
  fc.constantFrom('\uD800', 'a\uDFFFb', '\uDBFF').map(
    (s): Mutation =>
      (e) => ({ ...e, data: { ...(e['data'] as object), note: s } }),
  ),
  fc.constantFrom<unknown>(null, 42, 'event', [], [rawEvent()], true).map(
    (v): Mutation =>
      () =>
        v,
  ),
)

/** An event that may or may not be valid: most are near-valid ones with one thing changed. */
const anyEvent: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: validEvent.map((v) => v.event) },
  {
    weight: 4,
    arbitrary: fc.tuple(validEvent, mutation).map(([v, mutate]) => mutate(v.event)),
  },
  { weight: 1, arbitrary: fc.anything() },
)

/** What `prepareUsage` must say of `raws`, computed event by event with `parseUsageEvent`. */
function expectAgreesWithParse(raws: readonly unknown[], prepared: PreparedUsage): void {
  const valid: UsageEvent[] = []
  const validIndexes: number[] = []
  const rejected: { index: number; code: string; message: string }[] = []
  raws.forEach((raw, index) => {
    const r = parseUsageEvent(raw)
    if (r.ok) {
      valid.push(r.event)
      validIndexes.push(index)
    } else rejected.push({ index, code: r.code, message: r.message })
  })
  expect(prepared.count).toBe(raws.length)
  expect(prepared.rejected).toEqual(rejected)
  expect(prepared.events.map((e) => e.index)).toEqual(validIndexes)
  expect(prepared.leaves.length).toBe(32 * valid.length)
  valid.forEach((event, i) => {
    const p = prepared.events[i]
    if (p === undefined) throw new Error(`event ${i} missing`)
    const bytes = canonicalEventBytes(event)
    expect(p.canonical).toBe(DECODER.decode(bytes))
    expect(p.canonical).toBe(canonicalJson(raws[validIndexes[i] as number]))
    expect(hex(preparedLeaf(prepared, i))).toBe(hex(leafHash(bytes)))
    expect(p).toEqual({
      index: validIndexes[i],
      id: event.id,
      source: event.source,
      kind: event.kind,
      subject: event.subject,
      time: event.time,
      timeMs: Date.parse(event.time),
      units: event.units,
      ...(event.assetId === undefined ? {} : { assetId: event.assetId }),
      key: JSON.stringify([event.source, event.id]),
      canonical: p.canonical,
    })
  })
  expect(hex(prepared.root)).toBe(hex(usageBatchRoot(valid)))
  expect(hex(merkleRoot(valid.map((e) => leafHash(canonicalEventBytes(e)))))).toBe(
    hex(prepared.root),
  )
}

describe('prepareUsage', () => {
  it('accepts valid events as parseUsageEvent does, with the times they denote', () => {
    fc.assert(
      fc.property(fc.array(validEvent, { minLength: 1, maxLength: 12 }), (cases) => {
        const body = cases.map((c) => c.event)
        const prepared = ready(prepareUsage(body))
        expect(prepared.single).toBe(false)
        expect(prepared.rejected).toEqual([])
        expectAgreesWithParse(body, prepared)
        cases.forEach((c, i) => {
          const e = prepared.events[i]
          expect(e?.timeMs).toBe(c.ms)
          expect(e?.time).toBe(new Date(c.ms).toISOString())
          expect(e?.subject).toBe(String(c.event['subject']).toLowerCase())
        })
        expect(prepareUsageJson(JSON.stringify(body))).toStrictEqual(prepared)
      }),
      { numRuns: 150 },
    )
  })

  it('agrees with parseUsageEvent on arrays of valid and invalid events', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { minLength: 1, maxLength: 16 }), (body) => {
        expectAgreesWithParse(body, ready(prepareUsage(body)))
        // What the JSON text of the body carries (undefined, NaN and -0 do not survive it).
        const text = JSON.stringify(body)
        const viaJson = prepareUsageJson(text)
        expect(viaJson).toStrictEqual(prepareUsage(JSON.parse(text)))
        expectAgreesWithParse(JSON.parse(text), ready(viaJson))
      }),
      { numRuns: 200 },
    )
  })

  it('treats a body that is not an array as one event', () => {
    fc.assert(
      fc.property(
        anyEvent.filter((v) => !Array.isArray(v)),
        (event) => {
          const prepared = ready(prepareUsage(event))
          expect(prepared.single).toBe(true)
          expect(prepared.count).toBe(1)
          expectAgreesWithParse([event], prepared)
          const text = JSON.stringify(event)
          if (text !== undefined) {
            expect(prepareUsageJson(text)).toStrictEqual(prepareUsage(JSON.parse(text)))
          }
        },
      ),
      { numRuns: 150 },
    )
    const one = ready(prepareUsage(rawEvent()))
    expect(one).toMatchObject({ count: 1, single: true, rejected: [] })
    expect(hex(one.root)).toBe(hex(preparedLeaf(one, 0)))
    const inArray = ready(prepareUsage([rawEvent()]))
    expect(inArray.single).toBe(false)
    expect(hex(inArray.root)).toBe(hex(one.root))
  })

  it('lists a batch of only bad events with an empty tree', () => {
    const prepared = ready(prepareUsage([null, rawEvent({ data: { units: -1 } })]))
    expect(prepared.events).toEqual([])
    expect(prepared.leaves.length).toBe(0)
    expect(hex(prepared.root)).toBe(hex(EMPTY_TREE_HASH))
    expect(prepared.rejected.map((r) => [r.index, r.code])).toEqual([
      [0, 'USAGE_EVENT_INVALID'],
      [1, 'USAGE_UNITS_INVALID'],
    ])
  })

  it('never throws, even on hostile objects', () => {
    const hostile = rawEvent()
    Object.defineProperty(hostile, 'id', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    const prepared = ready(prepareUsage([rawEvent(), hostile]))
    expect(prepared.rejected).toEqual([
      { index: 1, code: 'USAGE_EVENT_INVALID', message: 'unreadable event: boom' },
    ])
    fc.assert(
      fc.property(fc.anything(), (body) => {
        expect(() => prepareUsage(body)).not.toThrow()
      }),
    )
  })

  it('refuses an empty batch, an oversized one and text that is not JSON', () => {
    expect(prepareUsage([])).toMatchObject({ code: 'USAGE_BATCH_EMPTY' })
    expect(prepareUsageJson('[]')).toMatchObject({ code: 'USAGE_BATCH_EMPTY' })
    const event = rawEvent()
    const tooMany = Array.from({ length: MAX_USAGE_BATCH + 1 }, () => event)
    expect(prepareUsage(tooMany)).toMatchObject({ code: 'USAGE_BATCH_TOO_LARGE' })
    expect(prepareUsageJson(JSON.stringify(tooMany))).toMatchObject({
      code: 'USAGE_BATCH_TOO_LARGE',
      message: expect.stringContaining(String(MAX_USAGE_BATCH + 1)),
    })
    for (const text of ['', '{"specversion":', 'not json', '[1,]', "{'a':1}"]) {
      const outcome = prepareUsageJson(text)
      expect(isUsageBodyProblem(outcome), text).toBe(true)
      expect(outcome).toMatchObject({ code: 'USAGE_BODY_INVALID' })
    }
    // JSON that is not an event is a bad event, not a bad body.
    expect(ready(prepareUsageJson('null')).rejected).toEqual([
      expect.objectContaining({ index: 0, code: 'USAGE_EVENT_INVALID' }),
    ])
  })

  it('accepts exactly the largest batch', () => {
    const events = Array.from({ length: MAX_USAGE_BATCH }, (_, i) => rawEvent({ id: `e-${i}` }))
    const prepared = ready(prepareUsageJson(JSON.stringify(events)))
    expect(prepared.events.length).toBe(MAX_USAGE_BATCH)
    expect(prepared.leaves.length).toBe(32 * MAX_USAGE_BATCH)
    const parsed = events.map((e) => {
      const r = parseUsageEvent(e)
      if (!r.ok) throw new Error(r.message)
      return r.event
    })
    expect(hex(prepared.root)).toBe(hex(usageBatchRoot(parsed)))
  })

  it('keeps a time already in normal form and normalises the others', () => {
    const cases: [string, string | null][] = [
      ['2026-10-15T12:00:00.000Z', '2026-10-15T12:00:00.000Z'],
      ['2026-10-15T14:00:00+02:00', '2026-10-15T12:00:00.000Z'],
      ['2026-10-15t12:00:00z', '2026-10-15T12:00:00.000Z'],
      ['2026-10-15t12:00:00.000z', '2026-10-15T12:00:00.000Z'],
      ['2026-10-15T12:00:00Z', '2026-10-15T12:00:00.000Z'],
      ['2026-10-15T12:00:00.1Z', '2026-10-15T12:00:00.100Z'],
      ['2026-10-15T12:00:00.123456789Z', '2026-10-15T12:00:00.123Z'],
      ['2026-10-15T12:00:00.000+00:00', '2026-10-15T12:00:00.000Z'],
      ['2026-10-15T12:00:00.000-00:00', '2026-10-15T12:00:00.000Z'],
      ['2026-10-15T00:30:00-01:00', '2026-10-15T01:30:00.000Z'],
      ['2026-10-16T00:00:00+23:59', '2026-10-15T00:01:00.000Z'],
      ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
      ['2025-03-01T00:30:00+01:00', '2025-02-28T23:30:00.000Z'],
      ['0000-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z'],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ['9999-12-31T23:59:59.999-00:01', null],
      ['0000-01-01T00:00:00.000+00:01', null],
      ['2026-02-29T12:00:00.000Z', null],
      ['2026-10-15T12:00:60.000Z', null],
      ['2026-10-15T12:00:00.000', null],
      ['2026-10-15T12:00:00.000ZZ', null],
    ]
    for (const [time, expected] of cases) {
      const prepared = ready(prepareUsage(rawEvent({ time })))
      const parsed = parseUsageEvent(rawEvent({ time }))
      if (expected === null) {
        expect(prepared.rejected, time).toEqual([
          expect.objectContaining({ index: 0, code: 'USAGE_EVENT_INVALID' }),
        ])
        expect(parsed.ok, time).toBe(false)
        continue
      }
      expect(prepared.events[0]?.time, time).toBe(expected)
      expect(prepared.events[0]?.timeMs, time).toBe(Date.parse(expected))
      expect(parsed.ok && parsed.event.time, time).toBe(expected)
      // The time as received stays in the canonical form that is hashed.
      expect(prepared.events[0]?.canonical).toContain(`"time":${JSON.stringify(time)}`)
    }
  })

  it('names where an event is not I-JSON', () => {
    const prepared = ready(
      prepareUsageJson(
        JSON.stringify([
          rawEvent({ data: { units: 1, note: '\uD800' } }),
          rawEvent({ data: { units: 1, list: [1, { deep: 'a\uDC00' }] } }),
          rawEvent({ data: { units: 1, '\uDBFF': 'x' } }),
        ]),
      ),
    )
    expect(prepared.rejected.map((r) => [r.index, r.code, r.message])).toEqual([
      [0, 'USAGE_EVENT_INVALID', 'not I-JSON: a lone surrogate at $.data.note'],
      [1, 'USAGE_EVENT_INVALID', 'not I-JSON: a lone surrogate at $.data.list[1].deep'],
      [2, 'USAGE_EVENT_INVALID', 'not I-JSON: a lone surrogate at $.data.\uDBFF'],
    ])
  })

  it('keys each event by JSON [source, id]', () => {
    const prepared = ready(
      prepareUsage([
        rawEvent({ source: 'a","b', id: 'c' }),
        rawEvent({ source: 'a', id: 'b","c' }),
      ]),
    )
    expect(prepared.events.map((e) => e.key)).toEqual(['["a\\",\\"b","c"]', '["a","b\\",\\"c"]'])
  })
})

describe('merkleRoot', () => {
  it('hashes no leaves as SHA-256 of the empty string', () => {
    const root = merkleRoot([])
    expect(hex(root)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    // A copy: changing it does not change the constant.
    root[0] = 0
    expect(hex(merkleRoot([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })

  it('matches RFC 9162 §2.1.1 by direct recursion', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 70 }),
        (leaves) => {
          expect(hex(merkleRoot(leaves))).toBe(hex(naiveRoot(leaves)))
        },
      ),
      { numRuns: 60 },
    )
  })
})
