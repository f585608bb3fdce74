import { PdqError } from './pdq-error.js'

/** Number of hex digits in a PDQ hash's text form. */
export const PDQ_HEX_LENGTH = 64
/** Number of 32-bit words in a packed PDQ hash. */
export const PDQ_PACKED_WORDS = 8

const PACK_SCRATCH = new Uint32Array(PDQ_PACKED_WORDS)

// Hex digit values by char code; -1 for anything else. Hashes are parsed a million at a time
// when an index loads, so this avoids a regular expression and substring allocations.
const HEX_VALUE = (() => {
  const table = new Int8Array(128).fill(-1)
  for (let d = 0; d < 10; d++) table[48 + d] = d
  for (let d = 0; d < 6; d++) {
    table[65 + d] = 10 + d
    table[97 + d] = 10 + d
  }
  return table
})()

function invalidHash(): PdqError {
  return new PdqError('PDQ_INVALID_HASH', 'a PDQ hash is 64 hexadecimal digits')
}

/** Value of the `count` hex digits of `hex` from `at`; -1 if any is not a hex digit. */
function hexValue(hex: string, at: number, count: number): number {
  let v = 0
  for (let i = at; i < at + count; i++) {
    const code = hex.charCodeAt(i)
    const d = code < 128 ? (HEX_VALUE[code] as number) : -1
    if (d < 0) return -1
    v = v * 16 + d
  }
  return v
}

function assertHex(hex: string): void {
  if (typeof hex !== 'string' || hex.length !== PDQ_HEX_LENGTH) throw invalidHash()
}

/**
 * Parses a hash's text form into its 16 words of 16 bits, `words[0]` being the lowest (the last
 * four hex digits). Bit `k` of the hash is bit `k & 15` of `words[k >> 4]`, and word `i` holds
 * row `i` of the thresholded 16×16 DCT. Upper- and lower-case digits are accepted.
 * Throws `PdqError('PDQ_INVALID_HASH')` for anything but 64 hex digits.
 */
export function pdqHashBits(hex: string): Uint16Array {
  assertHex(hex)
  const words = new Uint16Array(16)
  for (let i = 0; i < 16; i++) {
    const at = PDQ_HEX_LENGTH - 4 * (i + 1)
    const v = hexValue(hex, at, 4)
    if (v < 0) throw invalidHash()
    words[i] = v
  }
  return words
}

/**
 * Formats 16 words of 16 bits as the reference text form: word 15 down to word 0, each as four
 * lower-case hex digits. Throws `RangeError` unless exactly 16 words are given.
 */
export function formatPdqHash(words: ArrayLike<number>): string {
  if (words.length !== 16) throw new RangeError('a PDQ hash has 16 words')
  let out = ''
  for (let i = 15; i >= 0; i--) out += ((words[i] as number) & 0xffff).toString(16).padStart(4, '0')
  return out
}

/**
 * Packs a hash into 8 unsigned 32-bit words at `out[offset..offset+8)` and returns `out`.
 * Word `k` holds 16-bit words `2k` (low half) and `2k+1` (high half), so 16-bit slot `s` is
 * `(out[offset + (s >> 1)] >>> ((s & 1) * 16)) & 0xffff`. This is the layout `MihIndex` and
 * `linearScan` use. Throws `PdqError('PDQ_INVALID_HASH')` for malformed text and `RangeError`
 * when `out` is too short.
 */
export function packPdqHash(
  hex: string,
  out: Uint32Array = new Uint32Array(PDQ_PACKED_WORDS),
  offset = 0,
): Uint32Array {
  assertHex(hex)
  if (!Number.isInteger(offset) || offset < 0 || offset + PDQ_PACKED_WORDS > out.length) {
    throw new RangeError('packed hash does not fit in the output buffer')
  }
  // Parse into locals first so a bad digit leaves `out` untouched.
  const words = PACK_SCRATCH
  for (let k = 0; k < PDQ_PACKED_WORDS; k++) {
    const v = hexValue(hex, PDQ_HEX_LENGTH - 8 * (k + 1), 8)
    if (v < 0) throw invalidHash()
    words[k] = v
  }
  out.set(words, offset)
  return out
}

/**
 * Inverse of `packPdqHash`: the text form of the packed hash at `packed[offset..offset+8)`.
 * Throws `RangeError` when the buffer is too short.
 */
export function unpackPdqHash(packed: Uint32Array, offset = 0): string {
  if (!Number.isInteger(offset) || offset < 0 || offset + PDQ_PACKED_WORDS > packed.length) {
    throw new RangeError('packed hash lies outside the buffer')
  }
  let out = ''
  for (let k = PDQ_PACKED_WORDS - 1; k >= 0; k--) {
    out += (packed[offset + k] as number).toString(16).padStart(8, '0')
  }
  return out
}
