import { type Command, localCaller, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

export const forensicsCommand: Command = {
  name: 'forensics',
  summary: 'trace a file to the grant its watermark names and the patterns it copies',
  usage: 'selvedge forensics scan FILE [--json]',
  options: {},
  async run(ctx) {
    const [action, ...files] = ctx.positionals
    if (action !== 'scan') throw new UsageError('give scan')
    const [input] = files
    if (input === undefined || files.length !== 1) throw new UsageError('scan takes FILE')
    const bytes = await readInputFile(input)
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      const { watermark, grant, similar, finding } = await selvedge.forensics.scan(caller, bytes)
      const mark = watermark.found ? `watermark ${watermark.payload}` : 'no watermark'
      const holder = grant === null ? '' : `, grant ${grant.id} to ${grant.assignee}`
      ctx.result(
        { watermark, grant, similar, finding },
        `${finding.kind} (finding ${finding.id}): ${mark}${holder}, ${similar.length} similar`,
      )
      return 0
    } finally {
      await selvedge.close()
    }
  },
}
