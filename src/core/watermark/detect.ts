import type { RgbImage } from '../image/index.js'
import { bitsToBytes, decodeSoft } from './codeword.js'
import { checkInputs } from './embed.js'
import { luma, whitenedResidual } from './filters.js'
import { CHIP, CODE_BITS, GRID, TILE, type TileLayout, tileLayout } from './layout.js'
import { CHIP_PROFILE, renderChips } from './pattern.js'
import {
  crossCorrelate,
  type HalfSpectrum,
  magnitudeAutocorrelation,
  realForward2d,
} from './spectrum.js'

/** What detection found. `payload` is set only when `found`. */
export interface WatermarkDetection {
  readonly found: boolean
  readonly payload: Uint8Array | null
  /** Pilot correlation peak in standard deviations of the correlation surface. */
  readonly score: number
  /** Coded bits before correction (CODE_BITS / 8 bytes), for the best synchronisation found. */
  readonly rawBits?: Uint8Array
}

/**
 * Pilot score a detection must reach, on top of the CRC-24 matching after Viterbi decoding. The
 * CRC alone bounds the false-positive rate: a search makes at most five decode attempts, each
 * passing on an unmarked image with probability 2⁻²⁴, so at most 3·10⁻⁷ per image. Unmarked
 * images give pilot peaks near 3–4.5 σ (the largest of 16,384 near-Gaussian values), so the
 * threshold removes most attempts before the CRC is even consulted. An image marked with another
 * key reaches 5–6.5 σ (two chip patterns correlate more widely at chip-aligned lags), so there
 * the CRC does all the work.
 */
export const SCORE_THRESHOLD = 5

const RESIDUAL_LIMIT = 6
// Scale/rotation hypotheses folded per image: 8 for a 1024×1024 image, more for smaller ones
// (a fold costs one pass over the pixels), up to 16.
const FOLD_BUDGET = 8 * 1024 * 1024
const MIN_CANDIDATES = 8
const MAX_CANDIDATES = 16
const ACF_WINDOW = 512
const DECODE_TRIES = 3

interface Geometry {
  readonly scale: number
  readonly angle: number
}

interface Sync {
  readonly geometry: Geometry
  readonly score: number
  readonly dx: number
  readonly dy: number
  readonly gain: number
  readonly folded: Float64Array
}

/**
 * Searches an image for a watermark made with `key`: estimates scale and rotation from the
 * autocorrelation of the whitened image, folds it into one tile, finds the offset by FFT
 * correlation with the pilot, demodulates and corrects. Never throws on an image of at least
 * 128×128; throws WatermarkError (`WATERMARK_IMAGE_TOO_SMALL`, `WATERMARK_KEY_INVALID`).
 */
export function detectWatermark(img: RgbImage, key: Uint8Array): WatermarkDetection {
  checkInputs(img, key)
  const { width, height } = img
  const layout = tileLayout(key)
  const pilotSpectrum = pilotSpectrumOf(layout)
  const residual = whitenedResidual(luma(img.data, width * height), width, height, RESIDUAL_LIMIT)
  // Most copies keep the geometry: try it first, and search scale and rotation only on failure.
  const identity = synchronise(residual, width, height, IDENTITY, pilotSpectrum)
  const first = attempt(identity, layout, pilotSpectrum)
  if (first.found) return first
  // Hypotheses in the order of their autocorrelation peaks; the right one is nearly always
  // among the first two, so one whose pilot is clear is decoded at once and a success ends the
  // search. At most DECODE_TRIES decodes are made here, whatever the order.
  const syncs: Sync[] = []
  const tried = new Set<Sync>()
  let best = first
  for (const g of candidateGeometries(residual, width, height)) {
    if (g === IDENTITY) continue
    const sync = synchronise(residual, width, height, g, pilotSpectrum)
    syncs.push(sync)
    if (sync.score >= SCORE_THRESHOLD && tried.size < DECODE_TRIES) {
      tried.add(sync)
      const result = attempt(sync, layout, pilotSpectrum)
      if (result.found) return result
      if (result.score > best.score) best = result
    }
  }
  syncs.sort((a, b) => b.score - a.score)
  for (const sync of syncs) {
    if (tried.size >= DECODE_TRIES) break
    if (tried.has(sync)) continue
    tried.add(sync)
    const result = attempt(sync, layout, pilotSpectrum)
    if (result.found) return result
    if (result.score > best.score) best = result
  }
  // Last resort: the strongest hypothesis, refined by a quadratic fit of the pilot score.
  const top = [identity, ...syncs].reduce((a, b) => (b.score > a.score ? b : a))
  if (top.score >= SCORE_THRESHOLD) {
    const refined = attempt(
      refine(top, residual, width, height, pilotSpectrum),
      layout,
      pilotSpectrum,
    )
    if (refined.found || refined.score > best.score) best = refined
  }
  return best
}

