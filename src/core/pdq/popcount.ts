/**
 * Number of set bits in the low 32 bits of `x` (SWAR popcount). Always returns 0..32; any
 * number is read as its 32-bit two's-complement pattern, as bitwise operators do.
 */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  v = (v + (v >>> 4)) & 0x0f0f0f0f
  return Math.imul(v, 0x01010101) >>> 24
}
