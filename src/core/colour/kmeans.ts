import type { Prng } from './prng.js'

/** Points in a 3-D colour space with a weight (a pixel count) each. */
export interface WeightedPoints {
  readonly size: number
  /** Interleaved coordinates, `3 * size` long. */
  readonly coords: Float64Array
  readonly weight: Float64Array
}

/** A clustering: `centres` interleaved (`3 * k`), each point's centre, and the weighted SSE. */
export interface Clustering {
  readonly k: number
  readonly centres: Float64Array
  readonly assignment: Int32Array
  readonly sse: number
}

const MAX_ITERATIONS = 20
// Centres that move less than 0.1 (in Lab units, so ≈ 0.1 ΔE76) have converged.
const CONVERGED_SHIFT2 = 1e-2

/**
 * Assigns every point to its nearest centre (squared Euclidean distance; ties go to the lower
 * index, so the result is deterministic). Writes `assignment` and each point's squared distance
 * into `dist2`, and returns the weighted sum of squared distances.
 */
export function assignNearest(
  points: WeightedPoints,
  centres: Float64Array,
  k: number,
  assignment: Int32Array,
  dist2: Float64Array,
): number {
  const p = points.coords
  let sse = 0
  for (let i = 0; i < points.size; i++) {
    const x = p[3 * i] as number
    const y = p[3 * i + 1] as number
    const z = p[3 * i + 2] as number
    let best = 0
    let bestD = Number.POSITIVE_INFINITY
    for (let c = 0; c < k; c++) {
      const dx = x - (centres[3 * c] as number)
      const dy = y - (centres[3 * c + 1] as number)
      const dz = z - (centres[3 * c + 2] as number)
      const d = dx * dx + dy * dy + dz * dz
      if (d < bestD) {
        bestD = d
        best = c
      }
    }
    assignment[i] = best
    dist2[i] = bestD
    sse += bestD * (points.weight[i] as number)
  }
  return sse
}

/**
 * Lloyd's algorithm from the given starting centres (weighted means, at most 20 rounds). A centre
 * that loses all its points keeps its position. Returns a new clustering; `start` is not changed.
 */
export function lloyd(points: WeightedPoints, start: Float64Array, k: number): Clustering {
  const centres = start.slice(0, 3 * k)
  const assignment = new Int32Array(points.size)
  const dist2 = new Float64Array(points.size)
  const sums = new Float64Array(3 * k)
  const weights = new Float64Array(k)
  let sse = assignNearest(points, centres, k, assignment, dist2)
  for (let round = 0; round < MAX_ITERATIONS; round++) {
    sums.fill(0)
    weights.fill(0)
    for (let i = 0; i < points.size; i++) {
      const c = assignment[i] as number
      const w = points.weight[i] as number
      weights[c] = (weights[c] as number) + w
      sums[3 * c] = (sums[3 * c] as number) + w * (points.coords[3 * i] as number)
      sums[3 * c + 1] = (sums[3 * c + 1] as number) + w * (points.coords[3 * i + 1] as number)
      sums[3 * c + 2] = (sums[3 * c + 2] as number) + w * (points.coords[3 * i + 2] as number)
    }
    let shift = 0
    for (let c = 0; c < k; c++) {
      const w = weights[c] as number
      if (w === 0) continue
      for (let d = 0; d < 3; d++) {
        const next = (sums[3 * c + d] as number) / w
        const delta = next - (centres[3 * c + d] as number)
        shift = Math.max(shift, delta * delta)
        centres[3 * c + d] = next
      }
    }
    sse = assignNearest(points, centres, k, assignment, dist2)
    if (shift < CONVERGED_SHIFT2) break
  }
  return { k, centres, assignment, sse }
}

/**
 * Picks the next k-means++ centre (Arthur & Vassilvitskii 2007): a point drawn with probability
 * proportional to weight × squared distance to the nearest existing centre. Returns its index, or
 * -1 when every point already coincides with a centre.
 */
export function pickNextCentre(points: WeightedPoints, dist2: Float64Array, rng: Prng): number {
  let total = 0
  for (let i = 0; i < points.size; i++) total += (dist2[i] as number) * (points.weight[i] as number)
  if (!(total > 0)) return -1
  let target = rng() * total
  let last = -1
  for (let i = 0; i < points.size; i++) {
    const m = (dist2[i] as number) * (points.weight[i] as number)
    if (m <= 0) continue
    last = i
    target -= m
    if (target < 0) return i
  }
  return last
}

/** The weighted mean of all points. */
export function weightedMean(points: WeightedPoints): Float64Array {
  const out = new Float64Array(3)
  let total = 0
  for (let i = 0; i < points.size; i++) {
    const w = points.weight[i] as number
    total += w
    out[0] = (out[0] as number) + w * (points.coords[3 * i] as number)
    out[1] = (out[1] as number) + w * (points.coords[3 * i + 1] as number)
    out[2] = (out[2] as number) + w * (points.coords[3 * i + 2] as number)
  }
  if (total > 0) for (let d = 0; d < 3; d++) out[d] = (out[d] as number) / total
  return out
}
