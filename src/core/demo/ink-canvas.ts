import { parseHex } from '../colour/index.js'
import type { RgbImage } from '../image/index.js'
import { createRgbImage } from '../image/index.js'
import { type LayoutType, tileCoordinate } from '../repeat/index.js'

/**
 * How drawing beyond the canvas edge behaves: a repeat layout wraps it onto the tile the way the
 * layout places the neighbouring tiles (so motifs cross tile edges seamlessly); `clip` drops it
 * (placed designs, and mirror tiles, whose edges meet their own reflection).
 */
export type CanvasWrap = Exclude<LayoutType, 'mirror'> | 'clip'

/** A raster of ink indices: a design before colour, so every pixel is exactly one ink. */
export interface InkCanvas {
  readonly width: number
  readonly height: number
  readonly wrap: CanvasWrap
  /** Ink index of each pixel, row-major. */
  readonly ink: Uint8Array
}

/** An axis-aligned box in pattern-plane pixels: left, top, right, bottom. */
export type Box = readonly [number, number, number, number]

/** A filled region: its bounding box and a membership test for a point (pixel centres). */
export interface Shape {
  readonly box: Box
  readonly inside: (x: number, y: number) => boolean
}

/** A canvas filled with ink `background`. */
export function createInkCanvas(
  width: number,
  height: number,
  wrap: CanvasWrap,
  background = 0,
): InkCanvas {
  return { width, height, wrap, ink: new Uint8Array(width * height).fill(background) }
}

/** Sets every tile pixel to `inkAt(x, y)`, sampled at pixel centres. */
export function fillEach(canvas: InkCanvas, inkAt: (x: number, y: number) => number): void {
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++)
      canvas.ink[y * canvas.width + x] = inkAt(x + 0.5, y + 0.5)
  }
}

/**
 * Paints `shape` in `ink`: every pattern-plane pixel whose centre is inside, wrapped onto the
 * tile by the canvas's layout or clipped. No antialiasing, so inks stay exact.
 */
export function fillShape(canvas: InkCanvas, shape: Shape, ink: number): void {
  const [x0, y0, x1, y1] = shape.box
  const tc: [number, number] = [0, 0]
  const { width: w, height: h, wrap } = canvas
  for (let py = Math.floor(y0); py < Math.ceil(y1); py++) {
    for (let px = Math.floor(x0); px < Math.ceil(x1); px++) {
      if (!shape.inside(px + 0.5, py + 0.5)) continue
      if (wrap === 'clip') {
        if (px >= 0 && py >= 0 && px < w && py < h) canvas.ink[py * w + px] = ink
      } else {
        tileCoordinate(wrap, w, h, px, py, tc)
        canvas.ink[tc[1] * w + tc[0]] = ink
      }
    }
  }
}

/** The colour image of a canvas, ink `i` printed in `inks[i]`. Throws RangeError for a missing ink. */
export function renderInks(canvas: InkCanvas, inks: readonly string[]): RgbImage {
  const lut = new Uint8Array(inks.length * 3)
  inks.forEach((hex, i) => {
    lut.set(parseHex(hex), 3 * i)
  })
  const img = createRgbImage(canvas.width, canvas.height)
  const d = img.data
  for (let i = 0, j = 0; i < canvas.ink.length; i++, j += 3) {
    const k = canvas.ink[i] as number
    if (k >= inks.length) throw new RangeError(`ink ${k} has no colour`)
    d[j] = lut[3 * k] as number
    d[j + 1] = lut[3 * k + 1] as number
    d[j + 2] = lut[3 * k + 2] as number
  }
  return img
}

/** The inks used on a canvas, ascending. */
export function inksUsed(canvas: InkCanvas): number[] {
  const seen = new Uint8Array(256)
  for (let i = 0; i < canvas.ink.length; i++) seen[canvas.ink[i] as number] = 1
  const used: number[] = []
  for (let k = 0; k < 256; k++) if (seen[k] === 1) used.push(k)
  return used
}
