import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256Hex } from '../../app/analyse-file.js'
import type { MetadataInput } from '../../core/archive/index.js'
import { HttpError, toErrorResponse } from '../../http/errors.js'
import { type Command, localCaller, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|tiff?)$/i

interface IngestRow {
  file: string
  id: string | null
  sha256: string | null
  status: 'created' | 'existing' | 'rejected'
  /** The `asset.registered` entry's transparency-log index (created assets). */
  logIndex?: number
  /** With `--version-of`: the asset's provenance tier after the version (and its steps). */
  tier?: string
  error?: { code: string; message: string }
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'add files (or every image in folders) to the archive',
  usage:
    'selvedge ingest FILE|DIR... [--collection NAME] [--designer NAME] [--tag T]... [--publish] [--version-of ID [--steps STEPS.json]] [--json]',
  options: {
    collection: { type: 'string' },
    designer: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    publish: { type: 'boolean' },
    'version-of': { type: 'string' },
    steps: { type: 'string' },
  },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new UsageError('give at least one FILE or DIR')
    const files: string[] = []
    for (const p of ctx.positionals) files.push(...(await expand(p)))
    const versionOf = ctx.flags['version-of']
    if (typeof versionOf === 'string' && files.length !== 1) {
      throw new UsageError('--version-of takes exactly one file')
    }
    const stepsFile = ctx.flags['steps']
    if (typeof stepsFile === 'string' && typeof versionOf !== 'string') {
      throw new UsageError('--steps goes with --version-of (or use `authorship add`)')
    }
    // The steps file is read before anything is stored: a bad file refuses the whole command.
    const steps = typeof stepsFile === 'string' ? await readSteps(stepsFile) : undefined
    const metadata: { -readonly [K in keyof MetadataInput]: MetadataInput[K] } = {}
    const collection = ctx.flags['collection']
    if (typeof collection === 'string') metadata.collection = collection
    const designers = ctx.flags['designer']
    if (Array.isArray(designers)) metadata.designers = designers.map((name) => ({ name }))
    const tags = ctx.flags['tag']
    if (Array.isArray(tags)) metadata.tags = tags.map((t) => t.toLowerCase())
    if (ctx.flags['publish'] === true) metadata.visibility = 'published'

    const selvedge = await ctx.open()
    const rows: IngestRow[] = []
    // Each created asset's log entry is queued with it; all are waited for once at the end, so
    // a folder of thousands of files costs one batch interval, not one per file.
    const waiting: { row: IngestRow; submission: string }[] = []
    try {
      const caller = await localCaller(selvedge, ctx.env)
      for (const file of files) {
        try {
          const bytes = await readInputFile(file)
          const r =
            typeof versionOf === 'string'
              ? await selvedge.assets.addVersion(
                  caller,
                  versionOf,
                  bytes,
                  steps === undefined ? {} : { steps },
                )
              : await selvedge.assets.ingest(
                  caller,
                  { bytes, metadata, filename: file },
                  { waitForLog: false },
                )
          const row: IngestRow = {
            file,
            id: r.asset.id,
            sha256: sha256Hex(bytes),
            status: r.status,
          }
          if (typeof versionOf === 'string') row.tier = r.asset.tier
          rows.push(row)
          if (r.logSubmission !== undefined) waiting.push({ row, submission: r.logSubmission })
          if (!ctx.json) ctx.info(`${r.status.padEnd(8)} ${r.asset.id} ${file}`)
        } catch (err) {
          const { body, status } = toErrorResponse(err)
          if (status >= 500) throw err
          rows.push({ file, id: null, sha256: null, status: 'rejected', error: body.error })
          if (!ctx.json) ctx.info(`rejected ${body.error.code} ${file}: ${body.error.message}`)
        }
      }
      const indexes = await selvedge.log.waitFor(waiting.map((w) => w.submission))
      for (const [i, w] of waiting.entries()) w.row.logIndex = indexes[i] as number
    } finally {
      await selvedge.close()
    }
    const rejected = rows.filter((r) => r.status === 'rejected').length
    ctx.result(
      rows,
      `${rows.length - rejected} ingested (${rows.filter((r) => r.status === 'created').length} new), ${rejected} rejected`,
    )
    return rejected === 0 ? 0 : 5
  },
}

/** The JSON of a `--steps` file: an array of steps (checked by the provenance service). */
async function readSteps(path: string): Promise<unknown> {
  const text = (await readInputFile(path)).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new HttpError('REQUEST_INVALID', `${path}: not JSON`, { cause })
  }
}

/** A file as itself; a folder as every image file beneath it, in name order. */
async function expand(path: string): Promise<string[]> {
  const s = await stat(path).catch(() => null)
  if (s === null) return [path]
  if (!s.isDirectory()) return [path]
  const out: string[] = []
  const entries = await readdir(path, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const child = join(path, e.name)
    if (e.isDirectory()) out.push(...(await expand(child)))
    else if (e.isFile() && IMAGE_EXTENSIONS.test(e.name)) out.push(child)
  }
  return out
}
