import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, canonicalJsonBytes } from './canonical-json.js'
import { CanonicalJsonError } from './canonical-json-error.js'

const FIXTURES = new URL('../../../test/fixtures/tlog/canonical-json/', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, FIXTURES), 'utf8')

interface Es6Numbers {
  samples: [string, string][]
  nonFinite: string[]
  staticU64s: string[]
  serialStart: string
  serialCount: number
  checksums: { lines: number; bytes: number; sha256: string }[]
}

const numbers = JSON.parse(read('es6-numbers.json')) as Es6Numbers

function fromIeeeHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8))
  view.setBigUint64(0, BigInt(`0x${hex}`))
  return view.getFloat64(0)
}

function toIeeeHex(f: number): string {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, f)
  return view.getBigUint64(0).toString(16)
}

/** The es6testfile value sequence of cyberphone/json-canonicalization testdata/README.md. */
function* es6TestValues(): Generator<number> {
  for (const hex of numbers.staticU64s) yield fromIeeeHex(hex)
  const start = BigInt(`0x${numbers.serialStart}`)
  for (let i = 0; i < numbers.serialCount; i++) {
    const view = new DataView(new ArrayBuffer(8))
    view.setBigUint64(0, start + BigInt(i))
    yield view.getFloat64(0)
  }
  let block = new Uint8Array(32)
  for (;;) {
    block = new Uint8Array(createHash('sha256').update(block).digest())
    // The generator reads the digest as a platform (little-endian) Float64Array.
    const view = new DataView(block.buffer)
    for (let i = 0; i < 4; i++) {
      const f = view.getFloat64(i * 8, true)
      if (f !== 0 && Number.isFinite(f)) yield f
    }
  }
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(CanonicalJsonError)
    return (e as { code?: string }).code
  }
  return undefined
}

describe('canonicalJson (RFC 8785)', () => {
  it('reproduces the cyberphone/json-canonicalization test data', () => {
    for (const name of ['arrays', 'french', 'structures', 'unicode', 'values', 'weird']) {
      const input = JSON.parse(read(`input/${name}.json`)) as unknown
      const expected = readFileSync(new URL(`output/${name}.json`, FIXTURES))
      expect(Buffer.from(canonicalJsonBytes(input)).equals(expected), name).toBe(true)
    }
  })

  it('serialises the RFC 8785 Appendix B number samples', () => {
    for (const [hex, text] of numbers.samples)
      expect(canonicalJson(fromIeeeHex(hex)), hex).toBe(text)
    for (const hex of numbers.nonFinite) {
      expect(codeOf(() => canonicalJson(fromIeeeHex(hex)))).toBe('CANONICAL_JSON_UNSUPPORTED')
    }
  })

  it('matches the es6testfile checksums', () => {
    const values = es6TestValues()
    const hash = createHash('sha256')
    let lines = 0
    let bytes = 0
    for (const { lines: want, bytes: wantBytes, sha256 } of numbers.checksums) {
      for (; lines < want; lines++) {
        const value = values.next().value as number
        const line = `${toIeeeHex(value)},${canonicalJson(value)}\n`
        bytes += line.length
        hash.update(line)
      }
      expect(bytes).toBe(wantBytes)
      expect(hash.copy().digest('hex')).toBe(sha256)
    }
  })

  it('sorts keys by UTF-16 code units, not code points or locale', () => {
    expect(canonicalJson({ '\ufb33': 1, '\u{1f602}': 2, é: 3, z: 4, Z: 5, '': 6 })).toBe(
      '{"":6,"Z":5,"z":4,"\u00e9":3,"\u{1f602}":2,"\ufb33":1}',
    )
  })

  it('escapes strings as JCS does', () => {
    expect(canonicalJson('\u0000\u0008\t\n\u000b\f\r\u001f"\\/\u007f\u2028<>&')).toBe(
      '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\u007f\u2028<>&"',
    )
    expect(canonicalJson(-0)).toBe('0')
    expect(canonicalJson([null, true, false, 1e21, 1e-7, 0.1])).toBe(
      '[null,true,false,1e+21,1e-7,0.1]',
    )
  })

  it('round-trips and is idempotent', () => {
    const normalise = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value)
        expect(JSON.parse(text)).toEqual(normalise(value))
        expect(canonicalJson(JSON.parse(text))).toBe(text)
      }),
      { numRuns: 500 },
    )
  })

  it('is independent of key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse())
        expect(canonicalJson(reversed)).toBe(canonicalJson(dict))
      }),
    )
  })

  it('rejects what is not I-JSON', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic['self'] = cyclic
    const sparse: unknown[] = []
    sparse[2] = 1
    let deep: unknown = 1
    for (let i = 0; i < 1100; i++) deep = [deep]
    const bad: unknown[] = [
      undefined,
      () => 1,
      Symbol('s'),
      10n,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      { a: undefined },
      [undefined],
      sparse,
      new Date(0),
      new Map(),
      new Uint8Array(1),
      new (class Thing {})(),
      { [Symbol('k')]: 1 },
      '\ud800',
      'a\udc00b',
      { '\ud83d': 1 },
      cyclic,
      deep,
    ]
    for (const value of bad) {
      expect(
        codeOf(() => canonicalJson(value)),
        String(typeof value),
      ).toBe('CANONICAL_JSON_UNSUPPORTED')
    }
  })

  it('accepts shared (non-cyclic) references and null-prototype objects', () => {
    const shared = { x: 1 }
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}')
    const bare = Object.create(null) as Record<string, unknown>
    bare['k'] = 'v'
    expect(canonicalJson(bare)).toBe('{"k":"v"}')
    expect(canonicalJson(JSON.parse('{"__proto__":1}'))).toBe('{"__proto__":1}')
  })
})
