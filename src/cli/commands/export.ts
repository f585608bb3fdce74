import { writeFile } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import type { ExportFormat } from '../../app/licence/index.js'
import { type Command, localCaller, UsageError } from '../context.js'

/** Where links written into exported files point when `SELVEDGE_PUBLIC_URL` is not set. */
const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:8787'

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a pattern with its licence written into the file (XMP)',
  usage: 'selvedge export ID --out FILE [--format png|jpeg] [--grant TOKEN] [--json]',
  options: {
    out: { type: 'string' },
    format: { type: 'string' },
    grant: { type: 'string' },
  },
  async run(ctx) {
    const [id, ...rest] = ctx.positionals
    if (id === undefined || rest.length > 0) throw new UsageError('give exactly one asset ID')
    const out = ctx.flags['out']
    if (typeof out !== 'string') throw new UsageError('--out FILE is required')
    const format = formatOf(ctx.flags['format'], out)
    const grant = ctx.flags['grant']
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      const result = await selvedge.exports.export(
        { caller, ...(typeof grant === 'string' ? { grant } : {}) },
        id,
        { format, baseUrl: ctx.env['SELVEDGE_PUBLIC_URL'] || DEFAULT_PUBLIC_URL },
      )
      const path = resolve(out)
      await writeFile(path, result.bytes)
      ctx.result(
        {
          path,
          format: result.format,
          mediaType: result.mediaType,
          sizeBytes: result.bytes.byteLength,
          sha256: result.sha256,
          licenseId: result.licenseId,
        },
        `wrote ${path} (${result.format}, ${result.bytes.byteLength} bytes${result.licenseId === null ? '' : `, licence ${result.licenseId}`})`,
      )
      return 0
    } finally {
      await selvedge.close()
    }
  },
}

function formatOf(flag: string | boolean | string[] | undefined, out: string): ExportFormat {
  if (flag === undefined) {
    const ext = extname(out).toLowerCase()
    return ext === '.jpg' || ext === '.jpeg' ? 'jpeg' : 'png'
  }
  if (flag === 'png' || flag === 'jpeg') return flag
  if (flag === 'jpg') return 'jpeg'
  throw new UsageError('--format must be png or jpeg')
}
