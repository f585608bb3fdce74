import { MeteringError } from './metering-error.js'

// Revenue from a model trained on a dataset pays back to the patterns it learned from: the
// amount is divided across the dataset's patterns pro rata by count (every pattern weighs 1) or
// by the weights the dataset states. Largest-remainder rounding keeps every part an integer and
// the parts summing exactly to the amount; the datasets issue calls this.

/** One pattern of a dataset, with its weight (default 1). */
export interface DatasetMember {
  readonly assetId: string
  /** A non-negative safe integer; absent: 1 (pro rata by count). */
  readonly weight?: number
}

/**
 * Divides `totalMinor` across `members` in proportion to their weights. Ties in the remainder
 * go to the earlier member. Throws `SPLIT_INVALID` for an empty dataset, a repeated asset, a
 * weight that is not a non-negative safe integer, weights summing to 0, or a bad total.
 */
export function splitAcrossDataset(
  totalMinor: number,
  members: readonly DatasetMember[],
): { readonly assetId: string; readonly amountMinor: number }[] {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) {
    throw new MeteringError('SPLIT_INVALID', 'totalMinor must be a non-negative safe integer')
  }
  if (members.length === 0) throw new MeteringError('SPLIT_INVALID', 'the dataset has no patterns')
  const seen = new Set<string>()
  const weights = members.map((m) => {
    if (seen.has(m.assetId)) {
      throw new MeteringError('SPLIT_INVALID', `${m.assetId} appears twice in the dataset`)
    }
    seen.add(m.assetId)
    const w = m.weight ?? 1
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new MeteringError(
        'SPLIT_INVALID',
        `the weight of ${m.assetId} must be a non-negative integer`,
      )
    }
    return BigInt(w)
  })
  const sum = weights.reduce((a, b) => a + b, 0n)
  if (sum === 0n) throw new MeteringError('SPLIT_INVALID', 'the weights sum to 0')
  const total = BigInt(totalMinor)
  const parts = weights.map((w) => (w * total) / sum)
  let left = total - parts.reduce((a, b) => a + b, 0n)
  const order = weights
    .map((w, i) => ({ i, r: (w * total) % sum }))
    .sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : 0))
  for (const { i } of order) {
    if (left === 0n) break
    parts[i] = (parts[i] as bigint) + 1n
    left--
  }
  return members.map((m, i) => ({ assetId: m.assetId, amountMinor: Number(parts[i] as bigint) }))
}
