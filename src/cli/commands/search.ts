import type { AssetView } from '../../app/asset-view.js'
import { type Command, localCaller, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

type SearchHit = AssetView & { distance?: number }

export const searchCommand: Command = {
  name: 'search',
  summary: 'find patterns by similarity to a file, repeat type, colour or tag',
  usage:
    'selvedge search [--similar FILE [--max-distance N]] [--repeat TYPE] [--colour HEX [--colour-tolerance ΔE]] [--tag T] [--limit N] [--json]',
  options: {
    similar: { type: 'string' },
    'max-distance': { type: 'string' },
    repeat: { type: 'string' },
    colour: { type: 'string' },
    'colour-tolerance': { type: 'string' },
    tag: { type: 'string' },
    limit: { type: 'string' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('search takes no positional arguments')
    const limit = intFlag(ctx.flags['limit'], 'limit', 50)
    const maxDistance = intFlag(ctx.flags['max-distance'], 'max-distance', 31)
    const str = (k: string) =>
      typeof ctx.flags[k] === 'string' ? (ctx.flags[k] as string) : undefined
    const colourFlag = str('colour')
    const query = {
      ...(str('repeat') === undefined ? {} : { repeat: str('repeat') as string }),
      ...(str('tag') === undefined ? {} : { tag: str('tag') as string }),
      ...(colourFlag === undefined
        ? {}
        : { colour: `#${colourFlag.replace(/^#/, '').toLowerCase()}` }),
      ...(str('colour-tolerance') === undefined
        ? {}
        : { colourTolerance: Number(str('colour-tolerance')) }),
    }
    const similar = str('similar')
    const selvedge = await ctx.open()
    let hits: SearchHit[] = []
    try {
      const caller = await localCaller(selvedge, ctx.env)
      if (similar !== undefined) {
        const bytes = await readInputFile(similar)
        const found = await selvedge.assets.similarToFile(caller, bytes, maxDistance)
        // Apply the other filters by listing the matching ids' assets under the same query.
        const allowed = new Set<string>()
        if (Object.keys(query).length > 0) {
          let cursor: string | undefined
          do {
            const page = await selvedge.assets.list(caller, {
              ...query,
              limit: 200,
              ...(cursor === undefined ? {} : { cursor }),
            })
            for (const a of page.items) allowed.add(a.id)
            cursor = page.nextCursor ?? undefined
          } while (cursor !== undefined)
        }
        for (const h of found.hits) {
          if (Object.keys(query).length > 0 && !allowed.has(h.assetId)) continue
          hits.push({ ...(await selvedge.assets.get(caller, h.assetId)), distance: h.distance })
          if (hits.length >= limit) break
        }
      } else {
        let cursor: string | undefined
        do {
          const page = await selvedge.assets.list(caller, {
            ...query,
            limit: Math.min(200, limit - hits.length),
            ...(cursor === undefined ? {} : { cursor }),
          })
          hits = hits.concat(page.items)
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined && hits.length < limit)
      }
    } finally {
      await selvedge.close()
    }
    ctx.result(
      hits,
      hits.length === 0
        ? 'no matches'
        : hits
            .map(
              (h) =>
                `${h.id}  ${h.distance === undefined ? '' : `d=${String(h.distance).padStart(3)}  `}${h.repeat.type.padEnd(10)} ${h.title}`,
            )
            .join('\n'),
    )
    return 0
  },
}

function intFlag(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback
  const n = Number(v)
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${name} must be a non-negative integer`)
  }
  return n
}
