import { type Command, localCaller, UsageError } from '../context.js'

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create, list and revoke API keys',
  usage:
    'selvedge keys create --role ROLE [--party IRI] [--name NAME] [--json] | keys list [--json] | keys revoke ID [--json]',
  options: {
    role: { type: 'string' },
    party: { type: 'string' },
    name: { type: 'string' },
  },
  async run(ctx) {
    const [action, ...args] = ctx.positionals
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      switch (action) {
        case 'create': {
          if (args.length > 0) throw new UsageError('keys create takes no positional arguments')
          if (typeof ctx.flags['role'] !== 'string') throw new UsageError('--role is required')
          const k = await selvedge.keys.create(caller, {
            role: ctx.flags['role'],
            ...(typeof ctx.flags['party'] === 'string' ? { party: ctx.flags['party'] } : {}),
            ...(typeof ctx.flags['name'] === 'string' ? { name: ctx.flags['name'] } : {}),
          })
          ctx.result(
            { id: k.id, key: k.key, role: k.role, party: k.party },
            `${k.role} key ${k.id} for ${k.party}\n${k.key}\n(shown once; store it now)`,
          )
          return 0
        }
        case 'list': {
          const keys = await selvedge.keys.list(caller)
          ctx.result(
            keys,
            keys
              .map(
                (k) =>
                  `${k.id}  ${k.role.padEnd(8)} ${k.revokedAt === null ? 'active ' : 'revoked'} ${k.party}`,
              )
              .join('\n'),
          )
          return 0
        }
        case 'revoke': {
          const [id] = args
          if (id === undefined || args.length > 1) throw new UsageError('give exactly one key ID')
          await selvedge.keys.revoke(caller, id)
          ctx.result({ id, revoked: true }, `revoked ${id}`)
          return 0
        }
        default:
          throw new UsageError('expected create, list or revoke')
      }
    } finally {
      await selvedge.close()
    }
  },
}
