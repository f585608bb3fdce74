import { type Command, localCaller, UsageError } from '../context.js'

export const showCommand: Command = {
  name: 'show',
  summary: 'show a pattern with its versions and analysis',
  usage: 'selvedge show ID [--json]',
  options: {},
  async run(ctx) {
    const [id] = ctx.positionals
    if (id === undefined || ctx.positionals.length > 1)
      throw new UsageError('give exactly one asset ID')
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      const a = await selvedge.assets.get(caller, id, { versions: true })
      ctx.result(
        a,
        [
          `${a.id}  ${a.title}  (${a.visibility})`,
          `repeat: ${a.repeat.type} ${a.repeat.tileWidthPx}×${a.repeat.tileHeightPx} px; print ${a.print.widthCm}×${a.print.heightCm} cm at ${a.print.dpi} dpi`,
          `palette: ${a.palette.map((p) => p.hex).join(' ')}`,
          `designers: ${a.designers.map((d) => d.name).join(', ') || '—'}; collection: ${a.collection?.name ?? '—'}`,
          `tags: ${a.tags.join(', ') || '—'}; motifs: ${a.motifs.join(', ') || '—'}`,
          `version ${a.currentVersion}, sha256 ${a.sha256}, pdq ${a.pdq.hash}`,
        ].join('\n'),
      )
      return 0
    } finally {
      await selvedge.close()
    }
  },
}
