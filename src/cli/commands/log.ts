import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { auditLog, type TileSource } from '../../app/log/index.js'
import { type Command, type CommandContext, UsageError } from '../context.js'

const USAGE = `selvedge log vkey | checkpoint | entry --index N | proof --index N
  | consistency --old M [--new N] | export DIR
  | audit DIR_OR_URL --vkey V [--witness-vkey W]... [--json]`

export const logCommand: Command = {
  name: 'log',
  summary: 'read, export and audit the transparency log',
  usage: USAGE,
  options: {
    index: { type: 'string' },
    old: { type: 'string' },
    new: { type: 'string' },
    vkey: { type: 'string' },
    'witness-vkey': { type: 'string', multiple: true },
  },
  async run(ctx) {
    const [action, ...args] = ctx.positionals
    if (action === 'audit') return audit(ctx, args)
    if (action === 'export') {
      if (args.length !== 1) throw new UsageError('log export takes one DIR')
    } else if (args.length > 0) {
      throw new UsageError(`log ${action ?? ''} takes no positional arguments`)
    }
    const selvedge = await ctx.open()
    try {
      const { log } = selvedge
      switch (action) {
        case 'vkey': {
          const vkey = await log.vkey()
          ctx.result({ vkey }, vkey)
          return 0
        }
        case 'checkpoint': {
          const c = await log.checkpoint()
          if (ctx.json) {
            ctx.result(
              {
                origin: c.origin,
                size: c.size,
                rootHash: Buffer.from(c.rootHash).toString('base64'),
                note: c.note,
              },
              '',
            )
          } else {
            process.stdout.write(c.note)
          }
          return 0
        }
        case 'entry': {
          const index = sizeFlag(ctx, 'index', true)
          const entry = await log.entry(index)
          if (ctx.json) ctx.result({ index, entry: Buffer.from(entry).toString('base64') }, '')
          else process.stdout.write(entry)
          return 0
        }
        case 'proof': {
          const index = sizeFlag(ctx, 'index', true)
          const proof = await log.proof(index)
          if (ctx.json) ctx.result({ index, proof }, '')
          else process.stdout.write(proof)
          return 0
        }
        case 'consistency': {
          const oldSize = sizeFlag(ctx, 'old', true)
          const newSize = sizeFlag(ctx, 'new', false)
          const proof = (await log.consistency(oldSize, newSize)).map((h) =>
            Buffer.from(h).toString('base64'),
          )
          if (ctx.json) ctx.result({ old: oldSize, new: newSize ?? null, proof }, '')
          else process.stdout.write(proof.map((line) => `${line}\n`).join(''))
          return 0
        }
        case 'export': {
          const dir = resolve(args[0] as string)
          const { checkpoint, paths } = await log.tiles()
          for (const path of paths) {
            const tile = await log.tile(path)
            await writeInside(dir, path, tile.bytes)
          }
          // The checkpoint last: a reader of a half-written export never sees one whose tiles
          // are missing.
          await writeInside(dir, 'checkpoint', Buffer.from(checkpoint.note, 'utf8'))
          ctx.result(
            { dir, size: checkpoint.size, tiles: paths.length },
            `exported ${paths.length} tiles of a log of size ${checkpoint.size} to ${dir}`,
          )
          return 0
        }
        default:
          throw new UsageError(
            'expected vkey, checkpoint, entry, proof, consistency, export or audit',
          )
      }
    } finally {
      await selvedge.close()
    }
  },
}

async function audit(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const [where] = args
  if (where === undefined || args.length > 1) throw new UsageError('log audit takes one DIR or URL')
  const vkey = ctx.flags['vkey']
  if (typeof vkey !== 'string') throw new UsageError('--vkey is required')
  const witnessVkeys = ctx.flags['witness-vkey']
  const source = /^https?:\/\//i.test(where) ? urlSource(where) : dirSource(where)
  const report = await auditLog(source, {
    vkey,
    ...(Array.isArray(witnessVkeys) ? { witnessVkeys } : {}),
  })
  const human = report.ok
    ? `ok: ${report.origin} size ${report.size}, ${report.entriesChecked} entries and ${report.tilesChecked} tiles re-hashed, ${report.cosignatures.length} cosignatures verified`
    : [
        `FAILED: ${report.failures.length} problems`,
        ...report.failures.map((f) => `  ${f.code} ${f.path ?? ''}: ${f.message}`),
      ].join('\n')
  ctx.result(report, human)
  return report.ok ? 0 : 8
}

function sizeFlag(ctx: CommandContext, name: string, isRequired: true): number
function sizeFlag(ctx: CommandContext, name: string, isRequired: false): number | undefined
function sizeFlag(ctx: CommandContext, name: string, isRequired: boolean): number | undefined {
  const raw = ctx.flags[name]
  if (raw === undefined) {
    if (isRequired) throw new UsageError(`--${name} is required`)
    return undefined
  }
  if (typeof raw !== 'string' || !/^(0|[1-9][0-9]*)$/.test(raw)) {
    throw new UsageError(`--${name} must be a non-negative integer`)
  }
  const n = Number(raw)
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} is too large`)
  return n
}

// Tile paths come from the core (`tile/…`), but check anyway that nothing lands outside DIR.
async function writeInside(dir: string, path: string, bytes: Uint8Array): Promise<void> {
  const target = resolve(dir, path)
  if (!target.startsWith(dir + sep)) throw new Error(`refusing to write outside ${dir}: ${path}`)
  await mkdir(dirname(target), { recursive: true })
  await writeFile(target, bytes)
}

function dirSource(dir: string): TileSource {
  return {
    async read(path) {
      try {
        return new Uint8Array(await readFile(join(dir, path)))
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null
        throw error
      }
    },
  }
}

function urlSource(base: string): TileSource {
  const prefix = base.replace(/\/+$/, '')
  return {
    async read(path) {
      const response = await fetch(`${prefix}/${path}`)
      if (response.status === 404) return null
      if (!response.ok) throw new Error(`GET ${prefix}/${path}: HTTP ${response.status}`)
      return new Uint8Array(await response.arrayBuffer())
    },
  }
}
