import { SharpImageCodec } from '../../adapters/image-sharp/index.js'
import { analyseFile } from '../../app/analyse-file.js'
import { type Command, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

export const analyseCommand: Command = {
  name: 'analyse',
  summary: 'measure a file: palette, colour count, repeat, seamless score, PDQ hash',
  usage: 'selvedge analyse FILE [--json]',
  options: {},
  async run(ctx) {
    const [file] = ctx.positionals
    if (file === undefined || ctx.positionals.length > 1)
      throw new UsageError('give exactly one FILE')
    const bytes = await readInputFile(file)
    const { facts } = await analyseFile(new SharpImageCodec(), bytes)
    const palette = facts.palette
      .map((p) => `${p.hex} ${(p.coverage * 100).toFixed(1)}%`)
      .join(', ')
    ctx.result(
      facts,
      [
        `${file}: ${facts.width}×${facts.height} ${facts.format}, sha256 ${facts.sha256}`,
        `colours: ${facts.colourCount} (${palette})`,
        `repeat: ${facts.repeat.type} ${facts.repeat.tileWidth}×${facts.repeat.tileHeight} (confidence ${facts.repeat.confidence})`,
        `seamless: ${facts.seamless.isSeamless ? 'yes' : 'no'} (score ${facts.seamless.score})`,
        `pdq: ${facts.pdq.hash} (quality ${facts.pdq.quality})`,
      ].join('\n'),
    )
    return 0
  },
}
