import { seedDemoArchive } from '../../app/seed-demo.js'
import { createApi } from '../../http/server.js'
import { type Command, UsageError } from '../context.js'

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the HTTP API (initialising the studio on first run)',
  usage: 'selvedge serve [--port 8787] [--host 127.0.0.1] [--seed-demo] [--data DIR]',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'seed-demo': { type: 'boolean' },
  },
  async run(ctx) {
    const portFlag = ctx.flags['port']
    const port = typeof portFlag === 'string' ? Number(portFlag) : 8787
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError('--port must be 0..65535')
    const host = typeof ctx.flags['host'] === 'string' ? ctx.flags['host'] : '127.0.0.1'
    const selvedge = await ctx.open()
    const init = await selvedge.studios.init()
    const owner = await selvedge.keys.authenticate(init.ownerKey)
    if (ctx.flags['seed-demo'] === true) {
      const page = await selvedge.assets.list(owner, { limit: 1 })
      if (page.items.length === 0) {
        ctx.info('seeding the demo archive…')
        const seeded = await seedDemoArchive(selvedge, owner)
        ctx.info(`seeded ${seeded.created} demo patterns`)
      }
    }
    // Compete for the log's sequencer role at once: other processes may be queueing entries.
    selvedge.log.start()
    const app = await createApi(selvedge, { logLevel: logLevel(ctx.env['SELVEDGE_LOG_LEVEL']) })
    const address = await app.listen({ port, host })
    const url = address.replace('[::1]', 'localhost')
    ctx.result(
      { url, studioId: init.studioId, ownerKey: init.ownerKey, dataDir: selvedge.config.dataDir },
      [
        `Selvedge is serving ${url}  (API docs: ${url}/docs)`,
        `studio:    ${init.studioId}`,
        `owner key: ${init.ownerKey}`,
        `data:      ${selvedge.config.dataDir} (${selvedge.store.dialect})`,
        `try:       curl -H "Authorization: Bearer ${init.ownerKey}" ${url}/v1/assets`,
      ].join('\n'),
    )
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await app.close()
    await selvedge.close()
    return 0
  },
}

function logLevel(v: string | undefined): 'error' | 'warn' | 'info' | 'debug' {
  return v === 'error' || v === 'info' || v === 'debug' ? v : 'warn'
}
