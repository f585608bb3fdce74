import { PDQ_DOWNSAMPLE_SIZE } from './jarosz-downsample.js'

/**
 * PDQ's image-domain quality (0..100) of a 64×64 row-major downsample: the sum of absolute
 * neighbour differences, each truncated to whole percent of full scale, divided by 90 and
 * clamped to 100 (reference `pdqImageDomainQualityMetric`). Below 50 the hash is too unstable
 * to match on.
 */
export function pdqQuality(buffer64: Float64Array): number {
  const n = PDQ_DOWNSAMPLE_SIZE
  let sum = 0
  for (let i = 0; i < n - 1; i++) {
    for (let j = 0; j < n; j++) {
      const d =
        (((buffer64[i * n + j] as number) - (buffer64[(i + 1) * n + j] as number)) * 100) / 255
      sum += Math.abs(Math.trunc(d))
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n - 1; j++) {
      const d =
        (((buffer64[i * n + j] as number) - (buffer64[i * n + j + 1] as number)) * 100) / 255
      sum += Math.abs(Math.trunc(d))
    }
  }
  return Math.min(100, Math.floor(sum / 90))
}
