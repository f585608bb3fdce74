import type { JSONWebKeySet } from 'jose'
import { verifyGrantToken } from '../../app/licence/index.js'
import { HttpError } from '../../http/errors.js'
import { type Command, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

export const grantCommand: Command = {
  name: 'grant',
  summary: 'verify a grant token offline against a JWK set (file or URL)',
  usage: 'selvedge grant verify TOKEN --jwks FILE_OR_URL [--json]',
  options: { jwks: { type: 'string' } },
  async run(ctx) {
    const [action, token, ...rest] = ctx.positionals
    if (action !== 'verify') throw new UsageError('expected verify')
    if (token === undefined || rest.length > 0) throw new UsageError('give exactly one TOKEN')
    const source = ctx.flags['jwks']
    if (typeof source !== 'string') throw new UsageError('--jwks FILE_OR_URL is required')
    const jwks = await loadJwks(source)
    const { claims, kid } = await verifyGrantToken(token, jwks, new Date())
    ctx.result(
      { valid: true, kid, claims },
      [
        `valid grant ${claims.jti} (key ${kid})`,
        `issuer:    ${claims.iss}`,
        `assignee:  ${claims.sub}`,
        `agreement: ${claims.agreement}`,
        `assets:    ${claims.assets.join(', ')}`,
        `actions:   ${claims.actions.join(', ')}`,
        `units:     ${claims.units ?? '—'}`,
        `expires:   ${new Date(claims.exp * 1000).toISOString()}`,
      ].join('\n'),
    )
    return 0
  },
}

async function loadJwks(source: string): Promise<JSONWebKeySet> {
  let text: string
  if (/^https?:\/\//i.test(source)) {
    let response: Response
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(10_000) })
    } catch (cause) {
      throw new HttpError('FILE_UNREADABLE', `${source}: cannot be fetched`, { cause })
    }
    if (!response.ok) throw new HttpError('FILE_UNREADABLE', `${source}: HTTP ${response.status}`)
    text = await response.text()
  } else {
    text = (await readInputFile(source)).toString('utf8')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw new HttpError('REQUEST_INVALID', `${source}: not JSON`, { cause })
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys)) throw new HttpError('REQUEST_INVALID', `${source}: not a JWK set`)
  return parsed as JSONWebKeySet
}
