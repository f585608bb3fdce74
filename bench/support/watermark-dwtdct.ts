import type { RgbImage } from '../../src/core/image/index.js'

// Baseline: invisible-watermark's `dwtDct` method (ShieldMnt/invisible-watermark, EmbedMaxDct),
// written from its published description: BGR→YUV (BT.601, 8-bit offsets), for the U and V
// channels (scales [0, 36, 36]) a level-1 Haar DWT, then for each 4×4 block of the approximation
// band an orthonormal DCT, and the bit `wm[blockIndex mod wmLen]` embedded by quantising the
// largest-magnitude AC coefficient: |c| ← (⌊|c|/scale⌋ + 0.25 + 0.5·bit)·scale, sign kept.
// Decoding reads (|c| mod scale) > scale/2 per block and takes the mean vote per bit. No sync, no
// ECC: exactly the library's behaviour.

const BLOCK = 4
const SCALES = [0, 36, 36] as const

const DCT = (() => {
  const m = new Float64Array(BLOCK * BLOCK)
  for (let k = 0; k < BLOCK; k++) {
    const a = k === 0 ? Math.sqrt(1 / BLOCK) : Math.sqrt(2 / BLOCK)
    for (let n = 0; n < BLOCK; n++)
      m[k * BLOCK + n] = a * Math.cos((Math.PI * (2 * n + 1) * k) / (2 * BLOCK))
  }
  return m
})()

function dct2(block: Float64Array, inverse: boolean): Float64Array {
  const tmp = new Float64Array(16)
  const out = new Float64Array(16)
  const c = (k: number, n: number) =>
    inverse ? (DCT[n * BLOCK + k] as number) : (DCT[k * BLOCK + n] as number)
  for (let y = 0; y < BLOCK; y++)
    for (let k = 0; k < BLOCK; k++) {
      let s = 0
      for (let n = 0; n < BLOCK; n++) s += c(k, n) * (block[y * BLOCK + n] as number)
      tmp[y * BLOCK + k] = s
    }
  for (let x = 0; x < BLOCK; x++)
    for (let k = 0; k < BLOCK; k++) {
      let s = 0
      for (let n = 0; n < BLOCK; n++) s += c(k, n) * (tmp[n * BLOCK + x] as number)
      out[k * BLOCK + x] = s
    }
  return out
}

function toYuv(img: RgbImage): Float64Array[] {
  const n = img.width * img.height
  const ch = [new Float64Array(n), new Float64Array(n), new Float64Array(n)]
  for (let i = 0; i < n; i++) {
    const r = img.data[i * 3] as number
    const g = img.data[i * 3 + 1] as number
    const b = img.data[i * 3 + 2] as number
    const y = 0.299 * r + 0.587 * g + 0.114 * b
    ;(ch[0] as Float64Array)[i] = y
    ;(ch[1] as Float64Array)[i] = 0.492 * (b - y) + 128
    ;(ch[2] as Float64Array)[i] = 0.877 * (r - y) + 128
  }
  return ch
}

function fromYuv(ch: Float64Array[], width: number, height: number): RgbImage {
  const n = width * height
  const data = new Uint8Array(n * 3)
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)))
  for (let i = 0; i < n; i++) {
    const y = (ch[0] as Float64Array)[i] as number
    const u = ((ch[1] as Float64Array)[i] as number) - 128
    const v = ((ch[2] as Float64Array)[i] as number) - 128
    data[i * 3] = clamp(y + 1.14 * v)
    data[i * 3 + 1] = clamp(y - 0.395 * u - 0.581 * v)
    data[i * 3 + 2] = clamp(y + 2.032 * u)
  }
  return { width, height, data }
}

// Visits every 4×4 block of the Haar approximation band of one channel (cropped to a multiple of
// 4 as the library does); `visit` may change the block's DCT, which is then written back.
function eachBlock(
  plane: Float64Array,
  width: number,
  height: number,
  visit: (dct: Float64Array, index: number) => boolean,
): void {
  const w2 = (width >> 2) * 2
  const h2 = (height >> 2) * 2
  const ca = new Float64Array(w2 * h2)
  for (let y = 0; y < h2; y++)
    for (let x = 0; x < w2; x++) {
      const i = 2 * y * width + 2 * x
      ca[y * w2 + x] =
        ((plane[i] as number) +
          (plane[i + 1] as number) +
          (plane[i + width] as number) +
          (plane[i + width + 1] as number)) /
        2
    }
  const cols = w2 / BLOCK
  let changed = false
  for (let by = 0; by < h2 / BLOCK; by++)
    for (let bx = 0; bx < cols; bx++) {
      const block = new Float64Array(16)
      for (let y = 0; y < BLOCK; y++)
        for (let x = 0; x < BLOCK; x++)
          block[y * BLOCK + x] = ca[(by * BLOCK + y) * w2 + bx * BLOCK + x] as number
      const d = dct2(block, false)
      if (visit(d, by * cols + bx)) {
        const back = dct2(d, true)
        for (let y = 0; y < BLOCK; y++)
          for (let x = 0; x < BLOCK; x++) {
            const at = (by * BLOCK + y) * w2 + bx * BLOCK + x
            const delta = (back[y * BLOCK + x] as number) - (ca[at] as number)
            // The Haar synthesis spreads a change of δ in the approximation as δ/2 on 4 pixels.
            const i = 2 * (by * BLOCK + y) * width + 2 * (bx * BLOCK + x)
            for (const j of [i, i + 1, i + width, i + width + 1])
              plane[j] = (plane[j] as number) + delta / 2
          }
        changed = true
      }
    }
  void changed
}

function maxAc(d: Float64Array): number {
  let pos = 1
  for (let i = 2; i < 16; i++) if (Math.abs(d[i] as number) > Math.abs(d[pos] as number)) pos = i
  return pos
}

/** Embeds `bits` (0/1) with the dwtDct method. */
export function dwtDctEmbed(img: RgbImage, bits: Uint8Array): RgbImage {
  const ch = toYuv(img)
  for (let c = 0; c < 3; c++) {
    const scale = SCALES[c] as number
    if (scale <= 0) continue
    eachBlock(ch[c] as Float64Array, img.width, img.height, (d, index) => {
      const bit = bits[index % bits.length] as number
      const pos = maxAc(d)
      const v = d[pos] as number
      const q = (Math.floor(Math.abs(v) / scale) + 0.25 + 0.5 * bit) * scale
      d[pos] = v >= 0 ? q : -q
      return true
    })
  }
  return fromYuv(ch, img.width, img.height)
}

/** Reads `length` bits with the dwtDct method (mean vote over blocks and channels). */
export function dwtDctDetect(img: RgbImage, length: number): Uint8Array {
  const ch = toYuv(img)
  const votes = new Float64Array(length)
  const counts = new Float64Array(length)
  for (let c = 0; c < 3; c++) {
    const scale = SCALES[c] as number
    if (scale <= 0) continue
    eachBlock(ch[c] as Float64Array, img.width, img.height, (d, index) => {
      const v = Math.abs(d[maxAc(d)] as number)
      const b = index % length
      votes[b] = (votes[b] as number) + (v % scale > 0.5 * scale ? 1 : 0)
      counts[b] = (counts[b] as number) + 1
      return false
    })
  }
  return Uint8Array.from(votes, (v, i) => (v / Math.max(1, counts[i] as number) > 0.5 ? 1 : 0))
}
