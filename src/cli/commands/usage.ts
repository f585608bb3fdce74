import { type Command, localCaller, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

/**
 * Reads usage events from a file: JSON Lines (one CloudEvent per line; blank lines skipped), or
 * one JSON array. A line that is not JSON stays in place as text, so that the ingest rejects it
 * with its index like any other malformed event.
 */
export function parseUsageFile(text: string): unknown[] {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    try {
      const all = JSON.parse(trimmed) as unknown
      if (Array.isArray(all)) return all
    } catch {
      // Not one JSON array: fall through and read it as JSON Lines.
    }
  }
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown
      } catch {
        return line
      }
    })
}

export const usageCommand: Command = {
  name: 'usage',
  summary: 'report usage: CloudEvents from a JSON Lines file, idempotent on source and id',
  usage: 'selvedge usage ingest FILE.jsonl [--atomic] [--json]',
  options: { atomic: { type: 'boolean' } },
  async run(ctx) {
    const [action, file, ...rest] = ctx.positionals
    if (action !== 'ingest' || file === undefined || rest.length > 0) {
      throw new UsageError('give ingest FILE')
    }
    const events = parseUsageFile((await readInputFile(file)).toString('utf8'))
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      const report = await selvedge.usage.ingest({ caller }, events, {
        atomic: ctx.flags['atomic'] === true,
      })
      ctx.result(
        {
          accepted: report.accepted,
          duplicates: report.duplicates,
          rejected: report.rejected.map((r) => ({
            index: r.index,
            code: r.code,
            message: r.message,
          })),
          batchId: report.batchId,
          logIndex: report.logIndex,
          charges: report.charges,
          quotes: report.quotes,
        },
        `${report.accepted} accepted, ${report.duplicates} duplicates, ${report.rejected.length} rejected` +
          (report.batchId === null
            ? ''
            : ` (batch ${report.batchId}, log index ${report.logIndex})`) +
          report.rejected.map((r) => `\n  #${r.index}: ${r.code}: ${r.message}`).join(''),
      )
      return 0
    } finally {
      await selvedge.close()
    }
  },
}
