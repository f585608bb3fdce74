import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import type { AuthorshipEntryView } from '../../app/provenance/index.js'
import { HttpError } from '../../http/errors.js'
import { type Command, localCaller, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

export const authorshipCommand: Command = {
  name: 'authorship',
  summary: 'record authorship steps, show the journal and tier, draft the copyright disclosure',
  usage:
    'selvedge authorship add ID --step STEP.json [--json] | authorship show ID [--json] | authorship statement ID [--format md|pdf] [--out FILE] [--json]',
  options: {
    step: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  },
  async run(ctx) {
    const [action, id, ...rest] = ctx.positionals
    if (id === undefined || rest.length > 0) throw new UsageError('give exactly one asset ID')
    let step: unknown
    if (action === 'add') {
      const file = ctx.flags['step']
      if (typeof file !== 'string') throw new UsageError('add needs --step STEP.json')
      const text = (await readInputFile(file)).toString('utf8')
      try {
        step = JSON.parse(text) as unknown
      } catch (cause) {
        throw new HttpError('REQUEST_INVALID', `${file}: not JSON`, { cause })
      }
    } else if (ctx.flags['step'] !== undefined) {
      throw new UsageError('--step goes with add')
    }
    if (action !== 'statement' && ctx.flags['format'] !== undefined) {
      throw new UsageError('--format goes with statement')
    }
    if (action !== 'statement' && ctx.flags['out'] !== undefined) {
      throw new UsageError('--out goes with statement')
    }
    const out = ctx.flags['out']
    if (
      action === 'statement' &&
      ctx.flags['format'] === 'pdf' &&
      typeof out !== 'string' &&
      !ctx.json &&
      process.stdout.isTTY === true
    ) {
      throw new UsageError('the PDF is binary: give --out FILE or redirect stdout')
    }
    if (action !== 'add' && action !== 'show' && action !== 'statement') {
      throw new UsageError('expected add, show or statement')
    }
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      switch (action) {
        case 'add': {
          const entry = await selvedge.provenance.addStep(caller, id, step)
          ctx.result(
            entry,
            `${id} step ${entry.seq} recorded (log index ${entry.logIndex ?? 'pending'}); tier ${entry.tier}`,
          )
          return 0
        }
        case 'show': {
          const journal = await selvedge.provenance.journal(caller, id)
          ctx.result(
            { tier: journal.tier, steps: journal.steps },
            [`${id}: ${journal.tier}`, ...journal.steps.map(line)].join('\n'),
          )
          return 0
        }
        case 'statement': {
          const flag = ctx.flags['format']
          const format = typeof flag === 'string' ? flag : 'md'
          const statement = await selvedge.provenance.statement(caller, id, format)
          const bytes =
            statement.kind === 'md' ? Buffer.from(statement.body, 'utf8') : statement.body
          if (typeof out === 'string') {
            await writeFile(out, bytes)
            ctx.result(
              {
                assetId: id,
                format: statement.kind,
                mediaType: statement.mediaType,
                out,
                sizeBytes: bytes.byteLength,
                sha256: createHash('sha256').update(bytes).digest('hex'),
              },
              `wrote ${out} (${bytes.byteLength} bytes)`,
            )
            return 0
          }
          switch (statement.kind) {
            case 'md':
              ctx.result({ assetId: id, format, statement: statement.body }, statement.body)
              return 0
            case 'pdf':
              if (ctx.json) {
                // JSON cannot hold bytes: the PDF comes base64-encoded, as `log entry` does.
                ctx.result(
                  {
                    assetId: id,
                    format,
                    mediaType: statement.mediaType,
                    statement: Buffer.from(statement.body).toString('base64'),
                  },
                  '',
                )
              } else {
                await writeStdout(statement.body)
              }
              return 0
          }
        }
      }
    } finally {
      await selvedge.close()
    }
  },
}

function line(s: AuthorshipEntryView): string {
  return `${String(s.seq).padStart(3)}  ${s.when}  ${s.actor.kind}:${s.actor.name}  ${s.action}`
}

/** Writes bytes to stdout, resolving once they are handed to the OS (before exit). */
function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(bytes, (err) =>
      err === null || err === undefined ? resolve() : reject(err),
    )
  })
}