const SCALE_STEP = 0.002
const ANGLE_STEP = 0.002

// One round of a separable quadratic fit: the pilot score at ±one step in scale and in angle,
// then at the vertex of each parabola (within a step), keeping the best of the six. Five folds,
// where hill-climbing took up to twenty-four; marked images almost never get here, so this
// mostly bounds the time spent on unmarked ones.
function refine(
  start: Sync,
  residual: Float32Array,
  width: number,
  height: number,
  pilot: PilotSpectrum,
): Sync {
  const { scale, angle } = start.geometry
  const at = (ds: number, da: number): Sync =>
    synchronise(
      residual,
      width,
      height,
      { scale: scale * (1 + ds * SCALE_STEP), angle: angle + da * ANGLE_STEP },
      pilot,
    )
  const probes = [at(-1, 0), at(1, 0), at(0, -1), at(0, 1)] as const
  const os = vertex(probes[0].score, start.score, probes[1].score)
  const oa = vertex(probes[2].score, start.score, probes[3].score)
  const all = [start, ...probes]
  if (os !== 0 || oa !== 0) all.push(at(os, oa))
  return all.reduce((a, b) => (b.score > a.score ? b : a))
}

// Offset of the vertex of the parabola through (−1, a), (0, b), (1, c), within ±1; 0 unless the
// parabola opens downwards.
function vertex(a: number, b: number, c: number): number {
  const den = a - 2 * b + c
  if (den >= 0) return 0
  const o = (0.5 * (a - c)) / den
  return o > 1 ? 1 : Math.max(o, -1)
}

const IDENTITY: Geometry = { scale: 1, angle: 0 }

function attempt(sync: Sync, layout: TileLayout, pilot: PilotSpectrum): WatermarkDetection {
  const soft = demodulate(sync, layout, pilot)
  const payload = sync.score >= SCORE_THRESHOLD ? decodeSoft(soft) : null
  const rawBits = bitsToBytes(Array.from(soft, (v) => (v > 0 ? 1 : 0)))
  return { found: payload !== null, payload, score: round(sync.score), rawBits }
}

function round(v: number): number {
  return Math.round(v * 100) / 100
}

interface PilotSpectrum {
  readonly spectrum: HalfSpectrum
  readonly pattern: Float32Array
  readonly energy: number
}

function pilotSpectrumOf(layout: TileLayout): PilotSpectrum {
  const pattern = renderChips(layout.pilot)
  let energy = 0
  for (const v of pattern) energy += v * v
  return { spectrum: realForward2d(pattern, TILE), pattern, energy }
}

