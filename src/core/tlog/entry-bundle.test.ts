import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeEntryBundle, encodeEntryBundle } from './entry-bundle.js'

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('entry bundles (C2SP tlog-tiles "Log entries")', () => {
  it('prefixes each entry with its big-endian uint16 length', () => {
    const bundle = encodeEntryBundle([Uint8Array.of(0xaa), new Uint8Array(0), new Uint8Array(258)])
    expect(Array.from(bundle.subarray(0, 6))).toEqual([0, 1, 0xaa, 0, 0, 1])
    expect(bundle[6]).toBe(2)
    expect(bundle.length).toBe(3 + 2 + 2 + 258)
  })

  it('round-trips', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 256 }), (entries) => {
        expect(decodeEntryBundle(encodeEntryBundle(entries))).toEqual(entries)
      }),
      { numRuns: 50 },
    )
  })

  it('accepts the largest entry and rejects a larger one', () => {
    const big = new Uint8Array(65_535).fill(7)
    expect(Buffer.compare(decodeEntryBundle(encodeEntryBundle([big]))[0]!, big)).toBe(0)
    expect(codeOf(() => encodeEntryBundle([new Uint8Array(65_536)]))).toBe('LOG_ENTRY_TOO_LARGE')
  })

  it('rejects truncated or oversized bundles', () => {
    expect(codeOf(() => decodeEntryBundle(Uint8Array.of(0)))).toBe('LOG_BUNDLE_INVALID')
    expect(codeOf(() => decodeEntryBundle(Uint8Array.of(0, 2, 1)))).toBe('LOG_BUNDLE_INVALID')
    const many = encodeEntryBundle(Array.from({ length: 256 }, () => Uint8Array.of(1)))
    const tooMany = new Uint8Array([...many, 0, 0])
    expect(codeOf(() => decodeEntryBundle(tooMany))).toBe('LOG_BUNDLE_INVALID')
    expect(
      codeOf(() => encodeEntryBundle(Array.from({ length: 257 }, () => Uint8Array.of()))),
    ).toBe('LOG_BUNDLE_INVALID')
    expect(decodeEntryBundle(new Uint8Array(0))).toEqual([])
  })

  it('returns copies, even from a Buffer', () => {
    const data = Buffer.from([0, 1, 5])
    const [entry] = decodeEntryBundle(data)
    data[2] = 6
    expect(entry).toEqual(Uint8Array.of(5))
  })
})
