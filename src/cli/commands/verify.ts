import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { VerifyReport } from '../../app/provenance/index.js'
import { parseTrustAnchors, verifyStandalone } from '../../compose.js'
import { type Command, UsageError } from '../context.js'
import { readInputFile } from '../read-input-file.js'

/** Exit status 8, as for every verification that fails (see `exit-codes.ts`). */
const EXIT_VERIFICATION_FAILED = 8

export const verifyCommand: Command = {
  name: 'verify',
  summary: "check a file's Content Credentials (C2PA), licence XMP and log inclusion",
  usage: 'selvedge verify FILE [--trust ROOT.pem] [--json]',
  options: { trust: { type: 'string' } },
  async run(ctx) {
    const [input, ...rest] = ctx.positionals
    if (input === undefined || rest.length > 0) throw new UsageError('give exactly one FILE')
    const bytes = await readInputFile(input)
    const trust = ctx.flags['trust']
    const anchors =
      typeof trust === 'string'
        ? await parseTrustAnchors((await readInputFile(trust)).toString('utf8'))
        : null
    let report: VerifyReport
    if (hasDataFolder(ctx.dataDir, ctx.env)) {
      // The local studio's root is the default trust anchor; --trust replaces it.
      const selvedge = await ctx.open()
      try {
        report = await selvedge.credentials.verify(bytes, anchors ?? undefined)
      } finally {
        await selvedge.close()
      }
    } else {
      report = await verifyStandalone(bytes, anchors)
    }
    ctx.result(report, describe(report))
    return report.c2pa.state === 'Invalid' ? EXIT_VERIFICATION_FAILED : 0
  },
}

function hasDataFolder(dataDir: string, env: NodeJS.ProcessEnv): boolean {
  const url = env['DATABASE_URL']
  return (url !== undefined && url !== '') || existsSync(join(dataDir, 'selvedge.db'))
}

function describe(r: VerifyReport): string {
  const c2pa =
    r.c2pa.state === 'absent'
      ? 'no Content Credentials'
      : `Content Credentials: ${r.c2pa.state}${r.c2pa.failures.length > 0 ? ` (${r.c2pa.failures.join(', ')})` : ''}`
  const licence =
    r.licence === null
      ? 'no licence XMP'
      : `licence: ${r.licence.webStatement ?? '(no web statement)'}${r.licence.licenseId === null ? '' : `, agreement ${r.licence.licenseId}`}`
  const log = r.log.included
    ? `logged at index ${r.log.index} (checkpoint size ${r.log.checkpoint?.size})`
    : 'not in the log'
  return [c2pa, `tier: ${r.tier}`, licence, log].join('\n')
}
