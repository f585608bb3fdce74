import { MeteringError } from './metering-error.js'

// Royalties follow the asset's lineage: a derived work pays each ancestor a fixed share of its
// own revenue (a Lineage-Aware Payout, LAP). Amounts are split with the largest-remainder
// method, so the parts are integers that add up exactly to the charge, every part is within one
// minor unit of its exact share, and no money is created or lost to rounding.

/** How one charge divides between platform, upstream owners, designers and the studio. */
export interface RevenueSplit {
  readonly totalMinor: number
  readonly platformFeeMinor: number
  readonly studioMinor: number
  readonly designers: readonly { readonly designerId: string; readonly amountMinor: number }[]
  readonly upstream: readonly { readonly assetId: string; readonly amountMinor: number }[]
}

/** An edge from an asset to one it was made from, with the royalty that ancestor is owed. */
export interface LineageEdge {
  readonly relation: 'derivedFrom' | 'colourwayOf' | 'variantOf' | 'inspiredBy'
  readonly assetId: string
  /** Basis points (1/100 of a percent) of the root asset's revenue; integer 0..10,000. */
  readonly royaltyBps: number
}

/** 100% in basis points. */
export const BPS_WHOLE = 10_000

// Inspiration is credited, not paid: only these relations carry royalties.
const PAYING_RELATIONS: ReadonlySet<LineageEdge['relation']> = new Set([
  'derivedFrom',
  'colourwayOf',
  'variantOf',
])

function splitInvalid(message: string): MeteringError {
  return new MeteringError('SPLIT_INVALID', message)
}

function checkBps(bps: unknown, what: string): number {
  if (typeof bps !== 'number' || !Number.isInteger(bps) || bps < 0 || bps > BPS_WHOLE) {
    throw splitInvalid(`${what} must be an integer 0..10000 bps`)
  }
  return bps
}

/**
 * The royalty rates the ancestors of `assetId` are owed, in bps of `assetId`'s revenue.
 * Ancestors are visited breadth-first along `derivedFrom`, `colourwayOf` and `variantOf` edges
 * (never `inspiredBy`); each node's edges are taken in `assetId` order (then as given), so the
 * result does not depend on storage order. An ancestor reached through an edge gets that edge's
 * `royaltyBps`; one reached again (a diamond or a cycle, including back to `assetId`) counts
 * once, by its first, shortest path. The running total is capped at 10,000 bps: the ancestor
 * that would pass it gets the remainder and later ones get nothing. Ancestors with 0 bps are
 * omitted, but their own ancestors are still visited. Throws `SPLIT_INVALID` for an edge whose
 * `royaltyBps` is not an integer 0..10,000.
 */
export function upstreamRates(
  assetId: string,
  lineageOf: (assetId: string) => readonly LineageEdge[],
): { readonly assetId: string; readonly bps: number }[] {
  const seen = new Set<string>([assetId])
  const queue: string[] = [assetId]
  const rates: { assetId: string; bps: number }[] = []
  let total = 0
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string
    const edges = [...lineageOf(node)]
      .filter((e) => PAYING_RELATIONS.has(e.relation))
      .sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0))
    for (const edge of edges) {
      const bps = checkBps(edge.royaltyBps, `royalty of ${node} → ${edge.assetId}`)
      if (seen.has(edge.assetId)) continue
      seen.add(edge.assetId)
      queue.push(edge.assetId)
      const granted = Math.min(bps, BPS_WHOLE - total)
      total += granted
      if (granted > 0) rates.push({ assetId: edge.assetId, bps: granted })
    }
  }
  return rates
}

/**
 * Splits `totalMinor`: the platform fee is `platformFeeBps` of the total and each upstream
 * asset its `bps` of the total; of what remains, `designerPoolBps` goes to the designers by
 * `shareBps` (to the studio when there are no designers) and the studio keeps the rest. Every
 * part is a non-negative integer within one minor unit of its exact share, and the parts sum
 * exactly to the total (largest remainder; ties go to the earlier part in the order platform,
 * upstream, designers, studio). `designers` and `upstream` keep their input order, zeros
 * included. Throws `MeteringError` (`SPLIT_INVALID`) for a total that is not a non-negative safe
 * integer, a bps that is not an integer 0..10,000, designer shares not summing to 10,000, or
 * platform plus upstream above 10,000 bps.
 */
export function splitRevenue(p: {
  totalMinor: number
  platformFeeBps: number
  designerPoolBps: number
  designers: readonly { designerId: string; shareBps: number }[]
  upstream: readonly { assetId: string; bps: number }[]
}): RevenueSplit {
  const { totalMinor } = p
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) {
    throw splitInvalid('totalMinor must be a non-negative safe integer')
  }
  const fee = BigInt(checkBps(p.platformFeeBps, 'platformFeeBps'))
  const pool = BigInt(checkBps(p.designerPoolBps, 'designerPoolBps'))
  const upstream = p.upstream.map((u) => BigInt(checkBps(u.bps, `upstream ${u.assetId} bps`)))
  const shares = p.designers.map((d) => BigInt(checkBps(d.shareBps, `share of ${d.designerId}`)))
  const shareSum = shares.reduce((a, b) => a + b, 0n)
  if (shares.length > 0 && shareSum !== 10_000n) {
    throw splitInvalid(`designer shares sum to ${shareSum} bps, not 10000`)
  }
  const taken = fee + upstream.reduce((a, b) => a + b, 0n)
  if (taken > 10_000n) throw splitInvalid(`platform fee plus upstream is ${taken} bps, over 10000`)

  // Exact shares as numerators over D = 10^12 (bps of bps of bps), in bigint.
  const W = 10_000n
  const total = BigInt(totalMinor)
  const rest = W - taken
  const numerators: bigint[] = [fee * W * W * total, ...upstream.map((u) => u * W * W * total)]
  let designerNums = 0n
  for (const s of shares) {
    const n = rest * pool * s * total
    numerators.push(n)
    designerNums += n
  }
  numerators.push(rest * W * W * total - designerNums)

  const D = W * W * W
  const parts = numerators.map((n) => n / D)
  let left = total - parts.reduce((a, b) => a + b, 0n)
  // Largest remainder first; Array.prototype.sort is stable, so ties keep part order.
  const order = numerators
    .map((n, i) => ({ i, r: n % D }))
    .sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : 0))
  for (const { i } of order) {
    if (left === 0n) break
    parts[i] = (parts[i] as bigint) + 1n
    left--
  }

  const at = (i: number): number => Number(parts[i] as bigint)
  const u0 = 1
  const d0 = u0 + upstream.length
  return {
    totalMinor,
    platformFeeMinor: at(0),
    studioMinor: at(parts.length - 1),
    designers: p.designers.map((d, j) => ({ designerId: d.designerId, amountMinor: at(d0 + j) })),
    upstream: p.upstream.map((u, j) => ({ assetId: u.assetId, amountMinor: at(u0 + j) })),
  }
}
