import { type Command, localCaller, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

export const credentialsCommand: Command = {
  name: 'credentials',
  summary: "the studio's Content Credentials signer: print its root, or import a certificate",
  usage: 'selvedge credentials root | credentials import --chain CHAIN.pem --key KEY.pem [--json]',
  options: { chain: { type: 'string' }, key: { type: 'string' } },
  async run(ctx) {
    const [action, ...rest] = ctx.positionals
    if (rest.length > 0) throw new UsageError('unexpected arguments')
    switch (action) {
      case 'root':
        return root(ctx)
      case 'import':
        return importSigner(ctx)
      default:
        throw new UsageError('give root or import')
    }
  },
}

async function root(ctx: Parameters<typeof credentialsCommand.run>[0]): Promise<number> {
  const selvedge = await ctx.open()
  try {
    const caller = await localCaller(selvedge, ctx.env)
    const pem = await selvedge.credentials.rootCertificate(caller.studioId)
    if (pem === null) {
      ctx.info('the imported signer came without its root certificate')
      ctx.result({ rootPem: null }, '')
      return 3
    }
    ctx.result({ rootPem: pem }, pem.trimEnd())
    return 0
  } finally {
    await selvedge.close()
  }
}

async function importSigner(ctx: Parameters<typeof credentialsCommand.run>[0]): Promise<number> {
  const chain = ctx.flags['chain']
  const key = ctx.flags['key']
  if (typeof chain !== 'string' || typeof key !== 'string') {
    throw new UsageError('import needs --chain CHAIN.pem and --key KEY.pem')
  }
  const chainPem = (await readInputFile(chain)).toString('utf8')
  const keyPem = (await readInputFile(key)).toString('utf8')
  const selvedge = await ctx.open()
  try {
    const caller = await localCaller(selvedge, ctx.env)
    const signer = await selvedge.credentials.importSigner(caller, chainPem, keyPem)
    ctx.result(
      {
        id: signer.id,
        source: signer.source,
        algorithm: signer.algorithm,
        notAfter: signer.notAfter,
        hasRoot: signer.rootPem !== null,
      },
      `imported signer ${signer.id} (${signer.algorithm}, valid until ${signer.notAfter})`,
    )
    return 0
  } finally {
    await selvedge.close()
  }
}
