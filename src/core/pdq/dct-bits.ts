import { PDQ_DCT_SIZE } from './dct16.js'

/**
 * Thresholds a row-major 16×16 DCT block at its median into 16 words of 16 bits: bit `j` of
 * word `i` is set when coefficient (i, j) is strictly greater than the median. The median is
 * the lower one (the 128th smallest of 256), which is what the reference's Torben selection
 * returns for an even count.
 */
export function dctToWords(dct: Float64Array): Uint16Array {
  const n = PDQ_DCT_SIZE * PDQ_DCT_SIZE
  const sorted = Float64Array.from(dct.subarray(0, n)).sort()
  const median = sorted[(n >> 1) - 1] as number
  const words = new Uint16Array(PDQ_DCT_SIZE)
  for (let i = 0; i < PDQ_DCT_SIZE; i++) {
    let w = 0
    for (let j = 0; j < PDQ_DCT_SIZE; j++) {
      if ((dct[i * PDQ_DCT_SIZE + j] as number) > median) w |= 1 << j
    }
    words[i] = w
  }
  return words
}
