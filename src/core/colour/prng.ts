/** A deterministic source of uniform numbers in `[0, 1)`. */
export type Prng = () => number

/**
 * Mulberry32 (Tommy Ettinger, public domain): a 32-bit-state generator, fast and good enough for
 * sampling and procedural texture. Not for secrets. The same seed gives the same sequence.
 */
export function createPrng(seed: number): Prng {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
