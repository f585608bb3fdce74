import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ImageError } from '../../core/image/index.js'
import { SharpImageCodec, sniffFormat } from './sharp-image-codec.js'

const codec = new SharpImageCodec()

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (err) {
    return err instanceof ImageError ? err.code : `OTHER ${String(err)}`
  }
  return undefined
}

const rgba = sharp({
  create: { width: 8, height: 6, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } },
})

describe('SharpImageCodec', () => {
  it('decodes every accepted format to 8-bit RGB with alpha flattened on white', async () => {
    for (const format of ['png', 'jpeg', 'webp', 'tiff'] as const) {
      const bytes = await rgba.clone().toFormat(format).toBuffer()
      expect(sniffFormat(bytes)).toBe(format)
      const probe = await codec.probe(bytes)
      expect(probe).toMatchObject({ format, width: 8, height: 6 })
      const img = await codec.decode(bytes)
      expect(img.data.length).toBe(8 * 6 * 3)
      if (format === 'png') {
        // Half-transparent red over white.
        expect(img.data[0]).toBe(255)
        expect(Math.abs((img.data[1] as number) - 128)).toBeLessThanOrEqual(1)
        expect(Math.abs((img.data[2] as number) - 128)).toBeLessThanOrEqual(1)
      }
    }
  })

  it('decodes greyscale and 16-bit images to 8-bit RGB', async () => {
    const grey16 = await sharp({
      create: { width: 4, height: 4, channels: 3, background: { r: 128, g: 128, b: 128 } },
    })
      .greyscale()
      .toColourspace('grey16')
      .png()
      .toBuffer()
    const img = await codec.decode(grey16)
    expect(img.data.length).toBe(48)
    expect(Math.abs((img.data[0] as number) - 128)).toBeLessThanOrEqual(1)
  })

  it('refuses other formats, corrupt data and oversized headers with stable codes', async () => {
    const gif = await sharp({ create: { width: 2, height: 2, channels: 3, background: 'red' } })
      .gif()
      .toBuffer()
    expect(await codeOf(codec.probe(gif))).toBe('IMAGE_UNSUPPORTED_TYPE')
    expect(await codeOf(codec.probe(new Uint8Array(0)))).toBe('IMAGE_UNSUPPORTED_TYPE')
    const png = await rgba.clone().png().toBuffer()
    expect(await codeOf(codec.decode(png.subarray(0, png.length - 20)))).toBe('IMAGE_UNREADABLE')
    expect(
      await codeOf(codec.probe(Buffer.concat([png.subarray(0, 8), Buffer.alloc(40, 1)]))),
    ).toBe('IMAGE_UNREADABLE')
  })

  it('round-trips pixels through PNG encoding', async () => {
    const img = {
      width: 3,
      height: 2,
      data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]),
    }
    const back = await codec.decode(await codec.encodePng(img))
    expect([...back.data]).toEqual([...img.data])
  })
})