// Scale and rotation hypotheses: the identity (most edits keep the geometry) plus the strongest
// autocorrelation peaks of the residual whose length fits a tile between 0.4× and 1.3×.
function candidateGeometries(residual: Float32Array, width: number, height: number): Geometry[] {
  const out: Geometry[] = [IDENTITY]
  // A 512 window, centred; smaller images are zero-padded into it (a power of two keeps the
  // transform cheap). As wide a window as the image allows keeps the peak at twice the lag,
  // which halves the scale error, inside the window for crops of down-scaled copies.
  const side = Math.min(width, height)
  if (side < 256) return out
  const n = ACF_WINDOW
  const w = Math.min(width, n)
  const h = Math.min(height, n)
  const x0 = (width - w) >> 1
  const y0 = (height - h) >> 1
  const ox = (n - w) >> 1
  const oy = (n - h) >> 1
  let mean = 0
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * width + x0
    for (let x = 0; x < w; x++) mean += residual[row + x] as number
  }
  mean /= w * h
  const win = new Float64Array(n * n)
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * width + x0
    const dst = (oy + y) * n + ox
    for (let x = 0; x < w; x++) win[dst + x] = (residual[row + x] as number) - mean
  }
  // Magnitude (not power) spectrum: a partly whitened autocorrelation with sharper lattice peaks.
  const ac = magnitudeAutocorrelation(win, n)
  // n is a power of two: `& mask` wraps negative lags too.
  const mask = n - 1
  const at = (dx: number, dy: number): number => ac[(dy & mask) * n + (dx & mask)] as number
  const rMin = 0.4 * TILE
  const rMax = Math.min(1.3 * TILE, n / 2 - 2)
  const peaks: { dx: number; dy: number; v: number }[] = []
  const lim = Math.floor(rMax)
  for (let dy = 0; dy <= lim; dy++) {
    for (let dx = -lim; dx <= lim; dx++) {
      if (dy === 0 && dx <= 0) continue
      const r = Math.hypot(dx, dy)
      if (r < rMin || r > rMax) continue
      const v = at(dx, dy)
      if (
        v > at(dx - 1, dy) &&
        v >= at(dx + 1, dy) &&
        v > at(dx, dy - 1) &&
        v >= at(dx, dy + 1) &&
        v > at(dx - 1, dy - 1) &&
        v >= at(dx + 1, dy + 1) &&
        v > at(dx + 1, dy - 1) &&
        v >= at(dx - 1, dy + 1)
      ) {
        peaks.push({ dx, dy, v })
      }
    }
  }
  // The mark's lattice is square: rank each peak by the weaker of itself and its quarter turn,
  // which demotes the (mostly oblong) lattices of the design's own repeat.
  for (const p of peaks) p.v = Math.min(p.v, bestValue(at, -p.dy, p.dx, 2))
  peaks.sort((a, b) => b.v - a.v)
  const budget = Math.min(
    MAX_CANDIDATES,
    Math.max(MIN_CANDIDATES, Math.round(FOLD_BUDGET / (width * height))),
  )
  for (const p of peaks.slice(0, budget * 2)) {
    let [vx, vy] = refinePeak(at, p.dx, p.dy)
    // The peak at twice the lag halves the error of the estimate, when the window holds it.
    if (2 * Math.hypot(vx, vy) < n / 2 - 3) {
      const [bx, by] = bestNear(at, Math.round(2 * vx), Math.round(2 * vy), 2)
      const [rx, ry] = refinePeak(at, bx, by)
      vx = rx / 2
      vy = ry / 2
    }
    const scale = Math.hypot(vx, vy) / TILE
    let angle = Math.atan2(vy, vx)
    // A square lattice looks the same every quarter turn: fold the angle into [−45°, 45°).
    while (angle >= Math.PI / 4) angle -= Math.PI / 2
    while (angle < -Math.PI / 4) angle += Math.PI / 2
    const dup = out.some(
      (g) => Math.abs(g.scale - scale) < 0.01 * scale && Math.abs(g.angle - angle) < 0.006,
    )
    if (!dup) out.push({ scale, angle })
    if (out.length > budget) break
  }
  return out
}

function bestValue(
  at: (dx: number, dy: number) => number,
  cx: number,
  cy: number,
  r: number,
): number {
  const [x, y] = bestNear(at, cx, cy, r)
  return at(x, y)
}

function bestNear(
  at: (dx: number, dy: number) => number,
  cx: number,
  cy: number,
  r: number,
): [number, number] {
  let bx = cx
  let by = cy
  let bv = Number.NEGATIVE_INFINITY
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const v = at(cx + dx, cy + dy)
      if (v > bv) {
        bv = v
        bx = cx + dx
        by = cy + dy
      }
    }
  }
  return [bx, by]
}

function refinePeak(
  at: (dx: number, dy: number) => number,
  x: number,
  y: number,
): [number, number] {
  const c = at(x, y)
  const ox = parabola(at(x - 1, y), c, at(x + 1, y))
  const oy = parabola(at(x, y - 1), c, at(x, y + 1))
  return [x + ox, y + oy]
}

function parabola(a: number, b: number, c: number): number {
  const den = a - 2 * b + c
  if (den >= 0) return 0
  const o = (0.5 * (a - c)) / den
  return o > 0.5 ? 0.5 : Math.max(o, -0.5)
}

