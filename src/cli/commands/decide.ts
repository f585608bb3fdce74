import {
  type DecisionRequest,
  decide,
  PolicyError,
  parsePolicy,
  type WorldState,
} from '../../core/policy/index.js'
import { type Command, UsageError } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { readInputFile } from '../read-input-file.js'

async function readJson(path: string, code: PolicyError['code']): Promise<unknown> {
  const text = (await readInputFile(path)).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new PolicyError(
      code,
      [{ path: '$', message: `${path} is not JSON: ${(cause as Error).message}` }],
      { cause },
    )
  }
}

export const decideCommand: Command = {
  name: 'decide',
  summary: 'decide a request against an ODRL policy file (offline, no data folder)',
  usage:
    'selvedge decide --policy POLICY.jsonld --request REQUEST.json [--state STATE.json] [--now ISO] [--json]',
  options: {
    policy: { type: 'string' },
    request: { type: 'string' },
    state: { type: 'string' },
    now: { type: 'string' },
  },
  async run(ctx) {
    const policyPath = ctx.flags['policy']
    const requestPath = ctx.flags['request']
    const statePath = ctx.flags['state']
    const nowFlag = ctx.flags['now']
    if (typeof policyPath !== 'string' || typeof requestPath !== 'string')
      throw new UsageError('give --policy and --request')
    if (ctx.positionals.length > 0) throw new UsageError('decide takes no positional arguments')
    try {
      const policy = parsePolicy(await readJson(policyPath, 'POLICY_INVALID'))
      const request = (await readJson(requestPath, 'POLICY_REQUEST_INVALID')) as DecisionRequest
      const state =
        typeof statePath === 'string'
          ? ((await readJson(statePath, 'POLICY_REQUEST_INVALID')) as WorldState)
          : {}
      // The CLI is an edge: the clock is read here and handed to the pure evaluator.
      const now = typeof nowFlag === 'string' ? nowFlag : new Date()
      const decision = decide(policy, request, state, now)
      const duties = decision.duties
        .map((d) =>
          d.action === 'attribute'
            ? `attribute ${d.attributedParty ?? ''}`.trim()
            : `compensate${d.amount ? ` ${d.amount.minor} minor ${d.amount.currency}` : ''}${d.settlement ? ` (${d.settlement})` : ''}`,
        )
        .join('; ')
      ctx.result(
        decision,
        [`${decision.outcome}${duties === '' ? '' : ` — ${duties}`}`, decision.explanation].join(
          '\n',
        ),
      )
      return 0
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err
      const body = { error: { code: err.code, message: err.message, problems: err.problems } }
      if (ctx.json) ctx.result(body, '')
      ctx.info(`selvedge decide: ${err.code}`)
      for (const p of err.problems) ctx.info(`  ${p.path}: ${p.message}`)
      return EXIT_CODES[err.code]
    }
  },
}
