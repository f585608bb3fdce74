import { TlogError } from './tlog-error.js'

/**
 * The largest tree size the log supports, 2^52: every stored-hash index of such a tree stays
 * below `Number.MAX_SAFE_INTEGER`, so all index arithmetic is exact on JavaScript numbers.
 */
export const MAX_TREE_SIZE = 2 ** 52

/** Throws `LOG_SIZE_INVALID` unless `size` is an integer in `[min, MAX_TREE_SIZE]`. */
export function checkSize(size: number, what = 'tree size', min = 0): void {
  if (!Number.isSafeInteger(size) || size < min || size > MAX_TREE_SIZE) {
    throw new TlogError(
      'LOG_SIZE_INVALID',
      `${what} ${String(size)} is not an integer in [${min}, 2^52]`,
    )
  }
}

/** Throws `LOG_INDEX_OUT_OF_RANGE` unless `index` is an integer in `[0, size)`. */
export function checkIndex(index: number, size: number, what = 'index'): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new TlogError(
      'LOG_INDEX_OUT_OF_RANGE',
      `${what} ${String(index)} is outside a tree of size ${size}`,
    )
  }
}

/** The largest power of two strictly less than `n` (n ≥ 2), as RFC 9162 §2.1.1 splits trees. */
export function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** The number of trailing zero bits of a non-negative safe integer (0 for 0). */
export function trailingZeros(n: number): number {
  if (n === 0) return 0
  let z = 0
  while (n % 2 === 0) {
    n /= 2
    z++
  }
  return z
}
