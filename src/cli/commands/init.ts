import type { Command } from '../context.js'

export const initCommand: Command = {
  name: 'init',
  summary: 'create the studio and its owner key (idempotent)',
  usage: 'selvedge init [--data DIR] [--name STUDIO] [--json]',
  options: { name: { type: 'string' } },
  async run(ctx) {
    const selvedge = await ctx.open()
    try {
      const name = ctx.flags['name']
      const r = await selvedge.studios.init(typeof name === 'string' ? { name } : {})
      // The studio's Content Credentials PKI (root, intermediate, claim signer), once.
      await selvedge.credentials.ensureSigner(r.studioId)
      ctx.result(
        { studioId: r.studioId, ownerKey: r.ownerKey },
        `${r.created ? 'created' : 'existing'} studio ${r.studioId}\nowner key: ${r.ownerKey}\n(kept in ${selvedge.config.dataDir}/owner-key, readable by you only)`,
      )
      return 0
    } finally {
      await selvedge.close()
    }
  },
}
