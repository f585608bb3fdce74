import type { RgbImage } from '../image/index.js'
import { autocorrelate, findAutocorrelationPeaks } from './autocorrelation.js'

/** An approximate period vector: the true one lies within `radius` px of (`x`, `y`). */
export interface PeriodCandidate {
  readonly x: number
  readonly y: number
  readonly radius: number
  /** The autocorrelation peak's value, −1..1. */
  readonly value: number
}

const PEAK_MIN = 0.25
const PEAKS_BY_VALUE = 12
const PEAKS_BY_LENGTH = 12

/** Luma and one chroma axis, box-averaged by `f` over a crop, blurred lightly when `f > 1`. */
function featurePlanes(
  img: RgbImage,
  f: number,
  x0: number,
  y0: number,
  cw: number,
  ch: number,
): { a: Float64Array; b: Float64Array; width: number; height: number } {
  const width = Math.floor(cw / f)
  const height = Math.floor(ch / f)
  const a = new Float64Array(width * height)
  const b = new Float64Array(width * height)
  const d = img.data
  const iw = img.width
  const inv = 1 / (f * f)
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let r = 0
      let g = 0
      let bl = 0
      for (let v = 0; v < f; v++) {
        let k = ((y0 + j * f + v) * iw + x0 + i * f) * 3
        for (let u = 0; u < f; u++, k += 3) {
          r += d[k] as number
          g += d[k + 1] as number
          bl += d[k + 2] as number
        }
      }
      r *= inv
      g *= inv
      bl *= inv
      const y = 0.299 * r + 0.587 * g + 0.114 * bl
      a[j * width + i] = y
      // A chroma axis, so that two inks of equal luma still differ.
      b[j * width + i] = 0.7 * (r - y) + 0.4 * (bl - y)
    }
  }
  if (f > 1) {
    blur121(a, width, height)
    blur121(b, width, height)
  }
  return { a, b, width, height }
}

// Separable [1 2 1]/4 blur with clamped edges; softens the sampling-phase differences that a
// non-integer period (in downsampled pixels) causes between repeats.
function blur121(p: Float64Array, w: number, h: number): void {
  const t = new Float64Array(p.length)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = p[y * w + Math.max(0, x - 1)] as number
      const r = p[y * w + Math.min(w - 1, x + 1)] as number
      t[y * w + x] = 0.25 * l + 0.5 * (p[y * w + x] as number) + 0.25 * r
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = t[Math.max(0, y - 1) * w + x] as number
      const dn = t[Math.min(h - 1, y + 1) * w + x] as number
      p[y * w + x] = 0.25 * u + 0.5 * (t[y * w + x] as number) + 0.25 * dn
    }
  }
}

/**
 * Candidate period vectors from one analysis level: the crop (`x0`, `y0`, `cw`×`ch`) is reduced
 * by `f`, its normalised autocorrelation is computed over lags up to half its size (at least two
 * periods must fit), and the strongest and the shortest of its peaks (value ≥ 0.25; the shortest
 * only among those at least half as strong as the strongest) are returned as full-resolution lag
 * estimates with the radius of pixels within which the true lag lies.
 */
export function periodCandidates(
  img: RgbImage,
  f: number,
  x0: number,
  y0: number,
  cw: number,
  ch: number,
): PeriodCandidate[] {
  const planes = featurePlanes(img, f, x0, y0, cw, ch)
  if (planes.width < 4 || planes.height < 4) return []
  const map = autocorrelate(
    planes.a,
    planes.b,
    planes.width,
    planes.height,
    Math.ceil(planes.width / 2) + 1,
    Math.ceil(planes.height / 2) + 1,
  )
  const peaks = findAutocorrelationPeaks(map, PEAK_MIN, 1)
  const top = peaks[0]?.value ?? 0
  const byValue = peaks.slice(0, PEAKS_BY_VALUE)
  const byLength = peaks
    .filter((p) => p.value >= 0.5 * top)
    .sort((p, q) => p.dx * p.dx + p.dy * p.dy - (q.dx * q.dx + q.dy * q.dy))
    .slice(0, PEAKS_BY_LENGTH)
  const radius = f === 1 ? 1 : Math.ceil(f / 2) + 1
  const seen = new Set<string>()
  const out: PeriodCandidate[] = []
  for (const p of [...byValue, ...byLength]) {
    const key = `${p.dx},${p.dy}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ x: p.subX * f, y: p.subY * f, radius, value: p.value })
  }
  return out
}
