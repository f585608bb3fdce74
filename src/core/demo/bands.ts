/**
 * A repeating sequence of bands: `[ink, width]` pairs laid end to end. Returns the ink at a
 * position, taken modulo the total width, so a tile built from bands is seamless.
 */
export function bands(
  sequence: readonly (readonly [number, number])[],
): (position: number) => number {
  const total = sequence.reduce((s, [, w]) => s + w, 0)
  const inkAt = new Uint8Array(total)
  let at = 0
  for (const [ink, width] of sequence) {
    inkAt.fill(ink, at, at + width)
    at += width
  }
  return (position) => inkAt[((Math.floor(position) % total) + total) % total] as number
}