// Folds the residual into one tile at the hypothesised geometry (each pixel is added to the tile
// cell its inverse-warped position falls in, so nothing is resampled), then finds the pilot by
// circular FFT correlation.
function synchronise(
  residual: Float32Array,
  width: number,
  height: number,
  geometry: Geometry,
  pilot: PilotSpectrum,
): Sync {
  const size = TILE * TILE
  const sum = new Float64Array(size)
  if (geometry === IDENTITY) {
    // Integer cells: x mod TILE, y mod TILE.
    for (let y = 0; y < height; y++) {
      const trow = (y & (TILE - 1)) * TILE
      const row = y * width
      for (let x = 0; x < width; x++) {
        const b = trow + (x & (TILE - 1))
        sum[b] = (sum[b] as number) + (residual[row + x] as number)
      }
    }
  } else {
    const cos = Math.cos(geometry.angle) / geometry.scale
    const sin = Math.sin(geometry.angle) / geometry.scale
    // A whole number of tiles larger than any excursion (|cos| + |sin| ≤ 1.5 / scale) keeps u
    // and v positive, so truncation is the floor.
    const reach = ((width + height) * 1.5) / geometry.scale
    const big = TILE * Math.ceil(reach / TILE + 1)
    for (let y = 0; y < height; y++) {
      let u = sin * y + big
      let v = cos * y + big
      const row = y * width
      for (let x = 0; x < width; x++) {
        const b = ((v | 0) & (TILE - 1)) * TILE + ((u | 0) & (TILE - 1))
        sum[b] = (sum[b] as number) + (residual[row + x] as number)
        u += cos
        v -= sin
      }
    }
  }
  // Cell sums rather than means: a cell that more pixels fell into is weighted by its count,
  // which is what a matched filter over unequal cells wants (and saves a counter per pixel).
  let mean = 0
  for (let i = 0; i < size; i++) mean += sum[i] as number
  mean /= size
  for (let i = 0; i < size; i++) sum[i] = (sum[i] as number) - mean
  const folded = sum
  const re = crossCorrelate(folded, pilot.spectrum)
  let best = 0
  let s1 = 0
  let s2 = 0
  for (let i = 0; i < size; i++) {
    const v = re[i] as number
    s1 += v
    s2 += v * v
    if (v > (re[best] as number)) best = i
  }
  const m = s1 / size
  const sd = Math.sqrt(Math.max(s2 / size - m * m, 1e-30))
  const peak = re[best] as number
  return {
    geometry,
    score: (peak - m) / sd,
    dx: best % TILE,
    dy: Math.floor(best / TILE),
    gain: peak / pilot.energy,
    folded,
  }
}

// Matched filter per chip, after removing the pilot's share: folded cell (t + d) mod TILE holds
// tile pixel t. (The embedded tile is high-passed; the residual the tile was folded from is
// high-passed too, so the plain chip profile serves as the template.)
function demodulate(sync: Sync, layout: TileLayout, pilot: PilotSpectrum): Float64Array {
  const soft = new Float64Array(CODE_BITS)
  const f = sync.folded
  const p = pilot.pattern
  const tile = new Float32Array(TILE * TILE)
  for (let ty = 0; ty < TILE; ty++) {
    const fy = ((ty + sync.dy) & (TILE - 1)) * TILE
    for (let tx = 0; tx < TILE; tx++) {
      const i = ty * TILE + tx
      tile[i] = (f[fy + ((tx + sync.dx) & (TILE - 1))] as number) - sync.gain * (p[i] as number)
    }
  }
  for (let cy = 0; cy < GRID; cy++) {
    for (let cx = 0; cx < GRID; cx++) {
      const c = cy * GRID + cx
      let acc = 0
      for (let py = 0; py < CHIP; py++) {
        const row = (cy * CHIP + py) * TILE + cx * CHIP
        for (let px = 0; px < CHIP; px++) {
          acc += (tile[row + px] as number) * (CHIP_PROFILE[py * CHIP + px] as number)
        }
      }
      const bit = layout.bitOf[c] as number
      soft[bit] = (soft[bit] as number) + acc * (layout.spread[c] as number)
    }
  }
  return soft
}
