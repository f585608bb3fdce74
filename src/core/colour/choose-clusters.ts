import {
  type Clustering,
  lloyd,
  pickNextCentre,
  type WeightedPoints,
  weightedMean,
} from './kmeans.js'
import type { Prng } from './prng.js'

/**
 * Stop adding clusters when one more would remove less than this share of the total variance:
 * the elbow. A flat ink under texture gains ~20–60 % of its own (small) noise variance per split,
 * while a real new colour removes a large share of the whole.
 */
export const ELBOW_GAIN = 0.02
/** Stop adding clusters once the RMS distance to the centres (CIELAB units, ≈ ΔE76) is below this. */
export const ELBOW_RMS = 2

/**
 * Weighted k-means with k chosen by the elbow rule, growing k from 1 to `maxK`: each step seeds
 * one more centre by k-means++ from the last clustering (so the run is deterministic for a given
 * `rng`) and keeps it only if it removes at least {@link ELBOW_GAIN} of the variance.
 */
export function clusterByElbow(points: WeightedPoints, maxK: number, rng: Prng): Clustering {
  let current = lloyd(points, weightedMean(points), 1)
  const total = current.sse
  let weight = 0
  for (let i = 0; i < points.size; i++) weight += points.weight[i] as number
  const dist2 = new Float64Array(points.size)
  for (let k = 2; k <= maxK; k++) {
    if (Math.sqrt(current.sse / weight) < ELBOW_RMS) break
    fillDistances(points, current, dist2)
    const next = pickNextCentre(points, dist2, rng)
    if (next < 0) break
    const start = new Float64Array(3 * k)
    start.set(current.centres)
    start.set(points.coords.subarray(3 * next, 3 * next + 3), 3 * (k - 1))
    const grown = lloyd(points, start, k)
    if (current.sse - grown.sse < ELBOW_GAIN * total) break
    current = grown
  }
  return current
}

function fillDistances(points: WeightedPoints, c: Clustering, dist2: Float64Array): void {
  for (let i = 0; i < points.size; i++) {
    const a = 3 * (c.assignment[i] as number)
    const dx = (points.coords[3 * i] as number) - (c.centres[a] as number)
    const dy = (points.coords[3 * i + 1] as number) - (c.centres[a + 1] as number)
    const dz = (points.coords[3 * i + 2] as number) - (c.centres[a + 2] as number)
    dist2[i] = dx * dx + dy * dy + dz * dz
  }
}
