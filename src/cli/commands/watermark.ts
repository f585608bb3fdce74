import { writeFile } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import sharp from 'sharp'
import type { RgbImage } from '../../core/image/index.js'
import { HttpError } from '../../http/errors.js'
import { type Command, localCaller, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

type OutFormat = 'png' | 'jpeg' | 'webp' | 'tiff'

const FORMATS: Record<string, OutFormat> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.tif': 'tiff',
  '.tiff': 'tiff',
}

// Lossy formats at a high quality: the mark survives far lower, but the file should not be the
// thing that degrades the design.
async function encode(image: RgbImage, format: OutFormat): Promise<Buffer> {
  const s = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
  switch (format) {
    case 'png':
      return s.png().toBuffer()
    case 'jpeg':
      return s.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer()
    case 'webp':
      return s.webp({ quality: 95 }).toBuffer()
    case 'tiff':
      return s.tiff({ compression: 'lzw' }).toBuffer()
  }
}

export const watermarkCommand: Command = {
  name: 'watermark',
  summary: 'embed or detect the studio’s invisible watermark (64-bit payload)',
  usage:
    'selvedge watermark embed IN OUT --payload HEX16 [--json] | selvedge watermark detect IN [--json]',
  options: {
    payload: { type: 'string' },
  },
  async run(ctx) {
    const [action, ...files] = ctx.positionals
    if (action === 'embed') {
      const [input, output] = files
      if (input === undefined || output === undefined || files.length !== 2) {
        throw new UsageError('embed takes IN and OUT')
      }
      const payload = ctx.flags['payload']
      if (typeof payload !== 'string') throw new UsageError('--payload HEX16 is required')
      const format = FORMATS[extname(output).toLowerCase()]
      if (format === undefined) throw new UsageError('OUT must end in .png, .jpg, .webp or .tif')
      const bytes = await readInputFile(input)
      const selvedge = await ctx.open()
      try {
        const caller = await localCaller(selvedge, ctx.env)
        const service = selvedge.watermark
        const { image, psnr } = await service.embed(caller, bytes, payload)
        const path = resolve(output)
        try {
          await writeFile(path, await encode(image, format))
        } catch (cause) {
          throw new HttpError('FILE_UNREADABLE', `${output}: cannot be written`, { cause })
        }
        ctx.result({ psnr }, `wrote ${path} (PSNR ${psnr} dB)`)
        return 0
      } finally {
        await selvedge.close()
      }
    }
    if (action === 'detect') {
      const [input] = files
      if (input === undefined || files.length !== 1) throw new UsageError('detect takes IN')
      const bytes = await readInputFile(input)
      const selvedge = await ctx.open()
      try {
        const caller = await localCaller(selvedge, ctx.env)
        const service = selvedge.watermark
        const report = await service.detect(caller, bytes)
        ctx.result(
          report,
          report.found
            ? `watermark found: payload ${report.payload} (score ${report.score})`
            : `no watermark found (score ${report.score})`,
        )
        return 0
      } finally {
        await selvedge.close()
      }
    }
    throw new UsageError('give embed or detect')
  },
}
