import { DEFAULT_WITNESS_NAME, WitnessService } from '../../app/log/index.js'
import { createWitnessApi } from '../../http/routes/witness-routes.js'
import { type Command, type CommandContext, UsageError } from '../context.js'

export const witnessCommand: Command = {
  name: 'witness',
  summary: 'act as a C2SP tlog-witness for other logs',
  usage:
    'selvedge witness serve [--port 7380] [--host 127.0.0.1] [--name NAME] [--log-vkey V]... | witness vkey [--name NAME]',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    name: { type: 'string' },
    'log-vkey': { type: 'string', multiple: true },
  },
  async run(ctx) {
    const [action, ...args] = ctx.positionals
    if (args.length > 0)
      throw new UsageError('witness takes no positional arguments after the action')
    if (action !== 'serve' && action !== 'vkey') throw new UsageError('expected serve or vkey')
    const portFlag = ctx.flags['port']
    const port = typeof portFlag === 'string' ? Number(portFlag) : 7380
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError('--port must be 0..65535')
    }
    const logVkeys = ctx.flags['log-vkey']
    const selvedge = await ctx.open()
    try {
      const witness = new WitnessService({
        store: selvedge.store,
        keyRing: selvedge.keyRing,
        clock: selvedge.clock,
        name: witnessName(ctx),
        logVkeys: Array.isArray(logVkeys) ? logVkeys : [],
      })
      const vkey = await witness.vkey()
      if (action === 'vkey') {
        ctx.result({ vkey }, vkey)
        return 0
      }
      const host = typeof ctx.flags['host'] === 'string' ? ctx.flags['host'] : '127.0.0.1'
      const app = await createWitnessApi(witness)
      const address = await app.listen({ port, host })
      const url = address.replace('[::1]', 'localhost')
      ctx.result(
        { url, name: witness.name, vkey },
        [`witness ${witness.name} is serving ${url}/add-checkpoint`, `vkey: ${vkey}`].join('\n'),
      )
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      await app.close()
      return 0
    } finally {
      await selvedge.close()
    }
  },
}

function witnessName(ctx: CommandContext): string {
  const flag = ctx.flags['name']
  if (typeof flag === 'string' && flag !== '') return flag
  const env = ctx.env['SELVEDGE_WITNESS_NAME']
  return env !== undefined && env !== '' ? env : DEFAULT_WITNESS_NAME
}
