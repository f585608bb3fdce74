import sharp from 'sharp'
import { createPrng } from '../../src/core/colour/index.js'
import type { RgbImage } from '../../src/core/image/index.js'

/** One image edit of the benchmark. */
export interface Attack {
  readonly name: string
  readonly isRotation: boolean
  apply(img: RgbImage, seed: number): Promise<RgbImage>
}

function pipeline(img: RgbImage): sharp.Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
}

/** Decodes whatever sharp produced back to 8-bit RGB. */
export async function toRgb(s: sharp.Sharp): Promise<RgbImage> {
  const { data, info } = await s
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, data: new Uint8Array(data) }
}

async function reencode(img: RgbImage, format: 'jpeg' | 'webp', quality: number) {
  const bytes = await pipeline(img).toFormat(format, { quality }).toBuffer()
  return toRgb(sharp(bytes))
}

function resize(img: RgbImage, f: number): Promise<RgbImage> {
  return toRgb(pipeline(img).resize(Math.round(img.width * f), Math.round(img.height * f)))
}

function cropAt(img: RgbImage, w: number, h: number, left: number, top: number) {
  return toRgb(pipeline(img).extract({ left, top, width: w, height: h }))
}

function centreCrop(img: RgbImage, area: number): Promise<RgbImage> {
  const w = Math.round(img.width * Math.sqrt(area))
  const h = Math.round(img.height * Math.sqrt(area))
  return cropAt(img, w, h, (img.width - w) >> 1, (img.height - h) >> 1)
}

function randomCrop(img: RgbImage, side: number, seed: number): Promise<RgbImage> {
  const rng = createPrng(seed)
  const w = Math.round(img.width * side)
  const h = Math.round(img.height * side)
  return cropAt(
    img,
    w,
    h,
    Math.floor(rng() * (img.width - w + 1)),
    Math.floor(rng() * (img.height - h + 1)),
  )
}

function mapPixels(img: RgbImage, f: (v: number) => number): RgbImage {
  const data = new Uint8Array(img.data.length)
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.max(0, Math.min(255, Math.round(f(img.data[i] as number))))
  }
  return { width: img.width, height: img.height, data }
}

function gaussianNoise(img: RgbImage, sigma: number, seed: number): RgbImage {
  const rng = createPrng(seed)
  const data = new Uint8Array(img.data.length)
  for (let i = 0; i < data.length; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
    data[i] = Math.max(0, Math.min(255, Math.round((img.data[i] as number) + sigma * 255 * g)))
  }
  return { width: img.width, height: img.height, data }
}

/** Every attack of the issue, in its order. */
export const ATTACKS: readonly Attack[] = [
  { name: 'none', isRotation: false, apply: async (img) => img },
  { name: 'jpeg90', isRotation: false, apply: (img) => reencode(img, 'jpeg', 90) },
  { name: 'jpeg75', isRotation: false, apply: (img) => reencode(img, 'jpeg', 75) },
  { name: 'jpeg50', isRotation: false, apply: (img) => reencode(img, 'jpeg', 50) },
  { name: 'webp75', isRotation: false, apply: (img) => reencode(img, 'webp', 75) },
  { name: 'resize0.75', isRotation: false, apply: (img) => resize(img, 0.75) },
  { name: 'resize0.5', isRotation: false, apply: (img) => resize(img, 0.5) },
  { name: 'crop90', isRotation: false, apply: (img) => centreCrop(img, 0.9) },
  { name: 'crop50', isRotation: false, apply: (img) => centreCrop(img, 0.5) },
  { name: 'randomCrop71', isRotation: false, apply: (img, seed) => randomCrop(img, 0.71, seed) },
  {
    name: 'brightness1.3',
    isRotation: false,
    apply: async (img) => mapPixels(img, (v) => v * 1.3),
  },
  {
    name: 'contrast1.3',
    isRotation: false,
    apply: async (img) => mapPixels(img, (v) => (v - 128) * 1.3 + 128),
  },
  { name: 'blur1', isRotation: false, apply: (img) => toRgb(pipeline(img).blur(1)) },
  {
    name: 'noise0.02',
    isRotation: false,
    apply: async (img, seed) => gaussianNoise(img, 0.02, seed),
  },
  {
    name: 'rotate2',
    isRotation: true,
    apply: (img) => toRgb(pipeline(img).rotate(2, { background: { r: 0, g: 0, b: 0 } })),
  },
  {
    name: 'chain',
    isRotation: false,
    apply: async (img, seed) =>
      reencode(await randomCrop(await resize(img, 0.5), 0.71, seed), 'jpeg', 75),
  },
]
