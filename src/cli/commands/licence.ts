import type { LicenceInput, LicenceView } from '../../app/licence/index.js'
import { HttpError } from '../../http/errors.js'
import { type Command, localCaller, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

export const licenceCommand: Command = {
  name: 'licence',
  summary: 'attach a licence to a pattern (template or ODRL policy), show it, list its versions',
  usage:
    'selvedge licence attach ID [--template default|standard|extended|exclusive|training|synthetic [--param k=v]... | --policy FILE.jsonld] [--json] | licence show ID [--json] | licence history ID [--json]',
  options: {
    template: { type: 'string' },
    param: { type: 'string', multiple: true },
    policy: { type: 'string' },
  },
  async run(ctx) {
    const [action, id, ...rest] = ctx.positionals
    if (id === undefined || rest.length > 0) throw new UsageError('give exactly one asset ID')
    let input: LicenceInput | null = null
    if (action === 'attach') input = await licenceInput(ctx.flags)
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      switch (action) {
        case 'attach': {
          const view = await selvedge.licences.attach(caller, id, input as LicenceInput)
          ctx.result(view, human(view))
          return 0
        }
        case 'show': {
          const view = await selvedge.licences.current(caller, id)
          ctx.result(view, human(view))
          return 0
        }
        case 'history': {
          const views = await selvedge.licences.history(caller, id)
          ctx.result(
            views,
            views.map((v) => `v${v.version}  ${v.createdAt}  ${v.source}`).join('\n'),
          )
          return 0
        }
        default:
          throw new UsageError('expected attach, show or history')
      }
    } finally {
      await selvedge.close()
    }
  },
}

async function licenceInput(
  flags: Readonly<Record<string, string | boolean | string[] | undefined>>,
): Promise<LicenceInput> {
  const policyFile = flags['policy']
  // Neither given: the tier's default template (synthetic work gets `synthetic`).
  const template = flags['template'] ?? (typeof policyFile === 'string' ? undefined : 'default')
  const params = flags['param']
  if ((typeof template === 'string') === (typeof policyFile === 'string')) {
    throw new UsageError('give either --template NAME or --policy FILE')
  }
  if (typeof template === 'string') {
    const out: Record<string, string> = {}
    for (const p of Array.isArray(params) ? params : []) {
      const eq = p.indexOf('=')
      if (eq <= 0) throw new UsageError(`--param ${p}: expected k=v`)
      out[p.slice(0, eq)] = p.slice(eq + 1)
    }
    return { kind: 'template', template, params: out }
  }
  if (params !== undefined) throw new UsageError('--param goes with --template')
  const text = (await readInputFile(policyFile as string)).toString('utf8')
  try {
    return { kind: 'policy', policy: JSON.parse(text) as unknown }
  } catch (cause) {
    throw new HttpError('REQUEST_INVALID', `${policyFile as string}: not JSON`, { cause })
  }
}

function human(v: LicenceView): string {
  return `${v.assetId} licence v${v.version} (${v.source}, ${v.createdAt})\n${v.description}`
}
