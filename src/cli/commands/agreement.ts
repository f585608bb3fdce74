import { HttpError } from '../../http/errors.js'
import { type Command, localCaller, UsageError } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { readInputFile } from '../read-input-file.js'

export const agreementCommand: Command = {
  name: 'agreement',
  summary: 'make an agreement for a pattern: on permit, an ODRL Agreement and a grant token',
  usage:
    'selvedge agreement create ID --request REQUEST.json | revoke AGREEMENT_ID [--reason TEXT] [--json]',
  options: { request: { type: 'string' }, reason: { type: 'string' } },
  async run(ctx) {
    const [action, id, ...rest] = ctx.positionals
    if (action === 'revoke') {
      if (id === undefined || rest.length > 0) throw new UsageError('give exactly one AGREEMENT_ID')
      const selvedge = await ctx.open()
      try {
        const caller = await localCaller(selvedge, ctx.env)
        const reason = ctx.flags['reason']
        const revoked = await selvedge.licences.revokeAgreement(
          caller,
          id,
          typeof reason === 'string' ? reason : undefined,
        )
        ctx.result(revoked, `agreement ${revoked.agreementId} revoked at ${revoked.revokedAt}`)
        return 0
      } finally {
        await selvedge.close()
      }
    }
    if (action !== 'create') throw new UsageError('expected create or revoke')
    if (id === undefined || rest.length > 0) throw new UsageError('give exactly one asset ID')
    const file = ctx.flags['request']
    if (typeof file !== 'string') throw new UsageError('--request FILE is required')
    const text = (await readInputFile(file)).toString('utf8')
    let request: unknown
    try {
      request = JSON.parse(text)
    } catch (cause) {
      throw new HttpError('REQUEST_INVALID', `${file}: not JSON`, { cause })
    }
    const selvedge = await ctx.open()
    try {
      const caller = await localCaller(selvedge, ctx.env)
      const outcome = await selvedge.licences.createAgreement(caller, id, request)
      switch (outcome.kind) {
        case 'agreed':
          ctx.result(
            {
              decision: outcome.decision,
              agreement: outcome.agreement,
              grant: outcome.grant,
              grantId: outcome.grantId,
            },
            `agreement ${outcome.agreementId} (grant ${outcome.grantId})\n${outcome.decision.explanation}\n${outcome.grant}`,
          )
          return 0
        case 'refused': {
          // A refusal is an answer, not a fault: the decision is printed, the exit status says no.
          const code =
            outcome.decision.outcome === 'payment-required'
              ? 'LICENCE_PAYMENT_REQUIRED'
              : 'LICENCE_DENIED'
          ctx.result(
            {
              error: { code, message: outcome.decision.explanation },
              decision: outcome.decision,
            },
            `refused (${outcome.decision.outcome}): ${outcome.decision.explanation}`,
          )
          return EXIT_CODES[code]
        }
      }
    } finally {
      await selvedge.close()
    }
  },
}
