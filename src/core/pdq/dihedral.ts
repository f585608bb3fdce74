import { PDQ_DCT_SIZE } from './dct16.js'

/**
 * The eight symmetries of the square, named as the reference names its dihedral hashes.
 * `rotate90` turns the image 90° counter-clockwise (`rotate270` clockwise); `flipX` mirrors it
 * top to bottom (across the horizontal axis) and `flipY` left to right; `flipPlus1` transposes
 * it (across the main diagonal) and `flipMinus1` mirrors it across the anti-diagonal.
 */
export type DihedralName =
  | 'original'
  | 'rotate90'
  | 'rotate180'
  | 'rotate270'
  | 'flipX'
  | 'flipY'
  | 'flipPlus1'
  | 'flipMinus1'

/** The dihedral variants in the reference's output order. */
export const DIHEDRAL_NAMES: readonly DihedralName[] = [
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
]

// Mirroring an axis multiplies the coefficient of frequency f along it by (-1)^f. Kept index
// k is frequency k + 1, so even k change sign. Rotations and diagonal flips also transpose.
// Each entry: whether to transpose, then whether to negate for an even row index, an even
// column index, and an odd row+column sum (the last covers the 180° rotation's (-1)^(i+j)).
interface DihedralRule {
  readonly isTransposed: boolean
  readonly negateEvenRow: boolean
  readonly negateEvenCol: boolean
  readonly negateOddSum: boolean
}

const RULES: Record<DihedralName, DihedralRule> = {
  original: {
    isTransposed: false,
    negateEvenRow: false,
    negateEvenCol: false,
    negateOddSum: false,
  },
  rotate90: { isTransposed: true, negateEvenRow: false, negateEvenCol: true, negateOddSum: false },
  rotate180: {
    isTransposed: false,
    negateEvenRow: false,
    negateEvenCol: false,
    negateOddSum: true,
  },
  rotate270: { isTransposed: true, negateEvenRow: true, negateEvenCol: false, negateOddSum: false },
  flipX: { isTransposed: false, negateEvenRow: true, negateEvenCol: false, negateOddSum: false },
  flipY: { isTransposed: false, negateEvenRow: false, negateEvenCol: true, negateOddSum: false },
  flipPlus1: {
    isTransposed: true,
    negateEvenRow: false,
    negateEvenCol: false,
    negateOddSum: false,
  },
  flipMinus1: {
    isTransposed: true,
    negateEvenRow: false,
    negateEvenCol: false,
    negateOddSum: true,
  },
}

/**
 * Writes to `out` the 16×16 DCT block of the image transformed by `name`, computed from the
 * original's block `dct` by sign changes and transposition alone (both row-major, 256 entries).
 * Row/column parity refers to the source coefficient (i, j), as in the reference's
 * `dct16OriginalTo*` functions.
 */
export function dihedralDct(dct: Float64Array, name: DihedralName, out: Float64Array): void {
  const rule = RULES[name]
  const n = PDQ_DCT_SIZE
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let negate = false
      if (rule.negateEvenRow && (i & 1) === 0) negate = !negate
      if (rule.negateEvenCol && (j & 1) === 0) negate = !negate
      if (rule.negateOddSum && ((i + j) & 1) === 1) negate = !negate
      const v = dct[i * n + j] as number
      out[rule.isTransposed ? j * n + i : i * n + j] = negate ? -v : v
    }
  }
}
